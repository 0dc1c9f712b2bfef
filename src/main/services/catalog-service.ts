import { AppError, type AppErrorShape } from '../../shared/ipc/result'
import type { CatalogSource, RawModel, Region } from '../../shared/model/raw'
import type {
  CatalogSide,
  CatalogState,
  EndpointsResult,
  RefreshOutcome,
  SourceRefreshOutcome,
} from '../../shared/app-types'
import type { EventName } from '../../shared/ipc/channels'
import type { EventPayloads } from '../../shared/ipc/events'
import { parseModelsBody, parseEndpointsBody } from '../../shared/model/parse'
import { isOfflineError, isStorageError } from '../../shared/ipc/error-groups'
import { normaliseEndpoint } from '../../shared/model/endpoint'
import type { OpenRouterClient } from './openrouter/client'
import type { KeyService } from './key-service'
import type { RecordPool, SnapshotStore } from './snapshots/snapshot-store'
import { log } from '../log'
import { createNetworkState, type NetworkState } from './network-state'

type Emit = <E extends EventName>(event: E, payload: EventPayloads[E]) => void

export interface CatalogServiceDeps {
  client: OpenRouterClient
  store: SnapshotStore
  keys: KeyService
  region: () => Region
  emit: Emit
  /** Runs after a refresh stored a new snapshot (retention). */
  afterSave?: () => Promise<void>
  /** Shared with every other OpenRouter caller; a private one when not given (tests). */
  network?: NetworkState
}

/**
 * The catalog the user sees is always a snapshot: refresh fetches, parses and stores one; get
 * reads the latest (or a chosen one) from disk, so the app works the same with no network.
 */
export function createCatalogService(deps: CatalogServiceDeps) {
  const network = deps.network ?? createNetworkState({ emit: deps.emit })
  let lastError: AppErrorShape | null = null
  // Every request in flight, so one Cancel stops a refresh and any provider lookups alike.
  const active = new Set<AbortController>()
  let running: Promise<RefreshOutcome> | null = null

  // The client reports each exchange too; these cover outcomes decided above one exchange.
  const setOnline = (value: boolean): void => network.report(value)

  async function filterFor(source: CatalogSource) {
    return { source, region: deps.region(), profile: await deps.keys.activeId() }
  }

  async function side(
    meta: Awaited<ReturnType<SnapshotStore['latest']>>,
    pool: RecordPool,
  ): Promise<CatalogSide | null> {
    if (!meta || meta.unavailable) return null
    try {
      return await deps.store.load(meta.id, { pool })
    } catch (err) {
      log.warn(`Snapshot ${meta.id} could not be loaded:`, err)
      return null
    }
  }

  async function get(opts: { snapshotId?: string }): Promise<CatalogState> {
    const profileId = await deps.keys.activeId()
    const region = deps.region()
    let user: CatalogSide | null
    let all: CatalogSide | null
    // Both lists read through one pool: a model the key may use is, record for record, the public
    // one, and is then one object in both (see packCatalogState).
    const pool: RecordPool = new Map()
    if (opts.snapshotId) {
      const opened = await deps.store.load(opts.snapshotId, { pool })
      // The other list comes from the newest snapshot at or before the opened one, so "allowed vs
      // all" is shown as it was on that date.
      const otherSource: CatalogSource = opened.meta.source === 'user' ? 'all' : 'user'
      const candidates = await deps.store.list({
        source: otherSource,
        region: opened.meta.region,
        profile: opened.meta.profile,
      })
      const other = candidates.find((m) => m.takenAt <= opened.meta.takenAt && !m.unavailable)
      const otherSide = await side(other, pool)
      user = opened.meta.source === 'user' ? opened : otherSide
      all = opened.meta.source === 'all' ? opened : otherSide
    } else {
      ;[user, all] = await Promise.all([
        deps.store.latest(await filterFor('user')).then((meta) => side(meta, pool)),
        deps.store.latest(await filterFor('all')).then((meta) => side(meta, pool)),
      ])
    }
    return {
      profileId,
      region,
      user,
      all,
      historical: Boolean(opts.snapshotId),
      online: network.online(),
      lastError,
      problems: deps.store.problems(),
      readOnlyStore: deps.store.readOnlyReason,
      readOnlyStoreMayClear: deps.store.readOnlyMayClear,
    }
  }

  async function fetchSource(source: CatalogSource, signal: AbortSignal): Promise<SourceRefreshOutcome> {
    const outcome: SourceRefreshOutcome = {
      source,
      ok: false,
      snapshotId: null,
      created: false,
      modelCount: 0,
      skipped: 0,
      skippedReasons: [],
      error: null,
    }
    const profile = await deps.keys.activeId()
    try {
      deps.emit('catalog:refresh-progress', { source, phase: 'fetching' })
      const body =
        source === 'user'
          ? await deps.client.listUserModels({ signal })
          : await deps.client.listModels({ signal })
      setOnline(true)
      let parsed
      try {
        parsed = parseModelsBody(body)
      } catch (err) {
        throw new AppError(
          'bad-response',
          `OpenRouter sent a catalog Model Deck cannot read: ${(err as Error).message}`,
        )
      }
      if (parsed.models.length === 0 && parsed.skipped > 0) {
        throw new AppError(
          'bad-response',
          `None of the ${parsed.skipped} models OpenRouter sent could be read.`,
        )
      }
      if (source === 'user') await deps.keys.markVerified(profile)
      deps.emit('catalog:refresh-progress', { source, phase: 'saving' })
      const saved = await deps.store.save({
        source,
        region: deps.region(),
        profile,
        models: parsed.models,
        skipped: parsed.skipped,
      })
      Object.assign(outcome, {
        ok: true,
        snapshotId: saved.meta.id,
        created: saved.created,
        modelCount: saved.meta.modelCount,
        skipped: parsed.skipped,
        skippedReasons: parsed.skippedReasons.slice(0, 20),
      })
      deps.emit('catalog:refresh-progress', { source, phase: 'done' })
    } catch (err) {
      const error = err instanceof AppError ? err : new AppError('internal', (err as Error).message)
      if (isOfflineError(error.code)) setOnline(false)
      else if (error.code !== 'cancelled' && error.code !== 'key-missing' && !isStorageError(error.code))
        setOnline(true)
      if (source === 'user' && error.code === 'key-rejected')
        await deps.keys.markFailed(profile, error.toShape())
      outcome.error = error.toShape()
      deps.emit('catalog:refresh-progress', {
        source,
        phase: error.code === 'cancelled' ? 'cancelled' : 'error',
        message: error.message,
      })
    }
    return outcome
  }

  async function refresh(opts: { sources?: CatalogSource[] }): Promise<RefreshOutcome> {
    // A second click while a refresh runs joins it instead of starting another.
    if (running) return running
    const controller = new AbortController()
    active.add(controller)
    running = (async () => {
      const hasKey = (await deps.keys.getActiveKey().catch(() => null)) !== null
      const sources = opts.sources ?? (hasKey ? ['user', 'all'] : ['all'])
      deps.emit('catalog:refresh-progress', {
        source: sources[0] ?? 'all',
        phase: 'start',
        total: sources.length,
      })
      const results = await Promise.all(sources.map((s) => fetchSource(s, controller.signal)))
      const firstError = results.find((r) => r.error)?.error ?? null
      lastError = firstError
      if (results.some((r) => r.ok && r.created)) {
        await deps.afterSave?.()
        deps.emit('catalog:changed', { reason: 'refresh' })
      }
      return { results, online: network.online() ?? false }
    })().finally(() => {
      running = null
      active.delete(controller)
    })
    return running
  }

  async function endpoints(opts: {
    snapshotId: string
    modelId: string
    refresh?: boolean
  }): Promise<EndpointsResult> {
    const { meta, models } = await deps.store.load(opts.snapshotId)
    const record = models.find((m) => m.id === opts.modelId)
    if (!record)
      throw new AppError(
        'not-found',
        `${opts.modelId} is not in the snapshot of ${meta.takenAt.slice(0, 10)}.`,
      )
    if (!opts.refresh) {
      const cached = await deps.store.loadEndpoints(meta.id, opts.modelId)
      if (cached !== undefined && cached !== null) return toResult(opts.modelId, cached, true)
    }
    const links = record.links as { details?: unknown } | undefined
    const slug = typeof record.canonical_slug === 'string' ? record.canonical_slug : record.id
    const target =
      typeof links?.details === 'string' ? links.details : `/models/${slug.replace(/^~/, '')}/endpoints`
    const controller = new AbortController()
    active.add(controller)
    try {
      const body = await deps.client.getEndpoints(target, { signal: controller.signal })
      setOnline(true)
      if (!deps.store.readOnly) await deps.store.saveEndpoints(meta.id, opts.modelId, body)
      return toResult(opts.modelId, body, false)
    } catch (err) {
      if (err instanceof AppError && isOfflineError(err.code)) setOnline(false)
      throw err
    } finally {
      active.delete(controller)
    }
  }

  /** Whole records for the detail pane: catalog:get sends the table's part of each (see catalog-wire). */
  async function records(opts: { snapshotId: string; modelIds: string[] }): Promise<{ models: RawModel[] }> {
    const { models } = await deps.store.load(opts.snapshotId)
    const byId = new Map(models.map((m) => [m.id, m]))
    return { models: opts.modelIds.flatMap((id) => byId.get(id) ?? []) }
  }

  function toResult(modelId: string, body: unknown, fromCache: boolean): EndpointsResult {
    let parsed
    try {
      parsed = parseEndpointsBody(body)
    } catch (err) {
      throw new AppError(
        'bad-response',
        `The provider list for ${modelId} cannot be read: ${(err as Error).message}`,
      )
    }
    return { modelId, fromCache, rows: parsed.endpoints.map(normaliseEndpoint), skipped: parsed.skipped }
  }

  return {
    get,
    refresh,
    endpoints,
    records,
    cancel(): { cancelled: boolean } {
      if (active.size === 0) return { cancelled: false }
      for (const controller of active) controller.abort()
      return { cancelled: true }
    },
    online: () => network.online(),
  }
}
export type CatalogService = ReturnType<typeof createCatalogService>
