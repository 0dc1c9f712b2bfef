import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import { api } from '../api'
import { useIpcCall } from '../composables/useIpcCall'
import type { AppErrorShape } from '../../../shared/ipc/result'
import type { JsonValue } from '../../../shared/settings'
import type { SnapshotMeta } from '../../../shared/snapshots'
import type { CatalogSource } from '../../../shared/model/raw'
import type { Workload } from '../../../shared/model/compare'
import { normaliseModel, type NormalisedModel } from '../../../shared/model/normalise'
import { createSearchIndex, search, type SearchHit } from '../../../shared/model/search'
import {
  buildCompareGroups,
  summariseProviders,
  visibleGroups,
  type ProviderSummary,
} from '../../../shared/model/compare-rows'
import { costTable } from '../../../shared/model/compare-cost'
import {
  modelDelta,
  modelTimeline,
  type ModelDelta,
  type TimelineRow,
} from '../../../shared/model/compare-delta'
import {
  MAX_COMPARED,
  addId,
  cleanWorkload,
  defaultCompareState,
  deleteSet as withoutSet,
  moveItem,
  parseCompareState,
  saveSet as withSet,
  type CompareTab,
  type CompareUiState,
  type NamedSet,
} from '../../../shared/model/compare-set'
import { useCatalogStore, type CatalogSideView } from './catalog'
import { useExportStore } from './export'
import { useSettingsStore } from './settings'
import { useSnapshotsStore } from './snapshots'

const UI_KEY = 'compare'

export type ProviderStatus =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'done'; summary: ProviderSummary; fromCache: boolean }
  | { state: 'error'; error: AppErrorShape }

/** What an export of the comparison needs: the snapshot the records come from and the columns in order. */
export type CompareExportRequest = { what: 'compare'; snapshotId: string; modelIds: string[] }

/**
 * The compare view: which models (2–8, in column order), the workload, named sets, provider summaries and
 * the older snapshot to compare against. Models come from the catalog on screen; everything works from
 * snapshots, so offline too.
 */
export const useCompareStore = defineStore('compare', () => {
  const catalog = useCatalogStore()
  const settings = useSettingsStore()

  const initial = defaultCompareState()
  const ids = ref<string[]>(initial.ids)
  const sets = ref<NamedSet[]>(initial.sets)
  const workload = ref<Workload>(initial.workload)
  const hideIdentical = ref(initial.hideIdentical)
  const tab = ref<CompareTab>(initial.tab)
  const notice = ref<string | null>(null)
  /** False until the saved state was read back: saving earlier would overwrite it with defaults. */
  const restored = ref(false)
  /** The set was chosen in this session before settings arrived; the saved one must not replace it. */
  let idsTouched = false

  function uiState(): CompareUiState {
    return {
      ids: ids.value,
      sets: sets.value,
      workload: workload.value,
      hideIdentical: hideIdentical.value,
      tab: tab.value,
    }
  }

  function restore(): void {
    if (restored.value || !settings.settings) return
    const saved = parseCompareState(settings.uiState<unknown>(UI_KEY))
    if (!idsTouched) ids.value = saved.ids
    sets.value = saved.sets
    workload.value = saved.workload
    hideIdentical.value = saved.hideIdentical
    tab.value = saved.tab
    restored.value = true
  }
  watch(() => settings.settings, restore, { immediate: true })
  watch(
    uiState,
    (state) => {
      if (restored.value) settings.saveUi(UI_KEY, JSON.parse(JSON.stringify(state)) as JsonValue)
    },
    { deep: true },
  )

  /** Both lists of the catalog on screen, by id; the allowed list's record wins when both have one. */
  const catalogById = computed(() => {
    const map = new Map<string, NormalisedModel>()
    for (const m of catalog.allModels) map.set(m.id, m)
    for (const m of catalog.userModels) map.set(m.id, m)
    return map
  })
  const catalogList = computed(() => [...catalogById.value.values()])
  const searchIndex = computed(() => createSearchIndex(catalogList.value))

  const models = computed(() =>
    ids.value.flatMap((id) => {
      const m = catalogById.value.get(id)
      return m ? [m] : []
    }),
  )
  /** Remembered ids the catalog on screen does not have (renamed, removed, or another profile's). */
  const missingIds = computed(() =>
    catalog.hasCatalog ? ids.value.filter((id) => !catalogById.value.has(id)) : [],
  )
  const full = computed(() => ids.value.length >= MAX_COMPARED)

  function find(query: string, limit = 12): SearchHit[] {
    if (!query.trim()) return []
    return search(searchIndex.value, query, { highlightLimit: limit }).slice(0, limit)
  }

  function setIds(next: string[]): void {
    idsTouched = true
    ids.value = next
  }
  function add(id: string): boolean {
    if (ids.value.includes(id)) return false
    if (full.value) {
      notice.value = `At most ${MAX_COMPARED} models can be compared: remove one first.`
      return false
    }
    setIds(addId(ids.value, id))
    notice.value = null
    return true
  }
  function remove(id: string): void {
    setIds(ids.value.filter((x) => x !== id))
  }
  function move(id: string, by: number): void {
    const from = ids.value.indexOf(id)
    if (from !== -1) setIds(moveItem(ids.value, from, from + by))
  }
  function moveTo(id: string, index: number): void {
    const from = ids.value.indexOf(id)
    if (from !== -1) setIds(moveItem(ids.value, from, index))
  }
  function clear(): void {
    setIds([])
  }

  /** The catalog's checked rows become the compare set, once: the selection is cleared as it is taken. */
  function takeSelection(): void {
    const selected = [...catalog.selection]
    if (selected.length === 0) return
    const taken = selected.slice(0, MAX_COMPARED)
    setIds(taken)
    notice.value =
      selected.length > MAX_COMPARED
        ? `${selected.length} models were selected; comparing the first ${MAX_COMPARED}.`
        : null
    catalog.clearSelection()
  }

  function saveSet(name: string): void {
    sets.value = withSet(sets.value, name, ids.value)
  }
  function loadSet(name: string): void {
    const found = sets.value.find((s) => s.name === name)
    if (found) setIds([...found.ids])
  }
  function deleteSet(name: string): void {
    sets.value = withoutSet(sets.value, name)
  }

  function setWorkload(patch: Partial<Record<keyof Workload, unknown>>): void {
    workload.value = cleanWorkload({ ...workload.value, ...patch })
  }

  // ── Providers: from the snapshot's cached endpoints when there are some, otherwise fetched ──────
  const fetching = ref(false)
  const fetchProgress = ref<{ done: number; total: number } | null>(null)
  let cancelRequested = false

  function providerStatus(id: string): ProviderStatus {
    const entry = catalog.endpointsOf(id)
    if (!entry) return { state: 'idle' }
    if (entry.loading) return { state: 'loading' }
    if (entry.result)
      return {
        state: 'done',
        summary: summariseProviders(entry.result.rows),
        fromCache: entry.result.fromCache,
      }
    if (entry.error) return { state: 'error', error: entry.error }
    return { state: 'idle' }
  }
  const providerStatuses = computed(() => models.value.map((m) => providerStatus(m.id)))
  const providerSummaries = computed(() =>
    providerStatuses.value.map((s) => (s.state === 'done' ? s.summary : null)),
  )
  const providerErrors = computed(() =>
    models.value.flatMap((m, i) => {
      const s = providerStatuses.value[i]
      return s?.state === 'error' && s.error.code !== 'cancelled' ? [{ model: m, error: s.error }] : []
    }),
  )

  async function fetchProviders(opts: { refresh?: boolean } = {}): Promise<void> {
    if (fetching.value) return
    const targets = models.value.map((m) => m.id)
    cancelRequested = false
    fetching.value = true
    fetchProgress.value = { done: 0, total: targets.length }
    try {
      // One at a time: the progress is honest and Cancel stops what is left.
      for (const id of targets) {
        if (cancelRequested) break
        await catalog.loadEndpoints(id, opts)
        fetchProgress.value = { done: fetchProgress.value.done + 1, total: targets.length }
      }
    } finally {
      fetching.value = false
      fetchProgress.value = null
    }
  }
  async function cancelProviders(): Promise<void> {
    cancelRequested = true
    await api.catalog.cancel({})
  }

  // ── The grid and the workload ─────────────────────────────────────────────────────────────────
  const groups = computed(() => buildCompareGroups(models.value, providerSummaries.value))
  const shownGroups = computed(() => visibleGroups(groups.value, hideIdentical.value))
  const rowCount = computed(() => groups.value.reduce((n, g) => n + g.rows.length, 0))
  const shownRowCount = computed(() => shownGroups.value.reduce((n, g) => n + g.rows.length, 0))
  const costs = computed(() => costTable(models.value, workload.value))

  // ── Across time: the same models as of an older snapshot ────────────────────────────────────
  const snapshotsStore = useSnapshotsStore()
  const currentSnapshotIds = computed(
    () =>
      new Set([catalog.state?.user?.meta.id, catalog.state?.all?.meta.id].filter((x): x is string => !!x)),
  )
  /** Every readable snapshot except the ones on screen, newest first. */
  const olderSnapshots = computed<SnapshotMeta[]>(() =>
    [...snapshotsStore.snapshots]
      .filter((s) => !s.unavailable && !currentSnapshotIds.value.has(s.id))
      .sort((a, b) => b.takenAt.localeCompare(a.takenAt)),
  )
  const againstId = ref<string | null>(null)
  const againstMeta = shallowRef<SnapshotMeta | null>(null)
  const againstModels = shallowRef<Map<string, NormalisedModel> | null>(null)
  const againstCall = useIpcCall((id: string) => api.snapshots.open({ ref: id }), { latestOnly: true })
  const againstLoading = againstCall.busy
  const againstError = againstCall.error

  async function loadSnapshotList(): Promise<void> {
    await snapshotsStore.load()
  }

  async function compareAgainst(id: string | null): Promise<void> {
    againstId.value = id
    if (!id) {
      againstCall.cancel()
      againstMeta.value = null
      againstModels.value = null
      return
    }
    const opened = await againstCall.run(id)
    if (opened) {
      againstMeta.value = opened.meta
      againstModels.value = new Map(opened.models.map((raw) => [raw.id, normaliseModel(raw)]))
    } else if (againstError.value) {
      againstModels.value = null
      againstMeta.value = null
    }
  }

  const deltas = computed<{ model: NormalisedModel; delta: ModelDelta }[]>(() => {
    const older = againstModels.value
    if (!older) return []
    return models.value.map((m) => ({ model: m, delta: modelDelta(older.get(m.id) ?? null, m) }))
  })

  // ── Across time: one model over every snapshot of its list ─────────────────────────────────
  const timelineModelId = ref<string | null>(null)
  const timeline = shallowRef<TimelineRow[] | null>(null)
  const timelineCall = useIpcCall(
    (modelId: string, source: CatalogSource) => api.snapshots.history({ modelId, source }),
    { latestOnly: true },
  )
  const timelineLoading = timelineCall.busy
  const timelineError = timelineCall.error

  function sourceOf(id: string): CatalogSource {
    return catalog.state?.user?.models.some((m) => m.id === id) ? 'user' : 'all'
  }

  async function loadTimeline(modelId: string | null): Promise<void> {
    timelineModelId.value = modelId
    timeline.value = null
    if (!modelId) {
      timelineCall.cancel()
      return
    }
    const history = await timelineCall.run(modelId, sourceOf(modelId))
    if (history) timeline.value = modelTimeline(history.points)
  }

  // ── Export ──────────────────────────────────────────────────────────────────────────────────
  /** The snapshot holding the compared records: the allowed list when it has them all, else the public one. */
  const exportRequest = computed<CompareExportRequest | null>(() => {
    if (models.value.length === 0) return null
    const holdsAll = (side: CatalogSideView | null | undefined): side is CatalogSideView =>
      !!side && models.value.every((m) => side.models.some((r) => r.id === m.id))
    const user = catalog.state?.user
    const all = catalog.state?.all
    const side = holdsAll(user) ? user : holdsAll(all) ? all : (all ?? user)
    return side
      ? { what: 'compare', snapshotId: side.meta.id, modelIds: models.value.map((m) => m.id) }
      : null
  })
  /** Opens the export dialog on the compared models, in column order. */
  function exportComparison(): void {
    if (exportRequest.value) useExportStore().openExport(exportRequest.value)
  }

  return {
    ids,
    sets,
    workload,
    hideIdentical,
    tab,
    notice,
    restored,
    catalogList,
    models,
    missingIds,
    full,
    find,
    add,
    remove,
    move,
    moveTo,
    clear,
    takeSelection,
    saveSet,
    loadSet,
    deleteSet,
    setWorkload,
    fetching,
    fetchProgress,
    providerStatuses,
    providerErrors,
    fetchProviders,
    cancelProviders,
    groups,
    shownGroups,
    rowCount,
    shownRowCount,
    costs,
    olderSnapshots,
    againstId,
    againstMeta,
    againstLoading,
    againstError,
    loadSnapshotList,
    compareAgainst,
    deltas,
    timelineModelId,
    timeline,
    timelineLoading,
    timelineError,
    loadTimeline,
    exportRequest,
    exportComparison,
  }
})
