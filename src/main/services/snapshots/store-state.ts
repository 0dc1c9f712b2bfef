import { promises as fsp } from 'node:fs'
import { join } from 'node:path'
import type { SnapshotMeta, SnapshotProblem } from '../../../shared/snapshots'
import { fsyncDir, toStorageError, writeFileDurable } from '../durable-write'
import { minimalParseModels, type ParseModels } from './bundle'
import type { FileRef, Manifest, PackRef } from './manifest'
import type { DecodedPack } from './pack'

/*
 * Layout (see also the format notes in pack.ts and manifest.ts):
 *   store.json                 format version; written last when creating or migrating
 *   packs/<sha256>.br          brotli packs of records, named by the hash of their bytes
 *   blobs/<sha256>.br          endpoint bodies, same naming
 *   manifests/<id>.<rev>.json  one per snapshot (sealed JSON); an update writes rev+1, then drops rev
 *   index.json                 sealed cache of every manifest's metadata so listing reads one file
 *   quarantine/                damaged files, moved aside and reported, never deleted
 *   write.lock                 held by the process writing (app or CLI)
 *
 * Every write is durable and ordered data -> manifest -> index -> deletions, so after a kill any
 * visible manifest points at durable packs. Manifest files are the truth: the index is checked
 * against the manifest folder (id + rev) and rebuilt from it; unreferenced packs are garbage.
 */
export const PACKS = 'packs'
export const BLOBS = 'blobs'
export const MANIFESTS = 'manifests'
export const QUARANTINE = 'quarantine'
export const INDEX = 'index.json'
export const LOCK = 'write.lock'

/** What the store was created with; see SnapshotStoreDeps in snapshot-store.ts. */
export interface StoreOptions {
  dir: string
  appVersion: string
  now?: () => Date
  parseModels?: ParseModels
  writeFile?: (target: string, data: Uint8Array) => Promise<void>
  verifyOnOpen?: boolean
  lockTimeoutMs?: number
}

/** One snapshot as the index knows it: its metadata and the files it needs. */
export interface Entry {
  meta: SnapshotMeta
  /** Save order (see Manifest.seq); absent for snapshots saved before it existed. */
  seq?: number
  rev: number
  manifestBytes: number
  packs: PackRef[]
  blobs: FileRef[]
}

export interface PackData extends DecodedPack {
  hashes?: string[]
  indexesOf?: Map<string, number[]>
}

export interface Stamp {
  ino: number
  size: number
  mtimeMs: number
}

/**
 * Everything one open store holds in memory, passed explicitly to each module's functions
 * (index, packs, read, write, garbage, verify, open) so what each of them touches is visible.
 */
export interface StoreState {
  readonly dir: string
  readonly appVersion: string
  readonly deps: StoreOptions
  readonly now: () => Date
  readonly parseModels: ParseModels
  readonly writeFile: (target: string, data: Uint8Array) => Promise<void>
  readonly p: (...parts: string[]) => string
  /** 'newer': written by a newer app, for good. 'unwritable': the disk refused the lock; retried on each write. */
  readOnlyKind: 'newer' | 'unwritable' | null
  readOnlyReason: string
  /** The checks and repairs of open that need the lock, when open could not take it. */
  repairPending: boolean
  entries: Map<string, Entry>
  indexStamp: Stamp | undefined
  readonly problemList: SnapshotProblem[]
  /** Packs and blobs found damaged or missing, with why; snapshots using them are unavailable. */
  readonly badFiles: Map<string, string>
  /** Manifests by snapshot id, with the revision they were read at. */
  readonly manifestCache: Map<string, { rev: number; manifest: Manifest }>
  readonly knownBadManifests: Set<string>
  readonly packCache: Map<string, { data: Promise<PackData>; bytes: number }>
  packCacheBytes: number
  /** The end of this process's queue of writes. */
  tail: Promise<unknown>
  /** Writes running now; reads do not re-sync with the disk under them. */
  writing: number
}

export function createStoreState(deps: StoreOptions): StoreState {
  const { dir } = deps
  return {
    dir,
    appVersion: deps.appVersion,
    deps,
    now: deps.now ?? (() => new Date()),
    parseModels: deps.parseModels ?? minimalParseModels,
    writeFile: deps.writeFile ?? writeFileDurable,
    p: (...parts) => join(dir, ...parts),
    readOnlyKind: null,
    readOnlyReason: '',
    repairPending: false,
    entries: new Map(),
    indexStamp: undefined,
    problemList: [],
    badFiles: new Map(),
    manifestCache: new Map(),
    knownBadManifests: new Set(),
    packCache: new Map(),
    packCacheBytes: 0,
    tail: Promise.resolve(),
    writing: 0,
  }
}

export const MISSING = 'missing' as const

/** A file that was not there: maybe damage, maybe replaced by a concurrent writer; decided by the caller. */
export class MissingFile extends Error {
  constructor(
    readonly file: string,
    readonly hash?: string,
  ) {
    super(`${file} is missing`)
  }
}

export const isTempLeftover = (name: string): boolean => name.startsWith('.') && name.endsWith('.tmp')

export const nowIso = (s: StoreState): string => s.now().toISOString()

export function report(s: StoreState, file: string, reason: string): SnapshotProblem {
  const problem = { file, reason, at: nowIso(s) }
  s.problemList.push(problem)
  return problem
}

export async function readdirSafe(s: StoreState, sub: string): Promise<string[]> {
  try {
    return await fsp.readdir(s.p(sub))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
}

export async function stampOf(path: string): Promise<Stamp | undefined> {
  try {
    const st = await fsp.stat(path)
    return { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs }
  } catch {
    return undefined
  }
}

export const sameStamp = (a: Stamp | undefined, b: Stamp | undefined): boolean =>
  a === b || (!!a && !!b && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs)

/** Moves a damaged file into quarantine/ (read-only stores only report) and records the problem. */
export async function quarantine(s: StoreState, relative: string, reason: string): Promise<void> {
  report(s, relative, reason)
  if (s.readOnlyKind) return
  try {
    await fsp.mkdir(s.p(QUARANTINE), { recursive: true })
    const stamp = nowIso(s).replace(/[-:.]/g, '')
    await fsp.rename(s.p(relative), s.p(QUARANTINE, `${stamp}-${relative.replace(/[\\/]/g, '_')}`))
    await fsyncDir(s.p(QUARANTINE))
  } catch {
    // Already gone (another process moved it) or not movable: the problem is reported either way.
  }
}

export async function putFile(s: StoreState, relative: string, data: Uint8Array): Promise<void> {
  try {
    await s.writeFile(s.p(relative), data)
  } catch (err) {
    throw toStorageError(err, s.p(relative))
  }
}

export async function removeFiles(s: StoreState, relatives: string[]): Promise<void> {
  const dirs = new Set<string>()
  for (const rel of relatives) {
    await fsp.rm(s.p(rel), { force: true })
    dirs.add(join(s.dir, rel, '..'))
  }
  for (const d of dirs) await fsyncDir(d)
}
