import { AppError } from '../../../shared/ipc/result'
import { lockedError, tryAcquireLock, type FileLock, type LockAttempt } from './lock'
import { syncWithDisk } from './store-index'
import { LOCK, type StoreState } from './store-state'

/*
 * Whether the store may be written, and the queue every write goes through: this process's writes
 * one after another, each under the lock file shared with other processes (the app and the CLI).
 */

export function assertWritable(s: StoreState): void {
  // An unwritable store is not refused here: each write tries the lock again (space may be free now).
  if (s.readOnlyKind === 'newer') throw new AppError('store-read-only', s.readOnlyReason)
}

export function unwritableReason(s: StoreState, got: Extract<LockAttempt, { kind: 'unwritable' }>): string {
  const rest = `so it is open read-only: the snapshots on disk can be browsed, compared and exported, but nothing can be saved or changed`
  const where = `${got.code} in ${s.dir}`
  if (got.code === 'EROFS') return `The snapshot store is on a read-only file system (${where}), ${rest}.`
  if (got.code === 'ENOSPC' || got.code === 'EDQUOT')
    return `The disk holding the snapshot store is full (${where}), ${rest} until some space is freed.`
  if (got.code === 'EACCES' || got.code === 'EPERM')
    return `Model Deck has no permission to write to the snapshot store (${where}), ${rest}.`
  return `The snapshot store cannot be written (${got.message}), ${rest}.`
}

export function becomeUnwritable(s: StoreState, got: Extract<LockAttempt, { kind: 'unwritable' }>): void {
  if (s.readOnlyKind === 'newer') return
  s.readOnlyKind = 'unwritable'
  s.readOnlyReason = unwritableReason(s, got)
}

/** The lock for one write; a store that could not be written before becomes writable once it works. */
export async function takeLock(s: StoreState): Promise<FileLock> {
  const got = await tryAcquireLock(s.p(LOCK), s.deps.lockTimeoutMs ? { timeoutMs: s.deps.lockTimeoutMs } : {})
  if (got.kind === 'busy') throw lockedError(got.pid)
  if (got.kind === 'unwritable') {
    becomeUnwritable(s, got)
    throw new AppError('store-read-only', s.readOnlyReason, { reason: 'unwritable', errno: got.code })
  }
  if (s.readOnlyKind === 'unwritable') {
    s.readOnlyKind = null
    s.readOnlyReason = ''
  }
  return got.lock
}

/**
 * One write at a time in this process, and one process at a time through the lock file. `repair`
 * runs the checks of open that had to wait for the lock (see open in store-open.ts).
 */
export function write<T>(s: StoreState, repair: () => Promise<void>, fn: () => Promise<T>): Promise<T> {
  const run = s.tail.then(async () => {
    assertWritable(s)
    s.writing++
    try {
      const lock = await takeLock(s)
      try {
        // Another process may have written since we last looked.
        if (s.repairPending) await repair()
        else await syncWithDisk(s, true)
        assertWritable(s)
        return await fn()
      } finally {
        await lock.release().catch(() => undefined)
      }
    } finally {
      s.writing--
    }
  })
  s.tail = run.catch(() => undefined)
  return run
}
