import type { SnapshotMeta } from '../../../shared/snapshots'
import { SHA256_HEX } from './hash'

export const MANIFEST_FORMAT = 'model-deck-manifest'
export const MANIFEST_VERSION = 1

export interface FileRef {
  /** sha256 of the file's bytes, which is also its name: content-addressed and self-checking. */
  hash: string
  size: number
}

export interface PackRef extends FileRef {
  count: number
}

/** [index into packs, first record in that pack, how many consecutive records]. */
export type Run = [number, number, number]

/**
 * One snapshot: its metadata and where each of its records lives, in the order they were received.
 * Runs keep this tiny: a first snapshot is one run, a fetch with k changes about 2k+1 runs.
 */
export interface Manifest {
  format: typeof MANIFEST_FORMAT
  formatVersion: number
  /**
   * Save order in the store: 1 + the highest seq present, assigned under the write lock. Ordering
   * by it rather than by takenAt survives a clock that goes back. Older readers ignore it; a
   * manifest written before it existed has none (see saveOrder in snapshot-store.ts).
   */
  seq?: number
  meta: SnapshotMeta
  packs: PackRef[]
  runs: Run[]
  /** [modelId, blob] pairs rather than an object so an id like `__proto__` stays plain data. */
  endpoints: [string, FileRef][]
}

export interface RecordRef {
  pack: string
  index: number
}

export function toRuns(refs: RecordRef[]): { packs: string[]; runs: Run[] } {
  const packs: string[] = []
  const runs: Run[] = []
  let last: Run | undefined
  for (const ref of refs) {
    let p = packs.indexOf(ref.pack)
    if (p < 0) p = packs.push(ref.pack) - 1
    if (last && last[0] === p && last[1] + last[2] === ref.index) last[2]++
    else runs.push((last = [p, ref.index, 1]))
  }
  return { packs, runs }
}

export function fromRuns(packs: readonly { hash: string }[], runs: readonly Run[]): RecordRef[] {
  const refs: RecordRef[] = []
  for (const [p, start, length] of runs) {
    const pack = packs[p]
    if (!pack) throw new Error(`run points at pack ${p}, manifest lists ${packs.length}`)
    for (let i = 0; i < length; i++) refs.push({ pack: pack.hash, index: start + i })
  }
  return refs
}

export const NEWER_MANIFEST = 'written by a newer Model Deck'

export const SNAPSHOT_ID = /^\d{8}T\d{9}Z-[0-9a-f]{6}$/
const MANIFEST_NAME = /^(\d{8}T\d{9}Z-[0-9a-f]{6})\.(\d+)\.json$/

export function manifestName(id: string, rev: number): string {
  return `${id}.${rev}.json`
}

export function parseManifestName(name: string): { id: string; rev: number } | undefined {
  const m = MANIFEST_NAME.exec(name)
  return m && m[1] && m[2] ? { id: m[1], rev: Number(m[2]) } : undefined
}

/** Structural check of a manifest read from disk; returns a reason when it cannot be used. */
export function checkManifest(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object'
  const m = value as Partial<Manifest>
  if (m.format !== MANIFEST_FORMAT) return 'not a manifest'
  if (typeof m.formatVersion !== 'number') return 'no format version'
  if (m.formatVersion > MANIFEST_VERSION) return `${NEWER_MANIFEST} (${m.formatVersion})`
  if (!m.meta || typeof m.meta.id !== 'string') return 'no metadata'
  if (!Array.isArray(m.packs) || !Array.isArray(m.runs) || !Array.isArray(m.endpoints)) return 'missing lists'
  if (m.seq !== undefined && !isCount(m.seq)) return 'has a bad sequence number'
  // Hashes become file names: anything but a hash (say `../../x`) would point outside the store.
  if (!m.packs.every((r) => isFileRef(r) && isCount(r.count))) return 'names a pack that is not a sha256 hash'
  if (
    !m.endpoints.every(
      (e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && isFileRef(e[1]),
    )
  )
    return 'names an endpoints file that is not a sha256 hash'
  const packCount = m.packs.length
  if (!m.runs.every((r) => Array.isArray(r) && r.length === 3 && r.every(isCount) && r[0] < packCount))
    return 'has a broken record list'
  const count = m.runs.reduce((n, r) => n + (Array.isArray(r) ? Number(r[2]) : NaN), 0)
  if (count !== m.meta.modelCount) return 'record list does not match the model count'
  return undefined
}

const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0

/** A pack or blob reference whose hash is safe to use as a file name. */
export function isFileRef(value: unknown): value is FileRef {
  if (typeof value !== 'object' || value === null) return false
  const r = value as Partial<FileRef>
  return typeof r.hash === 'string' && SHA256_HEX.test(r.hash) && isCount(r.size)
}
