import { promises as fsp } from 'node:fs'
import { AppError } from '../../../shared/ipc/result'
import { toStorageError } from '../durable-write'
import { tryAcquireLock, type LockAttempt } from './lock'
import {
  STORE_FILE,
  STORE_FORMAT,
  STORE_FORMAT_VERSION,
  migrationPath,
  migrations,
  readStoreInfo,
  storeInfoBytes,
} from './migrations'
import { collectGarbage } from './store-garbage'
import { syncWithDisk, writeIndex } from './store-index'
import { legacyInsert } from './store-input'
import { becomeUnwritable } from './store-queue'
import { checkOnOpen } from './store-verify'
import { insert } from './store-write'
import { BLOBS, LOCK, MANIFESTS, PACKS, nowIso, putFile, quarantine, type StoreState } from './store-state'

/*
 * Opening a store: the format version (a newer one opens read-only), then, under the lock when it
 * is free, the repairs a killed writer needs and the migrations from older layouts.
 */

async function writeStoreInfo(s: StoreState): Promise<void> {
  const info = {
    format: STORE_FORMAT,
    formatVersion: STORE_FORMAT_VERSION,
    minReaderVersion: 1,
    createdAt: nowIso(s),
    createdBy: s.appVersion,
  } as const
  await putFile(s, STORE_FILE, Buffer.from(storeInfoBytes(info)))
}

/**
 * Opening only reads. The lock is tried once, without waiting: when it is free, open also repairs
 * what a killed writer left and migrates an old layout. When another process holds it, the store
 * is read as it is and those repairs wait for this process's first write. When the lock cannot
 * even be created (read-only file system, full disk, no permission), the store opens read-only
 * with the reason, and every write tries again.
 */
export async function openStore(s: StoreState): Promise<void> {
  let cannotCreate: LockAttempt | undefined
  try {
    await fsp.mkdir(s.dir, { recursive: true })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (typeof code !== 'string') throw toStorageError(err, s.dir)
    cannotCreate = { kind: 'unwritable', code, message: err instanceof Error ? err.message : String(err) }
  }
  const info = await readStoreInfo(s.dir)
  if (info.kind === 'ok') checkStoreVersion(s, info.info.formatVersion, info.info.minReaderVersion)
  if (s.readOnlyKind) {
    await syncWithDisk(s, false)
    await checkOnOpen(s)
    return
  }
  const got = cannotCreate ?? (await tryAcquireLock(s.p(LOCK), { timeoutMs: 0 }))
  if (got.kind === 'held') {
    try {
      await repairUnderLock(s)
    } catch (err) {
      throw toStorageError(err, s.dir)
    } finally {
      await got.lock.release().catch(() => undefined)
    }
    return
  }
  s.repairPending = true
  if (got.kind === 'unwritable') {
    becomeUnwritable(s, got)
    await syncWithDisk(s, false)
    await checkOnOpen(s)
    return
  }
  // Another process is writing right now. Its files appear whole (every write is a rename), so
  // read what is there; the checks of open would race with its compaction and wait for our lock.
  await syncWithDisk(s, false)
}

function checkStoreVersion(s: StoreState, version: number, minReaderVersion: number): void {
  if (minReaderVersion > STORE_FORMAT_VERSION)
    throw new AppError(
      'store-read-only',
      `This snapshot store was written by a newer Model Deck (format ${version}) that this version cannot read. Update Model Deck to open it.`,
    )
  if (version > STORE_FORMAT_VERSION) {
    s.readOnlyKind = 'newer'
    s.readOnlyReason = `This snapshot store was written by a newer Model Deck (format ${version}); it is open read-only. Update Model Deck to save or change snapshots.`
  }
}

/** The repairs and migrations of open; the caller holds the lock. Reads store.json again: it may have changed. */
export async function repairUnderLock(s: StoreState): Promise<void> {
  const info = await readStoreInfo(s.dir)
  let version: number | undefined
  if (info.kind === 'ok') {
    version = info.info.formatVersion
    checkStoreVersion(s, version, info.info.minReaderVersion)
    if (s.readOnlyKind === 'newer') {
      await syncWithDisk(s, false)
      await checkOnOpen(s)
      return
    }
  }
  if (info.kind === 'corrupt') await quarantine(s, STORE_FILE, info.reason)
  if (version === undefined) {
    // No (usable) store.json: an old layout, a fresh folder, or a lost file next to current manifests.
    version = STORE_FORMAT_VERSION
    for (const m of [...migrations].sort((a, b) => b.from - a.from))
      if (await m.detect(s.dir)) version = Math.min(version, m.from)
  }
  for (const sub of [MANIFESTS, PACKS, BLOBS]) await fsp.mkdir(s.p(sub), { recursive: true })
  await syncWithDisk(s, true)
  if (s.readOnlyKind) {
    await checkOnOpen(s)
    return
  }
  const path = migrationPath(version)
  if (!path) throw new AppError('internal', `No migration from snapshot store format ${version}.`)
  for (const step of path) {
    await step.run({
      dir: s.dir,
      importSnapshot: async (old) => void (await insert(s, legacyInsert(s, old))),
      quarantine: (relative, reason) => quarantine(s, relative, reason),
    })
  }
  if (info.kind !== 'ok' || path.length > 0) await writeStoreInfo(s)
  if (await checkOnOpen(s)) await writeIndex(s)
  await collectGarbage(s, 'none')
  s.repairPending = false
}
