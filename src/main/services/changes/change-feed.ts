import { join } from 'node:path'
import type {
  ArchiveQuery,
  ArchivedModel,
  ChangeEvent,
  ChangeFeed,
  ChangeQuery,
} from '../../../shared/changes/types'
import {
  assembleSeries,
  groupSeries,
  pairChanges,
  queryEvents,
  seriesKey,
  type SeriesPair,
} from '../../../shared/changes/events'
import type { ExportFormat } from '../../../shared/export/file-name'
import type { ExportOutcome } from '../../../shared/app-types'
import type { RawModel, Region } from '../../../shared/model/raw'
import type { SnapshotMeta } from '../../../shared/snapshots'
import { normaliseModel } from '../../../shared/model/normalise'
import { createSearchIndex, search } from '../../../shared/model/search'
import type { RecordPool, SnapshotStore } from '../snapshots/snapshot-store'
import type { Dialogs } from '../../dialogs'
import type { SettingsService } from '../settings'
import { log } from '../../log'
import { openEventFile, pairKey, type PairRecord } from './event-file'
import { exportChanges } from './export-changes'

export type EventMatch = (e: ChangeEvent) => boolean

export interface ChangeFeedService {
  list(query: ChangeQuery, opts?: { match?: EventMatch }): Promise<ChangeFeed>
  /** Events first seen in this snapshot (vs the one before it in its series), computed if needed. */
  eventsOf(snapshotId: string): Promise<ChangeEvent[]>
  /** The record an event is about: the record after the change, or the last record for a removal. */
  recordOf(event: ChangeEvent): Promise<RawModel | undefined>
  archive(query: ArchiveQuery): Promise<ArchivedModel[]>
  /** Through the save dialog, like the catalog exports; every matching event, whatever the limit. */
  exportFeed(query: ChangeQuery, format: ExportFormat, opts?: { match?: EventMatch }): Promise<ExportOutcome>
}

export interface ChangeFeedDeps {
  store: SnapshotStore
  dataDir: string
  /** Only for exportFeed. */
  dialogs?: Dialogs
  settings?: SettingsService
  /** Where the event cache lives; by default `<dataDir>/changes/events.v1.jsonl`. */
  eventFile?: string
  /**
   * The profile and region whose snapshots the feed and archive show (the active ones, or the CLI's
   * --profile/--region). Without it, every series: each profile keeps its own public series too,
   * so an unscoped feed would list one public change once per profile.
   */
  scope?: () => Promise<{ profile: string; region: Region }>
}

/** The events of one series in time order, with the snapshots they came from. */
interface SeriesEvents {
  points: SnapshotMeta[]
  events: ChangeEvent[]
}

interface Assembled {
  series: Map<string, SeriesEvents>
  all: ChangeEvent[]
  metas: Map<string, SnapshotMeta>
}

const isRemoval = (e: ChangeEvent) => e.kind === 'removed' || e.kind === 'allowed-left'
const isArrival = (e: ChangeEvent) =>
  e.kind === 'added' || e.kind === 're-added' || e.kind === 'allowed-entered'

class UnreadableSnapshot extends Error {
  constructor(
    readonly snapshotId: string,
    override readonly cause: unknown,
  ) {
    super(`snapshot ${snapshotId} could not be read`)
  }
}

/** The public snapshot nearest in time to a user snapshot, of the same region and profile. */
function nearestPublic(
  user: SnapshotMeta,
  publics: readonly SnapshotMeta[] | undefined,
): SnapshotMeta | null {
  let best: SnapshotMeta | null = null
  let bestGap = Infinity
  const at = Date.parse(user.takenAt)
  for (const p of publics ?? []) {
    const gap = Math.abs(Date.parse(p.takenAt) - at)
    if (gap < bestGap) {
      best = p
      bestGap = gap
    }
  }
  return best
}

/**
 * The change feed and the archive of removed models over every snapshot in the store. Events are
 * computed once per pair of neighbouring snapshots and kept in the event file, so opening the feed
 * reads one file; only pairs it lacks (new snapshots, or neighbours joined by a removal) are diffed.
 */
export function createChangeFeed(deps: ChangeFeedDeps): ChangeFeedService {
  const { store } = deps
  const file = openEventFile(deps.eventFile ?? join(deps.dataDir, 'changes', `events.v1.jsonl`))
  // Snapshots that could not be loaded this session: left out, so their neighbours pair up.
  const unreadable = new Set<string>()
  let queue: Promise<unknown> = Promise.resolve()
  // The last few snapshots loaded: a walk over a series loads each once, with its public catalog beside it.
  const recent = new Map<string, RawModel[]>()

  async function loadModels(id: string, pool?: RecordPool): Promise<RawModel[]> {
    const hit = recent.get(id)
    if (hit) return hit
    const { models } = await store.load(id, pool ? { pool } : undefined)
    recent.set(id, models)
    if (recent.size > 3) recent.delete(recent.keys().next().value!)
    return models
  }

  async function loadOrMark(id: string, pool: RecordPool): Promise<RawModel[]> {
    try {
      return await loadModels(id, pool)
    } catch (err) {
      throw new UnreadableSnapshot(id, err)
    }
  }

  async function computePair(
    previous: SnapshotMeta,
    snapshot: SnapshotMeta,
    pub: SnapshotMeta | null,
    pool: RecordPool,
    publicIds: Map<string, Set<string>>,
  ): Promise<PairRecord> {
    const before = await loadOrMark(previous.id, pool)
    const after = await loadOrMark(snapshot.id, pool)
    let ids: Set<string> | undefined
    if (pub) {
      // An unreadable public catalog is left out like any other snapshot: the nearest readable one decides.
      ids = publicIds.get(pub.id) ?? new Set((await loadOrMark(pub.id, pool)).map((m) => m.id))
      publicIds.set(pub.id, ids)
    }
    return {
      previousId: previous.id,
      snapshotId: snapshot.id,
      publicId: pub?.id ?? null,
      changes: pairChanges(before, after, {
        allowedSet: snapshot.source === 'user',
        ...(ids ? { publicIds: ids } : {}),
      }),
    }
  }

  async function readCache(): Promise<Map<string, PairRecord>> {
    try {
      return await file.read()
    } catch (err) {
      log.warn('The change feed cache could not be read; computing it from the snapshots:', err)
      return new Map()
    }
  }

  async function assemble(): Promise<Assembled> {
    for (;;) {
      const metas = (await store.list()).filter((m) => !m.unavailable && !unreadable.has(m.id))
      const cache = await readCache()
      const series = groupSeries(metas)
      const pool: RecordPool = new Map()
      const publicIds = new Map<string, Set<string>>()
      const fresh: PairRecord[] = []
      const result = new Map<string, SeriesEvents>()
      let failed = false
      try {
        for (const [key, points] of series) {
          const pairs: SeriesPair[] = []
          for (let i = 1; i < points.length; i++) {
            const previous = points[i - 1]!
            const snapshot = points[i]!
            const pub =
              snapshot.source === 'user'
                ? nearestPublic(snapshot, series.get(seriesKey({ ...snapshot, source: 'all' })))
                : null
            const publicId = pub?.id ?? null
            const k = pairKey(previous.id, snapshot.id)
            let record = cache.get(k)
            if (!record || record.publicId !== publicId) {
              record = await computePair(previous, snapshot, pub, pool, publicIds)
              cache.set(k, record)
              fresh.push(record)
            }
            pairs.push({ previous, snapshot, changes: record.changes })
          }
          result.set(key, { points, events: assembleSeries(pairs) })
        }
      } catch (err) {
        if (!(err instanceof UnreadableSnapshot)) throw err
        log.warn(
          `Snapshot ${err.snapshotId} could not be read for the change feed; it is left out:`,
          err.cause,
        )
        unreadable.add(err.snapshotId)
        failed = true
      }
      // What was computed is kept even when a later pair failed: the next pass reuses it.
      await persist(fresh, cache, series)
      if (failed) continue
      const all = [...result.values()].flatMap((s) => s.events)
      return { series: result, all, metas: new Map(metas.map((m) => [m.id, m])) }
    }
  }

  async function persist(
    fresh: PairRecord[],
    cache: Map<string, PairRecord>,
    series: Map<string, SnapshotMeta[]>,
  ): Promise<void> {
    try {
      const live = new Set<string>()
      for (const points of series.values())
        for (let i = 1; i < points.length; i++) live.add(pairKey(points[i - 1]!.id, points[i]!.id))
      // Pairs of removed snapshots and damaged lines pile up; past as many again as are used, start over.
      if (file.waste(live.size) > Math.max(64, live.size)) {
        const keep = [...cache.values()].filter((r) => live.has(pairKey(r.previousId, r.snapshotId)))
        await file.rewrite(keep)
      } else if (fresh.length) await file.append(fresh)
    } catch (err) {
      // A read-only or full disk costs only speed: the events are computed again next time.
      log.warn('The change feed cache could not be written:', err)
    }
  }

  /** One assembly at a time, so two callers never diff (or append) the same pairs twice. */
  function sync(): Promise<Assembled> {
    const next = queue.then(assemble, assemble)
    queue = next.catch(() => undefined)
    return next
  }

  type Scoped = (item: { profile: string; region: Region }) => boolean
  async function inScope(): Promise<Scoped> {
    const scope = await deps.scope?.()
    return scope ? (item) => item.profile === scope.profile && item.region === scope.region : () => true
  }

  async function list(query: ChangeQuery, opts: { match?: EventMatch } = {}): Promise<ChangeFeed> {
    const [{ all, metas }, scoped] = await Promise.all([sync(), inScope()])
    const snapshots = [...metas.values()].filter(
      (m) => scoped(m) && (!query.source || m.source === query.source),
    ).length
    const { match } = opts
    return queryEvents(all, query, {
      snapshots,
      match: match ? (e) => scoped(e) && match(e) : scoped,
    })
  }

  async function eventsOf(snapshotId: string): Promise<ChangeEvent[]> {
    const { all } = await sync()
    return all.filter((e) => e.snapshotId === snapshotId)
  }

  async function recordOf(event: ChangeEvent): Promise<RawModel | undefined> {
    const id = isRemoval(event) ? event.previousId : event.snapshotId
    try {
      return (await loadModels(id)).find((m) => m.id === event.modelId)
    } catch {
      return undefined
    }
  }

  async function archive(query: ArchiveQuery): Promise<ArchivedModel[]> {
    const [{ series, metas }, scoped] = await Promise.all([sync(), inScope()])
    const gone: { event: ChangeEvent; lastSeen: SnapshotMeta }[] = []
    for (const { points, events } of series.values()) {
      if (query.source && points[0]!.source !== query.source) continue
      if (!scoped(points[0]!)) continue
      const open = new Map<string, ChangeEvent>()
      for (const e of events) {
        if (isRemoval(e)) open.set(e.modelId, e)
        else if (isArrival(e)) open.delete(e.modelId)
      }
      for (const e of open.values()) gone.push({ event: e, lastSeen: metas.get(e.previousId)! })
    }
    const out: ArchivedModel[] = []
    const bySnapshot = new Map<string, typeof gone>()
    for (const g of gone) bySnapshot.set(g.lastSeen.id, [...(bySnapshot.get(g.lastSeen.id) ?? []), g])
    for (const [snapshotId, entries] of bySnapshot) {
      let models: RawModel[]
      try {
        models = (await store.load(snapshotId)).models
      } catch {
        continue
      }
      const byId = new Map(models.map((m) => [m.id, m]))
      for (const { event, lastSeen } of entries) {
        const record = byId.get(event.modelId)
        if (!record) continue
        out.push({
          id: event.modelId,
          name: event.name,
          author: event.author,
          source: event.source,
          region: event.region,
          profile: event.profile,
          lastSeenAt: lastSeen.takenAt,
          lastSnapshotId: lastSeen.id,
          removedAt: event.at,
          record,
        })
      }
    }
    out.sort((a, b) =>
      a.removedAt !== b.removedAt
        ? a.removedAt < b.removedAt
          ? 1
          : -1
        : a.id.localeCompare(b.id) || a.source.localeCompare(b.source),
    )
    const needle = query.search?.trim()
    if (!needle) return out
    const index = createSearchIndex(out.map((m) => normaliseModel(m.record)))
    return search(index, needle).map((hit) => out[hit.index]!)
  }

  async function exportFeed(
    query: ChangeQuery,
    format: ExportFormat,
    opts: { match?: EventMatch } = {},
  ): Promise<ExportOutcome> {
    const { limit: _limit, offset: _offset, ...everything } = query
    const feed = await list(everything, opts)
    return exportChanges({ feed, query: everything, format, dialogs: deps.dialogs, settings: deps.settings })
  }

  return { list, eventsOf, recordOf, archive, exportFeed }
}
