import { AppError } from '../../../shared/ipc/result'
import type { RawModel } from '../../../shared/model/raw'
import type { SnapshotFilter, SnapshotHistoryPoint, SnapshotMeta } from '../../../shared/snapshots'
import { manifestOf, syncWithDisk } from './store-index'
import { decodeBrotli } from './pack'
import { markBad, packData, publicMeta, readVerified, unavailableReason } from './store-packs'
import {
  BLOBS,
  INDEX,
  MissingFile,
  report,
  sameStamp,
  stampOf,
  type Entry,
  type PackData,
  type StoreState,
} from './store-state'

/*
 * Reading: the order of snapshots, resolving a reference, a snapshot's records and one model's
 * history. Reads never take the lock; a file replaced under them by a writer is retried once.
 */

/** Parsed records by their stored JSON line, shared between loads (see `load`). */
export type RecordPool = Map<string, RawModel>

export const matches = (m: SnapshotMeta, f: SnapshotFilter | undefined): boolean =>
  !f ||
  ((f.source === undefined || m.source === f.source) &&
    (f.region === undefined || m.region === f.region) &&
    (f.profile === undefined || m.profile === f.profile))

const byTakenAt = (a: Entry, b: Entry): number =>
  a.meta.takenAt < b.meta.takenAt ? -1 : a.meta.takenAt > b.meta.takenAt ? 1 : a.meta.id < b.meta.id ? -1 : 1

/**
 * Save order of every entry: its seq; snapshots saved before seqs existed come first, in the order
 * they always had (takenAt, then id), so an old store keeps its order without rewriting anything.
 */
export function saveOrder(s: StoreState): Map<Entry, number> {
  const legacy = [...s.entries.values()].filter((e) => e.seq === undefined).sort(byTakenAt)
  const order = new Map<Entry, number>()
  legacy.forEach((e, i) => order.set(e, i - legacy.length))
  for (const e of s.entries.values()) if (e.seq !== undefined) order.set(e, e.seq)
  return order
}

/**
 * Newest first. A fetch's takenAt is the wall clock, which can go back (a VM restore, a wrong
 * RTC): fetches are ordered by when they were saved, each placed at the latest takenAt of the
 * fetches saved up to it. An import's takenAt is the catalog's own date and places it in history.
 */
export function sorted(s: StoreState, filter?: SnapshotFilter): Entry[] {
  const order = saveOrder(s)
  const bySave = [...s.entries.values()].sort((a, b) => order.get(a)! - order.get(b)!)
  const sortAt = new Map<Entry, string>()
  let fetchedBy = ''
  for (const e of bySave) {
    if (e.meta.origin === 'fetch' && e.meta.takenAt > fetchedBy) fetchedBy = e.meta.takenAt
    sortAt.set(e, e.meta.origin === 'fetch' ? fetchedBy : e.meta.takenAt)
  }
  return bySave
    .filter((e) => matches(e.meta, filter))
    .sort((a, b) => {
      const at = sortAt.get(a)!
      const bt = sortAt.get(b)!
      return at < bt ? 1 : at > bt ? -1 : order.get(b)! - order.get(a)!
    })
}

/** The snapshot of each catalog that was saved last; retention never removes it. */
export function savedLast(s: StoreState): Set<Entry> {
  const order = saveOrder(s)
  const last = new Map<string, Entry>()
  for (const e of s.entries.values()) {
    const key = `${e.meta.source}\u0000${e.meta.region}\u0000${e.meta.profile}`
    const seen = last.get(key)
    if (!seen || order.get(e)! > order.get(seen)!) last.set(key, e)
  }
  return new Set(last.values())
}

/** Picks up writes by another process; cheap (one stat) when nothing changed. */
export async function refreshForRead(s: StoreState): Promise<void> {
  if (s.writing > 0) return
  if (sameStamp(await stampOf(s.p(INDEX)), s.indexStamp)) return
  await syncWithDisk(s, false)
}

export function entryOrThrow(s: StoreState, id: string): Entry {
  const entry = s.entries.get(id)
  if (!entry) throw new AppError('not-found', `There is no snapshot ${id}.`)
  return entry
}

export async function recordsOf(s: StoreState, entry: Entry, pool?: RecordPool): Promise<RawModel[]> {
  const reason = unavailableReason(s, entry)
  if (reason) throw new AppError('corrupt', `Snapshot ${entry.meta.id} cannot be loaded: ${reason}.`)
  const manifest = await manifestOf(s, entry)
  const packs = await Promise.all(manifest.packs.map((ref) => packData(s, ref)))
  const models: RawModel[] = []
  for (const [pi, start, length] of manifest.runs) {
    const pack = packs[pi]
    if (!pack) throw new AppError('corrupt', `Snapshot ${entry.meta.id} has a broken record list.`)
    for (let i = start; i < start + length; i++) {
      const line = pack.lines[i]
      if (line === undefined)
        throw new AppError('corrupt', `Snapshot ${entry.meta.id} points past the end of a pack.`)
      let model = pool?.get(line)
      if (!model) {
        model = JSON.parse(line) as RawModel
        pool?.set(line, model)
      }
      models.push(model)
    }
  }
  return models
}

/**
 * Reads with one retry: a compaction or update by this or another process may have replaced the
 * manifest or packs since we looked. A file still missing after that is reported as a problem.
 */
export async function withRetry<T>(s: StoreState, id: string, fn: (entry: Entry) => Promise<T>): Promise<T> {
  const first = entryOrThrow(s, id)
  try {
    return await fn(first)
  } catch (err) {
    if (!(err instanceof MissingFile)) throw err
  }
  await s.tail
  await refreshForRead(s)
  const again = s.entries.get(id)
  if (!again) throw new AppError('not-found', `Snapshot ${id} was removed.`)
  try {
    return await fn(again)
  } catch (err) {
    if (!(err instanceof MissingFile)) throw err
    report(s, err.file, 'missing')
    if (err.hash) markBad(s, err.hash, 'file missing')
    throw new AppError('corrupt', `A data file of snapshot ${id} is missing.`, { file: err.file })
  }
}

/** `latest`, `latest~N` (within the filter, readable ones only), a full id or an unambiguous prefix. */
export function resolveRef(s: StoreState, ref: string, filter?: SnapshotFilter): SnapshotMeta {
  const m = /^latest(?:~(\d+))?$/.exec(ref)
  if (m) {
    const n = Number(m[1] ?? 0)
    const entry = sorted(s, filter).filter((e) => !unavailableReason(s, e))[n]
    if (!entry) throw new AppError('not-found', `There is no snapshot ${ref} for this selection.`)
    return publicMeta(s, entry)
  }
  const exact = s.entries.get(ref)
  if (exact) return publicMeta(s, exact)
  const found = ref.length >= 4 ? [...s.entries.keys()].filter((id) => id.startsWith(ref)) : []
  if (found.length === 1) return publicMeta(s, entryOrThrow(s, found[0]!))
  throw new AppError(
    'not-found',
    found.length > 1
      ? `"${ref}" matches ${found.length} snapshots; give more of the id.`
      : `There is no snapshot ${ref}.`,
  )
}

/** One model's record in every snapshot of the filter, newest first; unreadable ones say why. */
export async function historyOf(
  s: StoreState,
  modelId: string,
  filter?: SnapshotFilter,
): Promise<SnapshotHistoryPoint[]> {
  const points: SnapshotHistoryPoint[] = []
  for (const entry of sorted(s, filter)) {
    const base = { id: entry.meta.id, takenAt: entry.meta.takenAt }
    try {
      const record = await withRetry(s, entry.meta.id, async (e) => {
        const reason = unavailableReason(s, e)
        if (reason) throw new AppError('corrupt', reason)
        const manifest = await manifestOf(s, e)
        // Look the id up in each pack's header; only the matching record is parsed.
        for (const [pi, start, length] of manifest.runs) {
          const ref = manifest.packs[pi]
          if (!ref) continue
          const pack: PackData = await packData(s, ref)
          pack.indexesOf ??= indexIds(pack.ids)
          const at = pack.indexesOf.get(modelId)?.find((i) => i >= start && i < start + length)
          if (at !== undefined) return JSON.parse(pack.lines[at]!) as RawModel
        }
        return undefined
      })
      points.push(record ? { ...base, record } : base)
    } catch (err) {
      points.push({ ...base, unavailable: err instanceof Error ? err.message : String(err) })
    }
  }
  return points
}

function indexIds(ids: string[]): Map<string, number[]> {
  const map = new Map<string, number[]>()
  ids.forEach((id, i) => {
    const list = map.get(id)
    if (list) list.push(i)
    else map.set(id, [i])
  })
  return map
}

/** One model's endpoints body as saved with a snapshot, or null when none was. */
export async function endpointsOf(s: StoreState, snapshotId: string, modelId: string): Promise<unknown> {
  return withRetry(s, snapshotId, async (entry) => {
    const manifest = await manifestOf(s, entry)
    const ref = manifest.endpoints.find(([m]) => m === modelId)?.[1]
    if (!ref) return null
    return JSON.parse(await decodeBrotli(await readVerified(s, BLOBS, ref))) as unknown
  })
}
