import { basename } from 'node:path'
import type { CatalogSource, Region } from '../../shared/model/raw'
import type {
  ExportOutcome,
  ImportOutcome,
  SnapshotDiffResult,
  SnapshotHistory,
  SnapshotList,
} from '../../shared/app-types'
import type { SnapshotMeta } from '../../shared/snapshots'
import { diffCatalogs, diffAllowedSets } from '../../shared/model/diff'
import type { SnapshotStore } from './snapshots/snapshot-store'
import type { Dialogs } from '../dialogs'
import type { SettingsService } from './settings'
import { writeFileDurable } from './durable-write'
import { readCatalogBytes } from './files/catalog-file'
import type { EventPayloads } from '../../shared/ipc/events'

export interface SnapshotServiceDeps {
  store: SnapshotStore
  dialogs: Dialogs
  settings: SettingsService
  activeProfile: () => Promise<string>
  region: () => Region
  /** Tells the window the stored catalogs changed, so it reloads once (and never guesses). */
  emit?: (event: 'catalog:changed', payload: EventPayloads['catalog:changed']) => void
}

/** The Snapshots view's operations: browsing, diffing, retention, import and bundle export. */
export function createSnapshotService(deps: SnapshotServiceDeps) {
  const { store } = deps

  async function resolveRef(ref: string, source?: CatalogSource): Promise<SnapshotMeta> {
    if (ref.startsWith('latest')) {
      return store.resolve(ref, {
        source: source ?? 'user',
        region: deps.region(),
        profile: await deps.activeProfile(),
      })
    }
    return store.resolve(ref)
  }

  async function list(): Promise<SnapshotList> {
    const [snapshots, usage] = await Promise.all([store.list(), store.usage()])
    return {
      snapshots,
      problems: store.problems(),
      readOnly: store.readOnlyReason,
      totalBytes: usage.totalBytes,
    }
  }

  async function diff(a: string, b: string): Promise<SnapshotDiffResult> {
    // Refs like `latest` are resolved in the source of the other side when that side is an id.
    const first = await resolveRef(a).catch(async (err: unknown) => {
      if (a.startsWith('latest')) return resolveRef(a, 'all')
      throw err
    })
    const second = await resolveRef(b, first.source)
    const [before, after] = await Promise.all([store.load(first.id), store.load(second.id)])
    let allowed: SnapshotDiffResult['allowed'] = null
    if (before.meta.source === 'user' && after.meta.source === 'user') {
      const publicNow = await store.latest({
        source: 'all',
        region: after.meta.region,
        profile: after.meta.profile,
      })
      const publicIds =
        publicNow && !publicNow.unavailable ? (await store.load(publicNow.id)).models.map((m) => m.id) : []
      allowed = diffAllowedSets(
        before.models.map((m) => m.id),
        after.models.map((m) => m.id),
        publicIds,
      )
    }
    return { a: before.meta, b: after.meta, diff: diffCatalogs(before.models, after.models), allowed }
  }

  async function history(modelId: string, source: CatalogSource = 'all'): Promise<SnapshotHistory> {
    const points = await store.history(modelId, {
      source,
      region: deps.region(),
      profile: await deps.activeProfile(),
    })
    return { modelId, points }
  }

  /** `announce: false` when the caller announces the change itself (retention after a refresh). */
  async function prune(opts: { announce?: boolean } = {}): Promise<{ removed: string[] }> {
    const { retention } = await deps.settings.get()
    const removed = await store.prune({
      ...(retention.keepLast ? { keepLast: retention.keepLast } : {}),
      ...(retention.maxMegabytes ? { maxBytes: retention.maxMegabytes * 1024 * 1024 } : {}),
    })
    if (removed.length && opts.announce !== false) deps.emit?.('catalog:changed', { reason: 'snapshots' })
    return { removed }
  }

  async function importFile(opts: { source?: CatalogSource; takenAt?: string }): Promise<ImportOutcome> {
    const path = await deps.dialogs.chooseOpenPath({
      filters: [{ name: 'OpenRouter catalog or Model Deck bundle', extensions: ['json', 'gz'] }],
    })
    if (!path) return { cancelled: true, meta: null, created: false, skipped: 0 }
    // The one capped reader of catalog files; the store decodes the bytes through it too.
    const bytes = await readCatalogBytes(path)
    const { meta, created } = await store.importRaw(bytes, {
      filename: basename(path),
      ...(opts.source ? { source: opts.source } : {}),
      ...(opts.takenAt ? { takenAt: opts.takenAt } : {}),
      profile: await deps.activeProfile(),
      region: deps.region(),
    })
    if (created) deps.emit?.('catalog:changed', { reason: 'import' })
    return { cancelled: false, meta, created, skipped: meta.skipped }
  }

  async function exportBundle(id: string): Promise<ExportOutcome> {
    const meta = await store.resolve(id)
    const defaultName = `model-deck-snapshot-${meta.source}-${meta.takenAt.slice(0, 10)}.json.gz`
    const path = await deps.dialogs.chooseSavePath({
      defaultName,
      filters: [{ name: 'Model Deck snapshot bundle', extensions: ['gz'] }],
    })
    if (!path) return { cancelled: true, fileName: null, rows: 0, bytes: 0 }
    const bytes = await store.exportBundle(meta.id)
    await writeFileDurable(path, bytes)
    return { cancelled: false, fileName: basename(path), rows: meta.modelCount, bytes: bytes.length }
  }

  return {
    list,
    open: async (ref: string) => store.load((await resolveRef(ref)).id),
    diff,
    history,
    prune,
    importFile,
    exportBundle,
    update: (id: string, patch: { note?: string; pinned?: boolean }) => store.update(id, patch),
    remove: async (id: string) => {
      await store.remove(id)
      deps.emit?.('catalog:changed', { reason: 'snapshots' })
      return { removed: [id] }
    },
  }
}
export type SnapshotService = ReturnType<typeof createSnapshotService>
