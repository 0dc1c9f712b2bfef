import { promises as fsp } from 'node:fs'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { AppError } from '../../../shared/ipc/result'
import type { CatalogSource, RawModel, Region } from '../../../shared/model/raw'
import type {
  SnapshotFilter,
  SnapshotHistoryPoint,
  SnapshotMeta,
  SnapshotOrigin,
  SnapshotProblem,
  SnapshotUsage,
} from '../../../shared/snapshots'
import { fsyncDir, toStorageError, writeFileDurable } from '../durable-write'
import { isRegion, isSource } from '../../../shared/catalog-options'
import { encodeBundle, minimalParseModels, readImportFile, type ParseModels } from './bundle'
import { SHA256_HEX, sealJson, sha256Hex, unsealJson } from './hash'
import { isAbandonedLockFile, lockedError, tryAcquireLock, type FileLock, type LockAttempt } from './lock'
import {
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  NEWER_MANIFEST,
  SNAPSHOT_ID,
  checkManifest,
  fromRuns,
  isFileRef,
  manifestName,
  parseManifestName,
  toRuns,
  type FileRef,
  type Manifest,
  type PackRef,
  type RecordRef,
} from './manifest'
import {
  STORE_FILE,
  STORE_FORMAT,
  STORE_FORMAT_VERSION,
  migrationPath,
  migrations,
  readStoreInfo,
  storeInfoBytes,
  type MigrationContext,
} from './migrations'
import { decodeBrotli, decodePack, encodeBrotli, encodePack, type DecodedPack } from './pack'

export interface SnapshotStoreDeps {
  dir: string
  appVersion: string
  now?: () => Date
  /** The tolerant record parser; imports go through it. Defaults to a minimal shape check. */
  parseModels?: ParseModels
  /** Every file write goes through this; tests inject failures (a full disk) here. */
  writeFile?: (target: string, data: Uint8Array) => Promise<void>
  /** Hash every data file when opening (milliseconds for a normal store). Default true. */
  verifyOnOpen?: boolean
  /** How long a write waits for another process's lock before giving up. */
  lockTimeoutMs?: number
}

export interface SaveInput {
  source: CatalogSource
  region: Region
  profile: string
  models: RawModel[]
  skipped?: number
  takenAt?: string | Date
  origin?: SnapshotOrigin
}

export interface ImportOptions {
  filename: string
  source?: CatalogSource
  region?: Region
  profile?: string
  takenAt?: string | Date
}

export interface PruneOptions {
  /** Keep this many newest snapshots of each (source, region, profile); older ones go unless pinned. */
  keepLast?: number
  /** Remove oldest snapshots until the store fits; never pinned ones nor the newest of each catalog. */
  maxBytes?: number
}

/** Parsed records by their stored JSON line, shared between loads (see `load`). */
export type RecordPool = Map<string, RawModel>

export interface SnapshotStore {
  readonly dir: string
  /**
   * True when the store was written by a newer Model Deck or its folder cannot be written (read-only
   * file system, full disk, no permission): reads work, every write is refused with the reason.
   */
  readonly readOnly: boolean
  /** Why the store is read-only, in words for the user; null when writable. */
  readonly readOnlyReason: string | null
  /** Read-only only because the disk refused a write (full, read-only, locked): the next write tries again. */
  readonly readOnlyMayClear: boolean
  save(input: SaveInput): Promise<{ meta: SnapshotMeta; created: boolean }>
  list(filter?: SnapshotFilter): Promise<SnapshotMeta[]>
  get(id: string): SnapshotMeta | undefined
  /**
   * One snapshot's records. Loads that pass the same `pool` get the same object for identical
   * records: the allowed and public lists of one catalog share most of theirs, so main keeps (and
   * sends) each once. Treat pooled records as read-only.
   */
  load(id: string, opts?: { pool?: RecordPool }): Promise<{ meta: SnapshotMeta; models: RawModel[] }>
  latest(filter?: SnapshotFilter): Promise<SnapshotMeta | undefined>
  /** `latest`, `latest~N` (within the filter), a full id or an unambiguous id prefix. */
  resolve(ref: string, filter?: SnapshotFilter): Promise<SnapshotMeta>
  update(id: string, patch: { note?: string; pinned?: boolean }): Promise<SnapshotMeta>
  remove(id: string): Promise<void>
  prune(options: PruneOptions): Promise<string[]>
  history(modelId: string, filter?: SnapshotFilter): Promise<SnapshotHistoryPoint[]>
  saveEndpoints(snapshotId: string, modelId: string, body: unknown): Promise<void>
  loadEndpoints(snapshotId: string, modelId: string): Promise<unknown>
  importRaw(bytes: Buffer, options: ImportOptions): Promise<{ meta: SnapshotMeta; created: boolean }>
  exportBundle(id: string): Promise<Buffer>
  /** Re-reads and hashes every file; damaged ones are quarantined. Returns the problems it found. */
  verify(): Promise<SnapshotProblem[]>
  problems(): SnapshotProblem[]
  usage(): Promise<SnapshotUsage>
  /** Waits for queued writes. */
  close(): Promise<void>
}

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
const PACKS = 'packs'
const BLOBS = 'blobs'
const MANIFESTS = 'manifests'
const QUARANTINE = 'quarantine'
const INDEX = 'index.json'
const LOCK = 'write.lock'
const INDEX_FORMAT = 'model-deck-index'
const INDEX_VERSION = 1
/** Compact a pack on removal once a third of its records are no longer used by any snapshot. */
const COMPACT_BELOW_LIVE_SHARE = 2 / 3
const PACK_CACHE_BYTES = 48 * 1024 * 1024
/**
 * A save that would spread its records over more packs than this writes them all to one new pack
 * (see insert). Measured on the real catalog with ~1% changed per save (docs/storage.md): the
 * keyframe's cost amortised over the saves that follow against the manifest growth per pack.
 */
const MAX_PACKS_PER_SNAPSHOT = 24

interface Entry {
  meta: SnapshotMeta
  /** Save order (see Manifest.seq); absent for snapshots saved before it existed. */
  seq?: number
  rev: number
  manifestBytes: number
  packs: PackRef[]
  blobs: FileRef[]
}

interface PackData extends DecodedPack {
  hashes?: string[]
  indexesOf?: Map<string, number[]>
}

interface Stamp {
  ino: number
  size: number
  mtimeMs: number
}

const MISSING = 'missing' as const

/** A file that was not there: maybe damage, maybe replaced by a concurrent writer; decided by the caller. */
class MissingFile extends Error {
  constructor(
    readonly file: string,
    readonly hash?: string,
  ) {
    super(`${file} is missing`)
  }
}

const isTempLeftover = (name: string): boolean => name.startsWith('.') && name.endsWith('.tmp')

/** An index entry whose names are safe to turn into paths (a hand-edited index is sealed all the same). */
function isIndexEntry(e: Partial<Entry> | null | undefined): e is Entry {
  return (
    !!e &&
    typeof e.meta?.id === 'string' &&
    SNAPSHOT_ID.test(e.meta.id) &&
    Number.isSafeInteger(e.rev) &&
    (e.seq === undefined || Number.isSafeInteger(e.seq)) &&
    Array.isArray(e.packs) &&
    e.packs.every(isFileRef) &&
    Array.isArray(e.blobs) &&
    e.blobs.every(isFileRef)
  )
}

export async function createSnapshotStore(deps: SnapshotStoreDeps): Promise<SnapshotStore> {
  const { dir, appVersion } = deps
  const now = deps.now ?? (() => new Date())
  const parseModels = deps.parseModels ?? minimalParseModels
  const writeFile = deps.writeFile ?? writeFileDurable
  const p = (...parts: string[]): string => join(dir, ...parts)

  /** 'newer': written by a newer app, for good. 'unwritable': the disk refused the lock; retried on each write. */
  let readOnlyKind: 'newer' | 'unwritable' | null = null
  let readOnlyReason = ''
  /** The checks and repairs of open that need the lock, when open could not take it. */
  let repairPending = false
  let entries = new Map<string, Entry>()
  let indexStamp: Stamp | undefined
  const problemList: SnapshotProblem[] = []
  /** Packs and blobs found damaged or missing, with why; snapshots using them are unavailable. */
  const badFiles = new Map<string, string>()
  /** Manifests by snapshot id, with the revision they were read at. */
  const manifestCache = new Map<string, { rev: number; manifest: Manifest }>()
  const knownBadManifests = new Set<string>()
  const packCache = new Map<string, { data: Promise<PackData>; bytes: number }>()
  let packCacheBytes = 0
  let tail: Promise<unknown> = Promise.resolve()
  let writing = 0

  // ---------- small helpers ----------

  const nowIso = (): string => now().toISOString()

  function report(file: string, reason: string): SnapshotProblem {
    const problem = { file, reason, at: nowIso() }
    problemList.push(problem)
    return problem
  }

  async function readdirSafe(sub: string): Promise<string[]> {
    try {
      return await fsp.readdir(p(sub))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw err
    }
  }

  async function stampOf(path: string): Promise<Stamp | undefined> {
    try {
      const st = await fsp.stat(path)
      return { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs }
    } catch {
      return undefined
    }
  }

  const sameStamp = (a: Stamp | undefined, b: Stamp | undefined): boolean =>
    a === b || (!!a && !!b && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs)

  /** Moves a damaged file into quarantine/ (read-only stores only report) and records the problem. */
  async function quarantine(relative: string, reason: string): Promise<void> {
    report(relative, reason)
    if (readOnlyKind) return
    try {
      await fsp.mkdir(p(QUARANTINE), { recursive: true })
      const stamp = nowIso().replace(/[-:.]/g, '')
      await fsp.rename(p(relative), p(QUARANTINE, `${stamp}-${relative.replace(/[\\/]/g, '_')}`))
      await fsyncDir(p(QUARANTINE))
    } catch {
      // Already gone (another process moved it) or not movable: the problem is reported either way.
    }
  }

  function assertWritable(): void {
    // An unwritable store is not refused here: each write tries the lock again (space may be free now).
    if (readOnlyKind === 'newer') throw new AppError('store-read-only', readOnlyReason)
  }

  function unwritableReason(got: Extract<LockAttempt, { kind: 'unwritable' }>): string {
    const rest = `so it is open read-only: the snapshots on disk can be browsed, compared and exported, but nothing can be saved or changed`
    const where = `${got.code} in ${dir}`
    if (got.code === 'EROFS') return `The snapshot store is on a read-only file system (${where}), ${rest}.`
    if (got.code === 'ENOSPC' || got.code === 'EDQUOT')
      return `The disk holding the snapshot store is full (${where}), ${rest} until some space is freed.`
    if (got.code === 'EACCES' || got.code === 'EPERM')
      return `Model Deck has no permission to write to the snapshot store (${where}), ${rest}.`
    return `The snapshot store cannot be written (${got.message}), ${rest}.`
  }

  function becomeUnwritable(got: Extract<LockAttempt, { kind: 'unwritable' }>): void {
    if (readOnlyKind === 'newer') return
    readOnlyKind = 'unwritable'
    readOnlyReason = unwritableReason(got)
  }

  /** The lock for one write; a store that could not be written before becomes writable once it works. */
  async function takeLock(): Promise<FileLock> {
    const got = await tryAcquireLock(p(LOCK), deps.lockTimeoutMs ? { timeoutMs: deps.lockTimeoutMs } : {})
    if (got.kind === 'busy') throw lockedError(got.pid)
    if (got.kind === 'unwritable') {
      becomeUnwritable(got)
      throw new AppError('store-read-only', readOnlyReason, { reason: 'unwritable', errno: got.code })
    }
    if (readOnlyKind === 'unwritable') {
      readOnlyKind = null
      readOnlyReason = ''
    }
    return got.lock
  }

  /** One write at a time in this process, and one process at a time through the lock file. */
  function write<T>(fn: () => Promise<T>): Promise<T> {
    const run = tail.then(async () => {
      assertWritable()
      writing++
      try {
        const lock = await takeLock()
        try {
          // Another process may have written since we last looked.
          if (repairPending) await repairUnderLock()
          else await syncWithDisk(true)
          assertWritable()
          return await fn()
        } finally {
          await lock.release().catch(() => undefined)
        }
      } finally {
        writing--
      }
    })
    tail = run.catch(() => undefined)
    return run
  }

  async function putFile(relative: string, data: Uint8Array): Promise<void> {
    try {
      await writeFile(p(relative), data)
    } catch (err) {
      throw toStorageError(err, p(relative))
    }
  }

  async function removeFiles(relatives: string[]): Promise<void> {
    const dirs = new Set<string>()
    for (const rel of relatives) {
      await fsp.rm(p(rel), { force: true })
      dirs.add(join(dir, rel, '..'))
    }
    for (const d of dirs) await fsyncDir(d)
  }

  // ---------- index ----------

  function entryFrom(manifest: Manifest, rev: number, manifestBytes: number): Entry {
    const { unavailable: _drop, ...meta } = manifest.meta
    return {
      meta,
      ...(manifest.seq !== undefined ? { seq: manifest.seq } : {}),
      rev,
      manifestBytes,
      packs: manifest.packs,
      blobs: manifest.endpoints.map(([, ref]) => ref),
    }
  }

  async function loadIndex(): Promise<boolean> {
    const path = p(INDEX)
    const stamp = await stampOf(path)
    if (!stamp) {
      entries = new Map()
      indexStamp = undefined
      return false
    }
    let bytes: Buffer
    try {
      bytes = await fsp.readFile(path)
    } catch {
      return false
    }
    const sealed = unsealJson(bytes)
    const value = sealed.ok
      ? (sealed.value as { format?: unknown; formatVersion?: unknown; entries?: unknown })
      : null
    if (!value || value.format !== INDEX_FORMAT || !Array.isArray(value.entries)) {
      // The index is only a cache of the manifests: move it aside and rebuild.
      await quarantine(
        INDEX,
        `index ${sealed.ok ? 'has an unknown shape' : sealed.reason}; rebuilt from manifests`,
      )
      entries = new Map()
      indexStamp = undefined
      return false
    }
    const next = new Map<string, Entry>()
    // Entries are checked like manifests (names become paths); a bad one is read again from its manifest.
    for (const e of value.entries as Entry[]) if (isIndexEntry(e)) next.set(e.meta.id, e)
    entries = next
    indexStamp = stamp
    return true
  }

  async function writeIndex(): Promise<void> {
    const body = { format: INDEX_FORMAT, formatVersion: INDEX_VERSION, entries: [...entries.values()] }
    await putFile(INDEX, sealJson(body))
    indexStamp = await stampOf(p(INDEX))
  }

  async function readManifestFile(
    id: string,
    rev: number,
  ): Promise<{ manifest: Manifest; bytes: number } | typeof MISSING | string> {
    let bytes: Buffer
    try {
      bytes = await fsp.readFile(p(MANIFESTS, manifestName(id, rev)))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return MISSING
      throw toStorageError(err, p(MANIFESTS, manifestName(id, rev)))
    }
    const sealed = unsealJson(bytes)
    if (!sealed.ok) return sealed.reason
    const why = checkManifest(sealed.value)
    if (why) return why
    const manifest = sealed.value as Manifest
    if (manifest.meta.id !== id) return 'manifest describes a different snapshot'
    return { manifest, bytes: bytes.length }
  }

  /**
   * Quarantines a damaged manifest; returns false when it is not damage but a newer app's manifest:
   * then its file is kept, the snapshot hidden, and the store stops writing.
   */
  async function badManifest(id: string, rev: number, reason: string): Promise<boolean> {
    const relative = `${MANIFESTS}/${manifestName(id, rev)}`
    // A read-only store cannot move the file away, so it would be found again on every refresh.
    if (knownBadManifests.has(relative)) return !reason.startsWith(NEWER_MANIFEST)
    knownBadManifests.add(relative)
    if (!reason.startsWith(NEWER_MANIFEST)) {
      await quarantine(relative, `manifest ${reason}`)
      return true
    }
    report(relative, `manifest ${reason}; snapshot hidden`)
    readOnlyKind = 'newer'
    readOnlyReason =
      'Some snapshots were written by a newer Model Deck; the store is open read-only. Update Model Deck to save or change snapshots.'
    return false
  }

  /**
   * Makes the in-memory index match the manifest folder: reads manifests the index does not know
   * (or knows at an older revision), drops entries whose manifest is gone. With `repair`, persists
   * the result and deletes leftovers of interrupted writes; callers hold the lock then.
   */
  async function syncWithDisk(repair: boolean): Promise<void> {
    const stamp = await stampOf(p(INDEX))
    let changed = false
    if (!sameStamp(stamp, indexStamp)) {
      const ok = await loadIndex()
      if (!ok) changed = true
    }
    const names = await readdirSafe(MANIFESTS)
    const revs = new Map<string, number[]>()
    const leftovers: string[] = []
    for (const name of names) {
      const parsed = parseManifestName(name)
      if (parsed) revs.set(parsed.id, [...(revs.get(parsed.id) ?? []), parsed.rev])
      else if (isTempLeftover(name)) leftovers.push(`${MANIFESTS}/${name}`)
    }
    for (const [id, list] of revs) {
      list.sort((a, b) => b - a)
      const known = entries.get(id)
      if (known && known.rev === list[0]) continue
      let found: Entry | undefined
      for (const rev of list) {
        const read = await readManifestFile(id, rev)
        if (read === MISSING) continue
        if (typeof read !== 'string') {
          found = entryFrom(read.manifest, rev, read.bytes)
          manifestCache.set(id, { rev, manifest: read.manifest })
          break
        }
        if (!(await badManifest(id, rev, read))) break
      }
      if (found) entries.set(id, found)
      else entries.delete(id)
      changed = true
    }
    for (const id of [...entries.keys()]) {
      if (!revs.has(id)) {
        entries.delete(id)
        manifestCache.delete(id)
        changed = true
      }
    }
    if (!repair || readOnlyKind) return
    if (changed || !indexStamp) await writeIndex()
    const stale = [...revs].flatMap(([id, list]) =>
      list
        .filter((rev) => rev !== entries.get(id)?.rev)
        .map((rev) => `${MANIFESTS}/${manifestName(id, rev)}`),
    )
    for (const name of await readdirSafe('.')) {
      if (isTempLeftover(name) || (await isAbandonedLockFile(dir, name, LOCK))) leftovers.push(name)
    }
    if (stale.length || leftovers.length) await removeFiles([...stale, ...leftovers])
  }

  // ---------- packs and blobs ----------

  function markBad(hash: string, reason: string): void {
    badFiles.set(hash, reason)
    const cached = packCache.get(hash)
    if (cached) {
      packCache.delete(hash)
      packCacheBytes -= cached.bytes
    }
  }

  /** Reads a content-addressed file and checks its bytes against its name. */
  async function readVerified(sub: string, ref: FileRef): Promise<Buffer> {
    const relative = `${sub}/${ref.hash}.br`
    const known = badFiles.get(ref.hash)
    if (known)
      throw new AppError('corrupt', `A data file of this snapshot is unusable: ${known}.`, { file: relative })
    let bytes: Buffer
    try {
      bytes = await fsp.readFile(p(relative))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw toStorageError(err, p(relative))
      throw new MissingFile(relative, ref.hash)
    }
    if (sha256Hex(bytes) !== ref.hash) {
      const reason = bytes.length < ref.size ? 'truncated' : 'checksum mismatch (damaged)'
      await quarantine(relative, reason)
      markBad(ref.hash, `${reason}, moved to quarantine`)
      const message = `A data file of this snapshot was ${reason} and was moved to quarantine.`
      throw new AppError('corrupt', message, { file: relative })
    }
    return bytes
  }

  function packData(ref: FileRef): Promise<PackData> {
    const hit = packCache.get(ref.hash)
    if (hit) {
      packCache.delete(ref.hash)
      packCache.set(ref.hash, hit)
      return hit.data
    }
    const slot = { data: Promise.resolve({} as PackData), bytes: 0 }
    slot.data = (async () => {
      const bytes = await readVerified(PACKS, ref)
      let decoded: DecodedPack
      try {
        decoded = await decodePack(bytes)
      } catch (err) {
        // The bytes are the ones we wrote, so this is a pack from a newer version or a bug: report, keep the file.
        const reason = `pack cannot be decoded: ${err instanceof Error ? err.message : String(err)}`
        report(`${PACKS}/${ref.hash}.br`, reason)
        markBad(ref.hash, reason)
        throw new AppError('corrupt', `A data file of this snapshot cannot be read: ${reason}.`)
      }
      if (packCache.get(ref.hash) === slot) {
        slot.bytes = decoded.lines.reduce((n, l) => n + l.length, 0)
        packCacheBytes += slot.bytes
        // Least recently used first; the map keeps insertion order and hits re-insert.
        for (const [key, other] of packCache) {
          if (packCacheBytes <= PACK_CACHE_BYTES || key === ref.hash) break
          packCache.delete(key)
          packCacheBytes -= other.bytes
        }
      }
      return decoded
    })()
    packCache.set(ref.hash, slot)
    slot.data.catch(() => {
      if (packCache.get(ref.hash) === slot) packCache.delete(ref.hash)
    })
    return slot.data
  }

  function lineHashes(pack: PackData): string[] {
    pack.hashes ??= pack.lines.map((line) => sha256Hex(line))
    return pack.hashes
  }

  function unavailableReason(entry: Entry): string | undefined {
    for (const ref of [...entry.packs]) {
      const bad = badFiles.get(ref.hash)
      if (bad) return bad
    }
    return undefined
  }

  function publicMeta(entry: Entry): SnapshotMeta {
    const reason = unavailableReason(entry)
    return reason ? { ...entry.meta, unavailable: reason } : { ...entry.meta }
  }

  async function manifestOf(entry: Entry): Promise<Manifest> {
    const cached = manifestCache.get(entry.meta.id)
    if (cached && cached.rev === entry.rev) return cached.manifest
    const read = await readManifestFile(entry.meta.id, entry.rev)
    // Replaced by a newer revision after we last looked (another process): not damage, retry.
    if (read === MISSING) throw new MissingFile(`${MANIFESTS}/${manifestName(entry.meta.id, entry.rev)}`)
    if (typeof read === 'string') {
      await badManifest(entry.meta.id, entry.rev, read)
      entries.delete(entry.meta.id)
      manifestCache.delete(entry.meta.id)
      throw new AppError('corrupt', `Snapshot ${entry.meta.id} cannot be read: its manifest is ${read}.`)
    }
    manifestCache.set(entry.meta.id, { rev: entry.rev, manifest: read.manifest })
    return read.manifest
  }

  /** Writes a new revision of a manifest, then the index, then drops the old revision. */
  async function rewriteManifest(entry: Entry, manifest: Manifest): Promise<Entry> {
    const rev = entry.rev + 1
    const bytes = sealJson(manifest)
    await putFile(`${MANIFESTS}/${manifestName(entry.meta.id, rev)}`, bytes)
    const next = entryFrom(manifest, rev, bytes.length)
    entries.set(entry.meta.id, next)
    manifestCache.set(entry.meta.id, { rev, manifest })
    try {
      await writeIndex()
    } catch (err) {
      // Roll back so memory and disk agree; the old revision is still in place.
      await fsp.rm(p(MANIFESTS, manifestName(entry.meta.id, rev)), { force: true })
      entries.set(entry.meta.id, entry)
      manifestCache.delete(entry.meta.id)
      throw err
    }
    await removeFiles([`${MANIFESTS}/${manifestName(entry.meta.id, entry.rev)}`])
    return next
  }

  // ---------- reading ----------

  const matches = (m: SnapshotMeta, f: SnapshotFilter | undefined): boolean =>
    !f ||
    ((f.source === undefined || m.source === f.source) &&
      (f.region === undefined || m.region === f.region) &&
      (f.profile === undefined || m.profile === f.profile))

  const byTakenAt = (a: Entry, b: Entry): number =>
    a.meta.takenAt < b.meta.takenAt
      ? -1
      : a.meta.takenAt > b.meta.takenAt
        ? 1
        : a.meta.id < b.meta.id
          ? -1
          : 1

  /**
   * Save order of every entry: its seq; snapshots saved before seqs existed come first, in the order
   * they always had (takenAt, then id), so an old store keeps its order without rewriting anything.
   */
  function saveOrder(): Map<Entry, number> {
    const legacy = [...entries.values()].filter((e) => e.seq === undefined).sort(byTakenAt)
    const order = new Map<Entry, number>()
    legacy.forEach((e, i) => order.set(e, i - legacy.length))
    for (const e of entries.values()) if (e.seq !== undefined) order.set(e, e.seq)
    return order
  }

  /**
   * Newest first. A fetch's takenAt is the wall clock, which can go back (a VM restore, a wrong
   * RTC): fetches are ordered by when they were saved, each placed at the latest takenAt of the
   * fetches saved up to it. An import's takenAt is the catalog's own date and places it in history.
   */
  function sorted(filter?: SnapshotFilter): Entry[] {
    const order = saveOrder()
    const bySave = [...entries.values()].sort((a, b) => order.get(a)! - order.get(b)!)
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
  function savedLast(): Set<Entry> {
    const order = saveOrder()
    const last = new Map<string, Entry>()
    for (const e of entries.values()) {
      const key = `${e.meta.source}\u0000${e.meta.region}\u0000${e.meta.profile}`
      const seen = last.get(key)
      if (!seen || order.get(e)! > order.get(seen)!) last.set(key, e)
    }
    return new Set(last.values())
  }

  const nextSeq = (): number => [...entries.values()].reduce((max, e) => Math.max(max, e.seq ?? 0), 0) + 1

  /** Picks up writes by another process; cheap (one stat) when nothing changed. */
  async function refreshForRead(): Promise<void> {
    if (writing > 0) return
    if (sameStamp(await stampOf(p(INDEX)), indexStamp)) return
    await syncWithDisk(false)
  }

  function entryOrThrow(id: string): Entry {
    const entry = entries.get(id)
    if (!entry) throw new AppError('not-found', `There is no snapshot ${id}.`)
    return entry
  }

  async function recordsOf(entry: Entry, pool?: RecordPool): Promise<RawModel[]> {
    const reason = unavailableReason(entry)
    if (reason) throw new AppError('corrupt', `Snapshot ${entry.meta.id} cannot be loaded: ${reason}.`)
    const manifest = await manifestOf(entry)
    const packs = await Promise.all(manifest.packs.map((ref) => packData(ref)))
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
  async function withRetry<T>(id: string, fn: (entry: Entry) => Promise<T>): Promise<T> {
    const first = entryOrThrow(id)
    try {
      return await fn(first)
    } catch (err) {
      if (!(err instanceof MissingFile)) throw err
    }
    await tail
    await refreshForRead()
    const again = entries.get(id)
    if (!again) throw new AppError('not-found', `Snapshot ${id} was removed.`)
    try {
      return await fn(again)
    } catch (err) {
      if (!(err instanceof MissingFile)) throw err
      report(err.file, 'missing')
      if (err.hash) markBad(err.hash, 'file missing')
      throw new AppError('corrupt', `A data file of snapshot ${id} is missing.`, { file: err.file })
    }
  }

  // ---------- writing ----------

  function newId(takenAt: string): string {
    const stamp = takenAt.replace(/[-:.]/g, '')
    for (;;) {
      const id = `${stamp}-${randomBytes(3).toString('hex')}`
      if (!entries.has(id)) return id
    }
  }

  function normaliseDate(value: string | Date | undefined, what: string): string {
    if (value === undefined) return nowIso()
    const date = value instanceof Date ? value : new Date(value)
    if (Number.isNaN(date.getTime())) throw new AppError('invalid-input', `${what} is not a valid date.`)
    return date.toISOString()
  }

  interface Insert {
    id?: string
    source: CatalogSource
    region: Region
    profile: string
    models: RawModel[]
    skipped: number
    takenAt: string
    checkedAt?: string
    origin: SnapshotOrigin
    note?: string
    pinned?: boolean
    importedFrom?: string
  }

  function validateSave(input: SaveInput): void {
    if (!isSource(input.source)) throw new AppError('invalid-input', 'source must be "user" or "all".')
    if (!isRegion(input.region)) throw new AppError('invalid-input', 'region must be "global", "eu" or "us".')
    if (typeof input.profile !== 'string' || input.profile.length === 0)
      throw new AppError('invalid-input', 'profile must be a non-empty string.')
    if (!Array.isArray(input.models)) throw new AppError('invalid-input', 'models must be an array.')
    for (const m of input.models) {
      if (typeof m !== 'object' || m === null || typeof (m as { id?: unknown }).id !== 'string')
        throw new AppError('invalid-input', 'every model needs a string id.')
    }
    if (input.skipped !== undefined && !(Number.isInteger(input.skipped) && input.skipped >= 0))
      throw new AppError('invalid-input', 'skipped must be a whole number.')
    if (input.origin !== undefined && input.origin !== 'fetch' && input.origin !== 'import')
      throw new AppError('invalid-input', 'origin must be "fetch" or "import".')
  }

  const sameKey = (m: SnapshotMeta, i: { source: string; region: string; profile: string }): boolean =>
    m.source === i.source && m.region === i.region && m.profile === i.profile

  /** Where records equal to new ones already live: the packs of the newest readable snapshot of each catalog. */
  async function reusableRecords(): Promise<Map<string, RecordRef>> {
    const newestPerKey = new Map<string, Entry>()
    for (const e of sorted()) {
      const key = `${e.meta.source}\u0000${e.meta.region}\u0000${e.meta.profile}`
      if (!newestPerKey.has(key) && !unavailableReason(e)) newestPerKey.set(key, e)
    }
    const byHash = new Map<string, RecordRef>()
    const seen = new Set<string>()
    for (const e of newestPerKey.values()) {
      for (const ref of e.packs) {
        if (seen.has(ref.hash)) continue
        seen.add(ref.hash)
        try {
          const hashes = lineHashes(await packData(ref))
          hashes.forEach((h, index) => {
            if (!byHash.has(h)) byHash.set(h, { pack: ref.hash, index })
          })
        } catch {
          // A damaged pack just cannot be reused; the new save stores those records again.
        }
      }
    }
    return byHash
  }

  async function insert(input: Insert): Promise<{ meta: SnapshotMeta; created: boolean }> {
    let lines: string[]
    try {
      lines = input.models.map((m) => JSON.stringify(m))
    } catch (err) {
      throw new AppError('invalid-input', `A model record is not JSON data: ${(err as Error).message}`)
    }
    const body = `[${lines.join(',')}]`
    const contentHash = sha256Hex(body)

    const sameCatalog = sorted().filter((e) => sameKey(e.meta, input) && !unavailableReason(e))
    if (input.origin === 'fetch') {
      const latest = sameCatalog[0]
      if (latest && latest.meta.contentHash === contentHash) {
        // Nothing new to keep; only remember that the catalog was seen unchanged.
        if (input.takenAt <= latest.meta.checkedAt) return { meta: publicMeta(latest), created: false }
        const manifest = await manifestOf(latest)
        const meta = { ...latest.meta, checkedAt: input.takenAt }
        const next = await rewriteManifest(latest, { ...manifest, meta })
        return { meta: publicMeta(next), created: false }
      }
    } else {
      const twin = sameCatalog.find(
        (e) => e.meta.contentHash === contentHash && e.meta.takenAt === input.takenAt,
      )
      if (twin) return { meta: publicMeta(twin), created: false }
    }
    if (input.id && entries.has(input.id)) return { meta: publicMeta(entryOrThrow(input.id)), created: false }

    const PENDING = '(new pack)'
    const place = (reuse: Map<string, RecordRef>) => {
      const refs: RecordRef[] = []
      const freshLines: string[] = []
      const freshIds: string[] = []
      const freshIndex = new Map<string, number>()
      lines.forEach((line, i) => {
        const h = sha256Hex(line)
        const old = reuse.get(h)
        if (old) return void refs.push(old)
        let index = freshIndex.get(h)
        if (index === undefined) {
          index = freshLines.push(line) - 1
          freshIds.push(input.models[i]!.id)
          freshIndex.set(h, index)
        }
        refs.push({ pack: PENDING, index })
      })
      return { refs, freshLines, freshIds }
    }
    let placed = place(await reusableRecords())
    // Reusing every unchanged record scatters a long history across one pack per save, and a
    // manifest (and its index entry) pays for each pack and each broken run: cost per snapshot grew
    // with the number kept. Past a few packs, this snapshot starts a fresh keyframe pack instead.
    if (new Set(placed.refs.map((r) => r.pack)).size > MAX_PACKS_PER_SNAPSHOT) placed = place(new Map())
    const { refs, freshLines, freshIds } = placed

    let newPack: PackRef | undefined
    let wrotePack = false
    if (freshLines.length > 0) {
      const bytes = await encodePack(freshIds, freshLines)
      newPack = { hash: sha256Hex(bytes), size: bytes.length, count: freshLines.length }
      // The same records packed before (e.g. left by a killed save) may already be there, whole.
      const existing = await fsp.readFile(p(PACKS, `${newPack.hash}.br`)).catch(() => undefined)
      if (!existing || sha256Hex(existing) !== newPack.hash) {
        await fsp.mkdir(p(PACKS), { recursive: true })
        await putFile(`${PACKS}/${newPack.hash}.br`, bytes)
        wrotePack = true
      }
      badFiles.delete(newPack.hash)
    }
    const packRefs = new Map<string, PackRef>()
    for (const e of entries.values()) for (const ref of e.packs) packRefs.set(ref.hash, ref)
    if (newPack) packRefs.set(PENDING, newPack)
    const { packs, runs } = toRuns(refs)

    const id = input.id && SNAPSHOT_ID.test(input.id) ? input.id : newId(input.takenAt)
    const meta: SnapshotMeta = {
      id,
      takenAt: input.takenAt,
      checkedAt: input.checkedAt && input.checkedAt > input.takenAt ? input.checkedAt : input.takenAt,
      source: input.source,
      region: input.region,
      profile: input.profile,
      modelCount: input.models.length,
      skipped: input.skipped,
      contentHash,
      sizeBytes: Buffer.byteLength(body),
      storedBytes: 0,
      appVersion,
      origin: input.origin,
      note: input.note ?? '',
      pinned: input.pinned ?? false,
      ...(input.importedFrom ? { importedFrom: input.importedFrom } : {}),
    }
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      formatVersion: MANIFEST_VERSION,
      seq: nextSeq(),
      meta,
      packs: packs.map((h) => packRefs.get(h)!),
      runs,
      endpoints: [],
    }
    // storedBytes counts the manifest that contains it: settle the number of digits.
    let sealed = sealJson(manifest)
    for (let i = 0; i < 3; i++) {
      meta.storedBytes = sealed.length + (wrotePack && newPack ? newPack.size : 0)
      sealed = sealJson(manifest)
    }
    const relManifest = `${MANIFESTS}/${manifestName(id, 1)}`
    try {
      await fsp.mkdir(p(MANIFESTS), { recursive: true })
      await putFile(relManifest, sealed)
      entries.set(id, entryFrom(manifest, 1, sealed.length))
      manifestCache.set(id, { rev: 1, manifest })
      await writeIndex()
    } catch (err) {
      // Undo so a failed save (full disk) leaves the store exactly as it was.
      entries.delete(id)
      manifestCache.delete(id)
      await fsp.rm(p(relManifest), { force: true }).catch(() => undefined)
      if (wrotePack && newPack)
        await fsp.rm(p(PACKS, `${newPack.hash}.br`), { force: true }).catch(() => undefined)
      throw err
    }
    return { meta: publicMeta(entryOrThrow(id)), created: true }
  }

  async function removeEntries(ids: string[]): Promise<void> {
    for (const id of ids) {
      const entry = entries.get(id)
      if (!entry) continue
      // Manifest first: once it is gone the snapshot is gone, whatever happens to the index.
      const names = (await readdirSafe(MANIFESTS)).filter((n) => parseManifestName(n)?.id === id)
      await removeFiles(names.map((n) => `${MANIFESTS}/${n}`))
      entries.delete(id)
      manifestCache.delete(id)
    }
    await writeIndex()
  }

  /**
   * Deletes packs and blobs no snapshot uses and rewrites packs that are mostly dead records
   * (or, for a size limit, any dead record) so removing snapshots actually frees their space.
   */
  async function collectGarbage(compact: 'none' | 'mostly-dead' | 'any-dead'): Promise<void> {
    if (compact !== 'none') {
      try {
        await compactPacks(compact === 'any-dead')
      } catch {
        // Compaction only reclaims space, and every step of it leaves a consistent store: a full disk
        // here must not turn the removal that already happened into an error. Next time it retries.
      }
    }
    const usedPacks = new Set<string>()
    const usedBlobs = new Set<string>()
    for (const e of entries.values()) {
      for (const r of e.packs) usedPacks.add(r.hash)
      for (const r of e.blobs) usedBlobs.add(r.hash)
    }
    const doomed: string[] = []
    for (const [sub, used] of [
      [PACKS, usedPacks],
      [BLOBS, usedBlobs],
    ] as const) {
      for (const name of await readdirSafe(sub)) {
        const hash = name.endsWith('.br') ? name.slice(0, -3) : ''
        if (isTempLeftover(name) || (SHA256_HEX.test(hash) && !used.has(hash))) doomed.push(`${sub}/${name}`)
      }
    }
    if (doomed.length) await removeFiles(doomed)
  }

  async function compactPacks(aggressive: boolean): Promise<void> {
    const users = new Map<string, Entry[]>()
    const live = new Map<string, Set<number>>()
    const unknown = new Set<string>()
    for (const e of entries.values()) {
      let manifest: Manifest
      try {
        manifest = await manifestOf(e)
      } catch {
        // Without its record list we cannot tell which records it uses: leave its packs alone.
        for (const r of e.packs) unknown.add(r.hash)
        continue
      }
      for (const r of manifest.packs) users.set(r.hash, [...(users.get(r.hash) ?? []), e])
      for (const ref of fromRuns(manifest.packs, manifest.runs)) {
        let set = live.get(ref.pack)
        if (!set) live.set(ref.pack, (set = new Set()))
        set.add(ref.index)
      }
    }
    for (const [hash, list] of users) {
      const ref = list[0]!.packs.find((r) => r.hash === hash)!
      const used = live.get(hash) ?? new Set<number>()
      if (unknown.has(hash) || badFiles.has(hash) || used.size === ref.count) continue
      if (!aggressive && used.size / ref.count >= COMPACT_BELOW_LIVE_SHARE) continue
      let pack: PackData
      try {
        pack = await packData(ref)
      } catch {
        continue
      }
      const keep = [...used].sort((a, b) => a - b)
      const moved = new Map(keep.map((old, i) => [old, i]))
      const bytes = await encodePack(
        keep.map((i) => pack.ids[i]!),
        keep.map((i) => pack.lines[i]!),
      )
      const next: PackRef = { hash: sha256Hex(bytes), size: bytes.length, count: keep.length }
      await putFile(`${PACKS}/${next.hash}.br`, bytes)
      badFiles.delete(next.hash)
      for (const user of list) {
        const current = entries.get(user.meta.id)!
        const manifest = await manifestOf(current)
        const refs = fromRuns(manifest.packs, manifest.runs).map((r) =>
          r.pack === hash ? { pack: next.hash, index: moved.get(r.index)! } : r,
        )
        const known = new Map(manifest.packs.map((r) => [r.hash, r]))
        known.set(next.hash, next)
        const { packs, runs } = toRuns(refs)
        await rewriteManifest(current, { ...manifest, packs: packs.map((h) => known.get(h)!), runs })
      }
      // The old pack is deleted by the sweep that follows, once no manifest on disk names it.
    }
  }

  async function totalBytes(): Promise<SnapshotUsage> {
    let total = 0
    let packs = 0
    for (const name of [STORE_FILE, INDEX]) total += (await stampOf(p(name)))?.size ?? 0
    for (const sub of [MANIFESTS, PACKS, BLOBS]) {
      for (const name of await readdirSafe(sub)) {
        total += (await stampOf(p(sub, name)))?.size ?? 0
        if (sub === PACKS) packs++
      }
    }
    return { totalBytes: total, snapshots: entries.size, packs }
  }

  // ---------- verification ----------

  async function checkDataFiles(hashAll: boolean): Promise<void> {
    for (const [sub, pick] of [
      [PACKS, (e: Entry) => e.packs],
      [BLOBS, (e: Entry) => e.blobs],
    ] as const) {
      const refs = new Map<string, FileRef>()
      for (const e of entries.values()) for (const r of pick(e)) refs.set(r.hash, r)
      for (const ref of refs.values()) {
        if (badFiles.has(ref.hash)) continue
        const relative = `${sub}/${ref.hash}.br`
        const stamp = await stampOf(p(relative))
        if (!stamp) {
          report(relative, 'missing')
          markBad(ref.hash, 'file missing')
        } else if (stamp.size !== ref.size) {
          const reason = stamp.size < ref.size ? 'truncated' : 'wrong size (damaged)'
          await quarantine(relative, reason)
          markBad(ref.hash, `${reason}, moved to quarantine`)
        } else if (hashAll) {
          await readVerified(sub, ref).catch(() => undefined)
        }
      }
    }
  }

  async function verifyManifests(): Promise<void> {
    for (const entry of [...entries.values()]) {
      const read = await readManifestFile(entry.meta.id, entry.rev)
      if (typeof read === 'string') {
        if (read === MISSING)
          report(`${MANIFESTS}/${manifestName(entry.meta.id, entry.rev)}`, 'manifest missing')
        else await badManifest(entry.meta.id, entry.rev, read)
        entries.delete(entry.meta.id)
        manifestCache.delete(entry.meta.id)
      }
    }
  }

  // ---------- opening ----------

  const importLegacy: MigrationContext['importSnapshot'] = async ({ meta, models }) => {
    const takenAt = normaliseDate(typeof meta.takenAt === 'string' ? meta.takenAt : undefined, 'takenAt')
    await insert({
      ...(typeof meta.id === 'string' && SNAPSHOT_ID.test(meta.id) ? { id: meta.id } : {}),
      source: isSource(meta.source) ? meta.source : 'all',
      region: isRegion(meta.region) ? meta.region : 'global',
      profile: typeof meta.profile === 'string' && meta.profile ? meta.profile : 'default',
      models,
      skipped: typeof meta.skipped === 'number' && meta.skipped > 0 ? meta.skipped : 0,
      takenAt,
      ...(typeof meta.checkedAt === 'string'
        ? { checkedAt: normaliseDate(meta.checkedAt, 'checkedAt') }
        : {}),
      origin: meta.origin === 'import' ? 'import' : 'fetch',
      note: typeof meta.note === 'string' ? meta.note : '',
      pinned: meta.pinned === true,
    })
  }

  async function writeStoreInfo(): Promise<void> {
    const info = {
      format: STORE_FORMAT,
      formatVersion: STORE_FORMAT_VERSION,
      minReaderVersion: 1,
      createdAt: nowIso(),
      createdBy: appVersion,
    } as const
    await putFile(STORE_FILE, Buffer.from(storeInfoBytes(info)))
  }

  /** Sizes always (catches truncation); with verifyOnOpen, every manifest seal and data file hash too. */
  async function checkOnOpen(): Promise<boolean> {
    const before = problemList.length
    if (deps.verifyOnOpen ?? true) await verifyManifests()
    await checkDataFiles(deps.verifyOnOpen ?? true)
    return problemList.length > before
  }

  /**
   * Opening only reads. The lock is tried once, without waiting: when it is free, open also repairs
   * what a killed writer left and migrates an old layout. When another process holds it, the store
   * is read as it is and those repairs wait for this process's first write. When the lock cannot
   * even be created (read-only file system, full disk, no permission), the store opens read-only
   * with the reason, and every write tries again.
   */
  async function open(): Promise<void> {
    let cannotCreate: LockAttempt | undefined
    try {
      await fsp.mkdir(dir, { recursive: true })
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (typeof code !== 'string') throw toStorageError(err, dir)
      cannotCreate = { kind: 'unwritable', code, message: err instanceof Error ? err.message : String(err) }
    }
    const info = await readStoreInfo(dir)
    if (info.kind === 'ok') checkStoreVersion(info.info.formatVersion, info.info.minReaderVersion)
    if (readOnlyKind) {
      await syncWithDisk(false)
      await checkOnOpen()
      return
    }
    const got = cannotCreate ?? (await tryAcquireLock(p(LOCK), { timeoutMs: 0 }))
    if (got.kind === 'held') {
      try {
        await repairUnderLock()
      } catch (err) {
        throw toStorageError(err, dir)
      } finally {
        await got.lock.release().catch(() => undefined)
      }
      return
    }
    repairPending = true
    if (got.kind === 'unwritable') {
      becomeUnwritable(got)
      await syncWithDisk(false)
      await checkOnOpen()
      return
    }
    // Another process is writing right now. Its files appear whole (every write is a rename), so
    // read what is there; the checks of open would race with its compaction and wait for our lock.
    await syncWithDisk(false)
  }

  function checkStoreVersion(version: number, minReaderVersion: number): void {
    if (minReaderVersion > STORE_FORMAT_VERSION)
      throw new AppError(
        'store-read-only',
        `This snapshot store was written by a newer Model Deck (format ${version}) that this version cannot read. Update Model Deck to open it.`,
      )
    if (version > STORE_FORMAT_VERSION) {
      readOnlyKind = 'newer'
      readOnlyReason = `This snapshot store was written by a newer Model Deck (format ${version}); it is open read-only. Update Model Deck to save or change snapshots.`
    }
  }

  /** The repairs and migrations of open; the caller holds the lock. Reads store.json again: it may have changed. */
  async function repairUnderLock(): Promise<void> {
    const info = await readStoreInfo(dir)
    let version: number | undefined
    if (info.kind === 'ok') {
      version = info.info.formatVersion
      checkStoreVersion(version, info.info.minReaderVersion)
      if (readOnlyKind === 'newer') {
        await syncWithDisk(false)
        await checkOnOpen()
        return
      }
    }
    if (info.kind === 'corrupt') await quarantine(STORE_FILE, info.reason)
    if (version === undefined) {
      // No (usable) store.json: an old layout, a fresh folder, or a lost file next to current manifests.
      version = STORE_FORMAT_VERSION
      for (const m of [...migrations].sort((a, b) => b.from - a.from))
        if (await m.detect(dir)) version = Math.min(version, m.from)
    }
    for (const sub of [MANIFESTS, PACKS, BLOBS]) await fsp.mkdir(p(sub), { recursive: true })
    await syncWithDisk(true)
    if (readOnlyKind) {
      await checkOnOpen()
      return
    }
    const path = migrationPath(version)
    if (!path) throw new AppError('internal', `No migration from snapshot store format ${version}.`)
    for (const step of path) {
      await step.run({ dir, importSnapshot: importLegacy, quarantine })
    }
    if (info.kind !== 'ok' || path.length > 0) await writeStoreInfo()
    if (await checkOnOpen()) await writeIndex()
    await collectGarbage('none')
    repairPending = false
  }

  await open()

  // ---------- the API ----------

  const store: SnapshotStore = {
    dir,
    get readOnly() {
      return readOnlyKind !== null
    },
    get readOnlyReason() {
      return readOnlyKind ? readOnlyReason : null
    },
    get readOnlyMayClear() {
      return readOnlyKind === 'unwritable'
    },

    async save(input) {
      validateSave(input)
      const takenAt = normaliseDate(input.takenAt, 'takenAt')
      return write(() =>
        insert({
          source: input.source,
          region: input.region,
          profile: input.profile,
          models: input.models,
          skipped: input.skipped ?? 0,
          takenAt,
          origin: input.origin ?? 'fetch',
        }),
      )
    },

    async list(filter) {
      await refreshForRead()
      return sorted(filter).map(publicMeta)
    },

    get(id) {
      const entry = entries.get(id)
      return entry && publicMeta(entry)
    },

    async load(id, opts) {
      await refreshForRead()
      return withRetry(id, async (entry) => ({
        meta: publicMeta(entry),
        models: await recordsOf(entry, opts?.pool),
      }))
    },

    async latest(filter) {
      await refreshForRead()
      const entry = sorted(filter).find((e) => !unavailableReason(e))
      return entry && publicMeta(entry)
    },

    async resolve(ref, filter) {
      await refreshForRead()
      const m = /^latest(?:~(\d+))?$/.exec(ref)
      if (m) {
        const n = Number(m[1] ?? 0)
        const entry = sorted(filter).filter((e) => !unavailableReason(e))[n]
        if (!entry) throw new AppError('not-found', `There is no snapshot ${ref} for this selection.`)
        return publicMeta(entry)
      }
      const exact = entries.get(ref)
      if (exact) return publicMeta(exact)
      const found = ref.length >= 4 ? [...entries.keys()].filter((id) => id.startsWith(ref)) : []
      if (found.length === 1) return publicMeta(entryOrThrow(found[0]!))
      throw new AppError(
        'not-found',
        found.length > 1
          ? `"${ref}" matches ${found.length} snapshots; give more of the id.`
          : `There is no snapshot ${ref}.`,
      )
    },

    async update(id, patch) {
      if (patch.note !== undefined && typeof patch.note !== 'string')
        throw new AppError('invalid-input', 'note must be a string.')
      if (patch.pinned !== undefined && typeof patch.pinned !== 'boolean')
        throw new AppError('invalid-input', 'pinned must be true or false.')
      return write(async () => {
        const entry = entryOrThrow(id)
        const manifest = await manifestOf(entry)
        const meta = {
          ...entry.meta,
          ...(patch.note !== undefined ? { note: patch.note } : {}),
          ...(patch.pinned !== undefined ? { pinned: patch.pinned } : {}),
        }
        return publicMeta(await rewriteManifest(entry, { ...manifest, meta }))
      })
    },

    async remove(id) {
      return write(async () => {
        entryOrThrow(id)
        await removeEntries([id])
        await collectGarbage('mostly-dead')
      })
    },

    async prune(options) {
      const { keepLast, maxBytes } = options
      if (keepLast !== undefined && (!Number.isInteger(keepLast) || keepLast < 0))
        throw new AppError('invalid-input', 'keepLast must be a whole number.')
      if (maxBytes !== undefined && (!Number.isFinite(maxBytes) || maxBytes < 0))
        throw new AppError('invalid-input', 'maxBytes must be a positive number.')
      return write(async () => {
        const removed: string[] = []
        const byKey = new Map<string, Entry[]>()
        for (const e of sorted()) {
          const key = `${e.meta.source}\u0000${e.meta.region}\u0000${e.meta.profile}`
          byKey.set(key, [...(byKey.get(key) ?? []), e])
        }
        const last = savedLast()
        if (keepLast !== undefined) {
          const doomed = [...byKey.values()].flatMap((list) =>
            list.slice(keepLast).filter((e) => !e.meta.pinned && !last.has(e)),
          )
          await removeEntries(doomed.map((e) => e.meta.id))
          removed.push(...doomed.map((e) => e.meta.id))
        }
        await collectGarbage(maxBytes !== undefined ? 'any-dead' : 'mostly-dead')
        if (maxBytes !== undefined) {
          const newest = new Set([...byKey.values()].map((list) => list[0]!.meta.id))
          for (const e of last) newest.add(e.meta.id)
          const candidates = sorted()
            .reverse()
            .filter((e) => !e.meta.pinned && !newest.has(e.meta.id))
          for (const e of candidates) {
            if ((await totalBytes()).totalBytes <= maxBytes) break
            await removeEntries([e.meta.id])
            removed.push(e.meta.id)
            await collectGarbage('any-dead')
          }
        }
        return removed
      })
    },

    async history(modelId, filter) {
      await refreshForRead()
      const points: SnapshotHistoryPoint[] = []
      for (const entry of sorted(filter)) {
        const base = { id: entry.meta.id, takenAt: entry.meta.takenAt }
        try {
          const record = await withRetry(entry.meta.id, async (e) => {
            const reason = unavailableReason(e)
            if (reason) throw new AppError('corrupt', reason)
            const manifest = await manifestOf(e)
            // Look the id up in each pack's header; only the matching record is parsed.
            for (const [pi, start, length] of manifest.runs) {
              const ref = manifest.packs[pi]
              if (!ref) continue
              const pack: PackData = await packData(ref)
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
    },

    async saveEndpoints(snapshotId, modelId, body) {
      if (typeof modelId !== 'string' || modelId.length === 0)
        throw new AppError('invalid-input', 'modelId must be a non-empty string.')
      const json = JSON.stringify(body)
      if (json === undefined) throw new AppError('invalid-input', 'The endpoints body is not JSON data.')
      return write(async () => {
        const entry = entryOrThrow(snapshotId)
        const manifest = await manifestOf(entry)
        const bytes = await encodeBrotli(json)
        const ref: FileRef = { hash: sha256Hex(bytes), size: bytes.length }
        const existing = await stampOf(p(BLOBS, `${ref.hash}.br`))
        const wrote = existing?.size !== ref.size
        if (wrote) {
          await fsp.mkdir(p(BLOBS), { recursive: true })
          await putFile(`${BLOBS}/${ref.hash}.br`, bytes)
        }
        badFiles.delete(ref.hash)
        const endpoints = manifest.endpoints.filter(([m]) => m !== modelId)
        endpoints.push([modelId, ref])
        try {
          await rewriteManifest(entry, { ...manifest, endpoints })
        } catch (err) {
          if (wrote) await fsp.rm(p(BLOBS, `${ref.hash}.br`), { force: true }).catch(() => undefined)
          throw err
        }
        await collectGarbage('mostly-dead')
      })
    },

    async loadEndpoints(snapshotId, modelId) {
      await refreshForRead()
      return withRetry(snapshotId, async (entry) => {
        const manifest = await manifestOf(entry)
        const ref = manifest.endpoints.find(([m]) => m === modelId)?.[1]
        if (!ref) return null
        return JSON.parse(await decodeBrotli(await readVerified(BLOBS, ref))) as unknown
      })
    },

    async importRaw(bytes, options) {
      assertWritable()
      const filename =
        typeof options?.filename === 'string' && options.filename ? options.filename : 'The file'
      if (!Buffer.isBuffer(bytes)) throw new AppError('invalid-input', 'importRaw needs the file bytes.')
      if (options.source !== undefined && !isSource(options.source))
        throw new AppError('invalid-input', 'source must be "user" or "all".')
      if (options.region !== undefined && !isRegion(options.region))
        throw new AppError('invalid-input', 'region must be "global", "eu" or "us".')
      const file = await readImportFile(bytes, filename, parseModels)
      const meta = file.kind === 'bundle' ? file.meta : {}
      const takenAt = normaliseDate(
        options.takenAt ??
          (typeof meta.takenAt === 'string' && !Number.isNaN(Date.parse(meta.takenAt))
            ? meta.takenAt
            : undefined),
        'takenAt',
      )
      return write(() =>
        insert({
          source: options.source ?? (isSource(meta.source) ? meta.source : 'all'),
          region: options.region ?? (isRegion(meta.region) ? meta.region : 'global'),
          profile:
            options.profile ?? (typeof meta.profile === 'string' && meta.profile ? meta.profile : 'default'),
          models: file.models,
          skipped: file.skipped + (typeof meta.skipped === 'number' && meta.skipped > 0 ? meta.skipped : 0),
          takenAt,
          origin: 'import',
          note: typeof meta.note === 'string' ? meta.note : '',
          importedFrom: filename,
        }),
      )
    },

    async exportBundle(id) {
      const { meta, models } = await store.load(id)
      return encodeBundle(meta, models)
    },

    verify() {
      const run = async (): Promise<SnapshotProblem[]> => {
        const before = problemList.length
        await syncWithDisk(!readOnlyKind)
        await verifyManifests()
        await checkDataFiles(true)
        if (!readOnlyKind && problemList.length > before) await writeIndex()
        return problemList.slice(before)
      }
      if (readOnlyKind) return run()
      return write(run)
    },

    problems() {
      return problemList.map((x) => ({ ...x }))
    },

    usage() {
      return totalBytes()
    },

    async close() {
      await tail
    },
  }
  return store
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
