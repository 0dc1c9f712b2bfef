import type { RawModel } from '../../../shared/model/raw'
import type {
  SnapshotFilter,
  SnapshotHistoryPoint,
  SnapshotMeta,
  SnapshotProblem,
  SnapshotUsage,
} from '../../../shared/snapshots'
import { encodeBundle, type ParseModels } from './bundle'
import { collectGarbage, pruneEntries, removeEntries, totalBytes } from './store-garbage'
import { writeIndex, syncWithDisk } from './store-index'
import {
  checkPatch,
  checkPrune,
  endpointsJson,
  importInsert,
  saveInsert,
  type ImportOptions,
  type PruneOptions,
  type SaveInput,
} from './store-input'
import { openStore, repairUnderLock } from './store-open'
import { publicMeta, unavailableReason } from './store-packs'
import { assertWritable, write as queueWrite } from './store-queue'
import {
  endpointsOf,
  entryOrThrow,
  historyOf,
  recordsOf,
  refreshForRead,
  resolveRef,
  sorted,
  withRetry,
  type RecordPool,
} from './store-read'
import { createStoreState } from './store-state'
import { checkDataFiles, verifyManifests } from './store-verify'
import { insert, putEndpoints, updateMeta } from './store-write'

export type { ImportOptions, PruneOptions, RecordPool, SaveInput }

/*
 * The snapshot store: content-addressed packs of records, one manifest per snapshot, a sealed
 * index, a lock shared with other processes. The layout and its crash ordering are described in
 * store-state.ts; each concern lives in its own module, all working on one StoreState:
 *   store-input   the boundary: every argument checked and normalised once, here
 *   store-queue   read-only state, the write queue and the lock
 *   store-index   manifests and index.json, kept in step with the folder
 *   store-packs   packs and blobs: verified reads, the pack cache, damaged files
 *   store-read    order, references, records, history
 *   store-write   saving a snapshot, notes and pins, endpoint bodies
 *   store-garbage removal, retention, sweeping and compaction
 *   store-verify  checking seals, sizes and hashes
 *   store-open    format version, repairs after a kill, migrations
 */

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

export async function createSnapshotStore(deps: SnapshotStoreDeps): Promise<SnapshotStore> {
  const s = createStoreState(deps)
  const write = <T>(fn: () => Promise<T>): Promise<T> => queueWrite(s, () => repairUnderLock(s), fn)
  await openStore(s)

  const store: SnapshotStore = {
    dir: s.dir,
    get readOnly() {
      return s.readOnlyKind !== null
    },
    get readOnlyReason() {
      return s.readOnlyKind ? s.readOnlyReason : null
    },
    get readOnlyMayClear() {
      return s.readOnlyKind === 'unwritable'
    },

    async save(input) {
      const checked = saveInsert(s, input)
      return write(() => insert(s, checked))
    },

    async list(filter) {
      await refreshForRead(s)
      return sorted(s, filter).map((e) => publicMeta(s, e))
    },

    get(id) {
      const entry = s.entries.get(id)
      return entry && publicMeta(s, entry)
    },

    async load(id, opts) {
      await refreshForRead(s)
      return withRetry(s, id, async (entry) => ({
        meta: publicMeta(s, entry),
        models: await recordsOf(s, entry, opts?.pool),
      }))
    },

    async latest(filter) {
      await refreshForRead(s)
      const entry = sorted(s, filter).find((e) => !unavailableReason(s, e))
      return entry && publicMeta(s, entry)
    },

    async resolve(ref, filter) {
      await refreshForRead(s)
      return resolveRef(s, ref, filter)
    },

    async update(id, patch) {
      const checked = checkPatch(patch)
      return write(() => updateMeta(s, id, checked))
    },

    async remove(id) {
      return write(async () => {
        entryOrThrow(s, id)
        await removeEntries(s, [id])
        await collectGarbage(s, 'mostly-dead')
      })
    },

    async prune(options) {
      const checked = checkPrune(options)
      return write(() => pruneEntries(s, checked))
    },

    async history(modelId, filter) {
      await refreshForRead(s)
      return historyOf(s, modelId, filter)
    },

    async saveEndpoints(snapshotId, modelId, body) {
      const json = endpointsJson(modelId, body)
      return write(async () => {
        await putEndpoints(s, snapshotId, modelId, json)
        await collectGarbage(s, 'mostly-dead')
      })
    },

    async loadEndpoints(snapshotId, modelId) {
      await refreshForRead(s)
      return endpointsOf(s, snapshotId, modelId)
    },

    async importRaw(bytes, options) {
      assertWritable(s)
      const checked = await importInsert(s, bytes, options)
      return write(() => insert(s, checked))
    },

    async exportBundle(id) {
      const { meta, models } = await store.load(id)
      return encodeBundle(meta, models)
    },

    verify() {
      const run = async (): Promise<SnapshotProblem[]> => {
        const before = s.problemList.length
        await syncWithDisk(s, !s.readOnlyKind)
        await verifyManifests(s)
        await checkDataFiles(s, true)
        if (!s.readOnlyKind && s.problemList.length > before) await writeIndex(s)
        return s.problemList.slice(before)
      }
      if (s.readOnlyKind) return run()
      return write(run)
    },

    problems() {
      return s.problemList.map((x) => ({ ...x }))
    },

    usage() {
      return totalBytes(s)
    },

    async close() {
      await s.tail
    },
  }
  return store
}
