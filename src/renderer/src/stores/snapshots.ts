import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { api } from '../api'
import { settle, useIpcCall } from '../composables/useIpcCall'
import type { SnapshotDiffResult, SnapshotHistory, SnapshotList } from '../../../shared/app-types'
import type { Result } from '../../../shared/ipc/result'
import type { CatalogSource } from '../../../shared/model/raw'
import type { DiffGroup } from '../../../shared/model/diff'
import type { SnapshotMeta } from '../../../shared/snapshots'
import { defaultDiffPair, formatBytes } from '../../../shared/snapshot-view'

export type SnapshotsTab = 'list' | 'diff' | 'history'
export type DiffSection = 'changed' | 'added' | 'removed' | 'allowed'

/** A short message about the last action, shown in the view's status line. */
export interface SnapshotsNotice {
  tone: 'good' | 'warn' | 'bad'
  text: string
}

/**
 * The Snapshots view: the stored catalogs, a diff between two of them and one model's history.
 * Reading the catalog as of a snapshot is the catalog store's job (openSnapshot).
 */
export const useSnapshotsStore = defineStore('snapshots', () => {
  const list = shallowRef<SnapshotList | null>(null)
  const listCall = useIpcCall(() => api.snapshots.list({}), { latestOnly: true })
  const loading = listCall.busy
  const error = listCall.error
  const tab = ref<SnapshotsTab>('list')
  /** Which action is running: a snapshot id, or 'prune' / 'import'. */
  const busy = ref<string | null>(null)
  const notice = ref<SnapshotsNotice | null>(null)
  const importCall = useIpcCall((options: { source?: CatalogSource; takenAt?: string }) =>
    api.snapshots.import(options),
  )
  const importError = importCall.error
  /** The snapshot just imported, highlighted in the list. */
  const lastImportedId = ref<string | null>(null)
  const profileNames = ref<Record<string, string>>({})
  let subscribed = false

  const snapshots = computed<SnapshotMeta[]>(() => list.value?.snapshots ?? [])
  const readOnly = computed(() => list.value?.readOnly ?? null)

  function subscribe(): void {
    if (subscribed) return
    subscribed = true
    // A refresh, import or profile switch elsewhere changes what is stored.
    api.events.onCatalogChanged(() => {
      if (list.value) void load()
    })
  }

  async function load(): Promise<void> {
    subscribe()
    // Profile names only label the list: without them it still shows, so their failure is not an error.
    const [next, profiles] = await Promise.all([listCall.run(), settle(api.profiles.list({}))])
    if (!next) return
    list.value = next
    if (profiles.ok)
      profileNames.value = Object.fromEntries(profiles.data.profiles.map((p) => [p.id, p.name]))
  }

  /** One action on one snapshot (or 'prune' / 'import'): its failure is the status line's notice. */
  async function run<T>(key: string, action: () => Promise<Result<T>>): Promise<T | null> {
    busy.value = key
    const result = await settle(action())
    busy.value = null
    if (result.ok) return result.data
    notice.value = { tone: 'bad', text: result.error.message }
    return null
  }

  function replaceMeta(meta: SnapshotMeta): void {
    if (!list.value) return
    list.value = { ...list.value, snapshots: list.value.snapshots.map((s) => (s.id === meta.id ? meta : s)) }
  }

  async function update(id: string, patch: { note?: string; pinned?: boolean }): Promise<boolean> {
    const meta = await run(id, () => api.snapshots.update({ id, ...patch }))
    if (!meta) return false
    replaceMeta(meta)
    if (patch.pinned !== undefined)
      notice.value = {
        tone: 'good',
        text: patch.pinned ? 'Pinned: retention will never remove this snapshot.' : 'Unpinned.',
      }
    else notice.value = { tone: 'good', text: 'Note saved.' }
    return true
  }

  async function remove(id: string): Promise<void> {
    const done = await run(id, () => api.snapshots.remove({ id }))
    if (!done) return
    notice.value = { tone: 'good', text: 'Snapshot deleted.' }
    if (diffA.value === id || diffB.value === id) resetDiff()
    // The list is read again on main's catalog:changed, which a removal announces.
  }

  async function prune(): Promise<void> {
    const done = await run('prune', () => api.snapshots.prune({}))
    if (!done) return
    const n = done.removed.length
    notice.value =
      n === 0
        ? { tone: 'good', text: 'Nothing to prune: every snapshot is within the retention limits.' }
        : { tone: 'good', text: `Pruned ${n} snapshot${n === 1 ? '' : 's'}.` }
    // A prune that removed something is announced by main (catalog:changed): the list follows it.
  }

  async function importFile(options: { source?: CatalogSource; takenAt?: string } = {}): Promise<void> {
    busy.value = 'import'
    const outcome = await importCall.run(options)
    busy.value = null
    if (!outcome || outcome.cancelled || !outcome.meta) return
    lastImportedId.value = outcome.meta.id
    const skipped = outcome.skipped > 0 ? `, ${outcome.skipped} unusable records skipped` : ''
    notice.value = outcome.created
      ? {
          tone: 'good',
          text: `Imported ${outcome.meta.importedFrom ?? 'the file'}: ${outcome.meta.modelCount} models${skipped}.`,
        }
      : { tone: 'warn', text: 'That catalog is already stored: nothing was added.' }
    // A stored import is announced by main (catalog:changed): the list follows it.
  }

  async function exportBundle(id: string): Promise<void> {
    const outcome = await run(id, () => api.snapshots.exportBundle({ id }))
    if (!outcome || outcome.cancelled) return
    notice.value = {
      tone: 'good',
      text: `Saved ${outcome.fileName ?? 'the bundle'} (${outcome.rows} models, ${formatBytes(outcome.bytes)}).`,
    }
  }

  // The diff: A is the older side ("from"), B the newer ("to").
  const diffA = ref<string | null>(null)
  const diffB = ref<string | null>(null)
  const diff = shallowRef<SnapshotDiffResult | null>(null)
  const diffCall = useIpcCall((a: string, b: string) => api.snapshots.diff({ a, b }), { latestOnly: true })
  const diffLoading = diffCall.busy
  const diffError = diffCall.error
  const diffGroups = ref<DiffGroup[]>([])
  const diffText = ref('')
  const diffSection = ref<DiffSection>('changed')

  function resetDiff(): void {
    diffA.value = null
    diffB.value = null
    diff.value = null
  }

  async function loadDiff(a: string, b: string): Promise<void> {
    diffA.value = a
    diffB.value = b
    const result = await diffCall.run(a, b)
    if (result) {
      diff.value = result
      diffSection.value = firstSection(result)
    } else if (diffError.value) diff.value = null
  }

  function firstSection(result: SnapshotDiffResult): DiffSection {
    const { counts } = result.diff
    if (counts.changed > 0 || (counts.added === 0 && counts.removed === 0)) return 'changed'
    return counts.added > 0 ? 'added' : 'removed'
  }

  /** Opens the diff tab on the chosen pair, or on the latest against the one before. */
  async function openDiff(a?: string, b?: string): Promise<void> {
    tab.value = 'diff'
    if (a && b) return loadDiff(a, b)
    if (diffA.value && diffB.value) {
      if (!diff.value && !diffLoading.value) await loadDiff(diffA.value, diffB.value)
      return
    }
    const pair = defaultDiffPair(snapshots.value)
    if (pair) await loadDiff(pair.a, pair.b)
  }

  // One model's history.
  const historyModelId = ref<string | null>(null)
  const historySource = ref<CatalogSource>('all')
  const history = shallowRef<SnapshotHistory | null>(null)
  const historyCall = useIpcCall(
    (modelId: string, source: CatalogSource) => api.snapshots.history({ modelId, source }),
    { latestOnly: true },
  )
  const historyLoading = historyCall.busy
  const historyError = historyCall.error

  async function openHistory(modelId: string, source: CatalogSource = historySource.value): Promise<void> {
    tab.value = 'history'
    historyModelId.value = modelId
    historySource.value = source
    const result = await historyCall.run(modelId, source)
    if (result) history.value = result
    else if (historyError.value) history.value = null
  }

  return {
    list,
    snapshots,
    readOnly,
    loading,
    error,
    tab,
    busy,
    notice,
    importError,
    lastImportedId,
    profileNames,
    load,
    update,
    remove,
    prune,
    importFile,
    exportBundle,
    diffA,
    diffB,
    diff,
    diffLoading,
    diffError,
    diffGroups,
    diffText,
    diffSection,
    loadDiff,
    openDiff,
    historyModelId,
    historySource,
    history,
    historyLoading,
    historyError,
    openHistory,
  }
})
