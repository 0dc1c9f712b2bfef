import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { api } from '../api'
import { settle, useIpcCall } from '../composables/useIpcCall'
import type { ExportOutcome } from '../../../shared/app-types'
import type {
  ArchivedModel,
  ChangeEvent,
  ChangeFeed,
  ChangeKind,
  ChangeQuery,
} from '../../../shared/changes/types'
import { CHANGE_KINDS } from '../../../shared/changes/types'
import type { ExportFormat } from '../../../shared/export/file-name'
import type { EventPayloads } from '../../../shared/ipc/events'
import type { CatalogSource, RawModel } from '../../../shared/model/raw'
import { rangeBounds, type FeedRange } from '../components/changes/change-view'
import { useCatalogStore } from './catalog'
import { useWatchStore } from './watch'

export type ChangesTab = 'feed' | 'archive' | 'rules'

/** Events asked for at a time: the list scrolls virtually and asks for the next page near its end. */
export const FEED_PAGE = 500

const emptyCounts = (): Record<ChangeKind, number> =>
  Object.fromEntries(CHANGE_KINDS.map((k) => [k, 0])) as Record<ChangeKind, number>

/** What the detail panel shows: a model's record now, or the last one of a removed model. */
export interface ChangesDetail {
  record: RawModel
  /** Set for a removed model: where its record comes from and when it went. */
  archived: ArchivedModel | null
  allowed: boolean | null
}

export interface ChangesNotice {
  tone: 'good' | 'bad'
  text: string
}

/**
 * The "What's new" view: the change feed over every snapshot (with its filters and paging), the
 * archive of removed models, and the detail panel both open. Main computes; this asks and pages.
 */
export const useChangesStore = defineStore('changes', () => {
  const catalog = useCatalogStore()
  const tab = ref<ChangesTab>('feed')

  // ── The feed's filters ──────────────────────────────────────────────────────────────────────
  const kinds = ref<ChangeKind[]>([])
  const author = ref('')
  const model = ref('')
  const range = ref<FeedRange>('all')
  const dates = ref({ from: '', to: '' })
  /** Null until the user picks: then the allowed list when there is one, as in the catalog. */
  const chosenSource = ref<CatalogSource | null>(null)
  const ruleId = ref<string | null>(null)
  /** Only models starred in this profile. */
  const starred = ref(false)

  const source = computed<CatalogSource>({
    get: () => chosenSource.value ?? (catalog.state?.user || !catalog.state?.all ? 'user' : 'all'),
    set: (value) => {
      chosenSource.value = value
    },
  })

  // Rule names (the "matched rule" chip) and marking matches seen go through the watch store, which the badge reads.
  const watch = useWatchStore()
  const ruleName = computed(() =>
    ruleId.value ? (watch.rules.find((r) => r.id === ruleId.value)?.name ?? ruleId.value) : null,
  )

  const hasFilters = computed(
    () =>
      kinds.value.length > 0 ||
      author.value.trim() !== '' ||
      model.value.trim() !== '' ||
      range.value !== 'all' ||
      starred.value ||
      ruleId.value !== null,
  )

  /** The query as the filters say now; relative ranges count back from this moment. */
  function query(now = new Date()): ChangeQuery {
    const q: ChangeQuery = { source: source.value, ...rangeBounds(range.value, now, dates.value) }
    if (kinds.value.length > 0) q.kinds = [...kinds.value]
    const a = author.value.trim()
    if (a) q.author = a
    const m = model.value.trim()
    if (m) q.model = m
    if (ruleId.value) q.ruleId = ruleId.value
    if (starred.value) q.starred = true
    return q
  }

  function clearFilters(): void {
    kinds.value = []
    author.value = ''
    model.value = ''
    range.value = 'all'
    dates.value = { from: '', to: '' }
    starred.value = false
  }

  // ── The feed ────────────────────────────────────────────────────────────────────────────────
  const feed = shallowRef<ChangeFeed | null>(null)
  const events = shallowRef<ChangeEvent[]>([])
  /** Per kind, ignoring the kind filter itself, so each toggle says what it would add. */
  const kindCounts = shallowRef<Record<ChangeKind, number>>(emptyCounts())
  const feedCall = useIpcCall((q: ChangeQuery) => api.changes.list(q), { latestOnly: true })
  const countsCall = useIpcCall((q: ChangeQuery) => api.changes.list(q), { latestOnly: true })
  const feedLoading = feedCall.busy
  const feedError = feedCall.error
  const loadingMore = ref(false)
  /** The query the events on screen answer; a page for an older one is dropped. */
  let shown: string | null = null
  let subscribed = false
  /** The view is on screen: only then does a reload happen at once (and count as seen). */
  let active = false
  /** Something changed while the view was away: the next visit reads again. */
  let stale = false

  const total = computed(() => feed.value?.total ?? 0)
  const hasMore = computed(() => events.value.length < total.value)

  function subscribe(): void {
    if (subscribed) return
    subscribed = true
    // A refresh, import or profile switch changes what is stored: the feed and archive follow.
    api.events.onCatalogChanged(() => {
      if (!active) {
        stale = true
        return
      }
      if (feed.value || feedError.value) void loadFeed()
      if (archive.value) void loadArchive()
    })
  }

  /** The view mounted: what went stale while it was away is read again, the rest kept. */
  function attach(): void {
    subscribe()
    active = true
    const reread = stale
    stale = false
    if (reread) {
      if (tab.value !== 'feed') feed.value = null
      if (tab.value !== 'archive') archive.value = null
    }
    void showTab(tab.value, reread)
  }

  /** Shows a tab, reading its data the first time (or again when `force`). */
  async function showTab(next: ChangesTab, force = false): Promise<void> {
    tab.value = next
    if (next === 'feed') {
      if (force || !feed.value) await loadFeed()
      else await markSeen(ruleId.value ?? undefined)
    } else if (next === 'archive' && (force || !archive.value)) await loadArchive()
  }

  function detach(): void {
    active = false
  }

  async function loadFeed(): Promise<void> {
    subscribe()
    const q = query()
    const key = JSON.stringify(q)
    const withoutKinds: ChangeQuery = { ...q, limit: 1 }
    delete withoutKinds.kinds
    const [result, counts] = await Promise.all([
      feedCall.run({ ...q, limit: FEED_PAGE }),
      q.kinds ? countsCall.run(withoutKinds) : Promise.resolve(null),
    ])
    if (!result) {
      if (feedError.value) {
        feed.value = null
        events.value = []
      }
      return
    }
    shown = key
    feed.value = result
    events.value = result.events
    kindCounts.value = counts?.counts ?? (q.kinds ? kindCounts.value : result.counts)
    // Only a feed on screen is seen: a refresh while Rules or Archive shows keeps the counts.
    if (active && tab.value === 'feed') void markSeen(q.ruleId)
  }

  /** The next page, when the list scrolls near its end. */
  async function loadMore(): Promise<void> {
    if (loadingMore.value || !hasMore.value || !shown) return
    const key = shown
    const q = JSON.parse(key) as ChangeQuery
    loadingMore.value = true
    const page = await settle(api.changes.list({ ...q, limit: FEED_PAGE, offset: events.value.length }))
    loadingMore.value = false
    if (!page.ok || shown !== key) return
    feed.value = { ...page.data, events: [] }
    const seen = new Set(events.value.map((e) => e.key))
    events.value = [...events.value, ...page.data.events.filter((e) => !seen.has(e.key))]
  }

  /** The feed was looked at: the sidebar badge drops that rule's matches (or all, unfiltered). */
  async function markSeen(id: string | undefined): Promise<void> {
    await watch.markSeen(id)
  }

  // ── Export ──────────────────────────────────────────────────────────────────────────────────
  const exporting = ref(false)
  const notice = ref<ChangesNotice | null>(null)

  async function exportFeed(format: ExportFormat): Promise<ExportOutcome | null> {
    exporting.value = true
    notice.value = null
    const result = await settle(api.changes.export({ query: query(), format }))
    exporting.value = false
    if (!result.ok) {
      notice.value = { tone: 'bad', text: `The feed could not be exported: ${result.error.message}` }
      return null
    }
    const outcome = result.data
    if (!outcome.cancelled) {
      const n = outcome.rows
      notice.value = {
        tone: 'good',
        text: `Saved ${outcome.fileName ?? 'the file'} (${n.toLocaleString('en-US')} ${n === 1 ? 'change' : 'changes'}).`,
      }
    }
    return outcome
  }

  // ── The archive ─────────────────────────────────────────────────────────────────────────────
  const archiveSearch = ref('')
  const archive = shallowRef<ArchivedModel[] | null>(null)
  const archiveCall = useIpcCall((q: { source: CatalogSource; search?: string }) => api.changes.archive(q), {
    latestOnly: true,
  })
  const archiveLoading = archiveCall.busy
  const archiveError = archiveCall.error

  async function loadArchive(): Promise<void> {
    subscribe()
    const search = archiveSearch.value.trim()
    const result = await archiveCall.run({ source: source.value, ...(search ? { search } : {}) })
    if (result) archive.value = result.models
    else if (archiveError.value) archive.value = null
  }

  // ── The detail panel ────────────────────────────────────────────────────────────────────────
  const detail = shallowRef<ChangesDetail | null>(null)
  /** Bumped by every opening and closing: a record arriving after another row was opened is not shown. */
  let openTicket = 0

  function openArchived(m: ArchivedModel): void {
    openTicket++
    detail.value = { record: m.record, archived: m, allowed: null }
  }

  /** A feed row opens its model as it is now, or, when it is gone, its last record from the archive. */
  async function openEvent(event: ChangeEvent): Promise<void> {
    const asked = ++openTicket
    if (catalog.modelById.has(event.modelId)) {
      const allowed = catalog.state?.user ? catalog.allowedIds.has(event.modelId) : null
      // The catalog keeps models normalised, not as records: the whole record comes from main.
      await catalog.loadRecord(event.modelId)
      // Another row opened meanwhile: that one is shown.
      if (asked !== openTicket) return
      const whole = catalog.recordOf(event.modelId)
      if (whole) detail.value = { record: whole, archived: null, allowed }
      else notice.value = { tone: 'bad', text: `The record of ${event.modelId} could not be read.` }
      return
    }
    const found = await settle(api.changes.archive({ source: event.source, search: event.modelId }))
    const archived = found.ok ? found.data.models.find((m) => m.id === event.modelId) : undefined
    if (archived) openArchived(archived)
    else notice.value = { tone: 'bad', text: `${event.modelId} is in neither the catalog nor the archive.` }
  }

  function closeDetail(): void {
    openTicket++
    detail.value = null
  }

  /**
   * Compare reads models from the catalog on screen, so a removed model is compared as of the last
   * snapshot that had it: that snapshot is opened (read-only, as from Snapshots) and the model added.
   */
  async function compareArchived(m: ArchivedModel): Promise<boolean> {
    await catalog.openSnapshot(m.lastSnapshotId)
    if (catalog.openedSnapshotId !== m.lastSnapshotId) {
      notice.value = {
        tone: 'bad',
        text: `The snapshot of ${m.lastSeenAt.slice(0, 10)} could not be opened.`,
      }
      return false
    }
    // Loaded here, not at the top: App reads this store for navigation, and compare is not first-screen code.
    const { useCompareStore } = await import('./compare')
    useCompareStore().add(m.id)
    return true
  }

  /** Main asks for a view (a watch notification was clicked); App routes it. */
  function onNavigate(handler: (to: EventPayloads['app:navigate']) => void): () => void {
    return api.events.onAppNavigate(handler)
  }

  return {
    tab,
    attach,
    detach,
    showTab,
    kinds,
    author,
    model,
    range,
    dates,
    source,
    ruleId,
    ruleName,
    starred,
    hasFilters,
    query,
    clearFilters,
    feed,
    events,
    kindCounts,
    total,
    hasMore,
    feedLoading,
    feedError,
    loadingMore,
    loadFeed,
    loadMore,
    exporting,
    notice,
    exportFeed,
    archiveSearch,
    archive,
    archiveLoading,
    archiveError,
    loadArchive,
    detail,
    openArchived,
    openEvent,
    closeDetail,
    compareArchived,
    onNavigate,
  }
})
