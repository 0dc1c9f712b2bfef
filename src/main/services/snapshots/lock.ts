import { promises as fsp, readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { AppError } from '../../../shared/ipc/result'
import { toStorageError } from '../durable-write'

/**
 * A lock file so the desktop app and the headless CLI never write one store at the same time. It
 * names its owner (host, pid, process start time) so a lock left by a killed process is recognised
 * and broken instead of blocking forever; the start time catches a pid the system has reused.
 */
interface LockOwner {
  host: string
  pid: number
  start: string | null
  token: string
  at: number
}

export interface FileLock {
  release(): Promise<void>
}

export interface LockOptions {
  timeoutMs?: number
  /** Age after which a lock whose owner cannot be checked (other host, unreadable) counts as stale. */
  unverifiableStaleMs?: number
}

/** The outcome of trying to take the lock; only a failure of the file system itself is thrown. */
export type LockAttempt =
  | { kind: 'held'; lock: FileLock }
  | { kind: 'busy'; pid: number | null }
  /** The lock file cannot be created (read-only file system, full disk, no permission): the raw errno. */
  | { kind: 'unwritable'; code: string; message: string }

export async function acquireLock(path: string, options: LockOptions = {}): Promise<FileLock> {
  const got = await tryAcquireLock(path, options)
  if (got.kind === 'held') return got.lock
  if (got.kind === 'busy') throw lockedError(got.pid)
  throw toStorageError(Object.assign(new Error(got.message), { code: got.code }), path)
}

export function lockedError(pid: number | null): AppError {
  return new AppError(
    'store-read-only',
    `Another Model Deck process${pid !== null ? ` (pid ${pid})` : ''} is writing to this snapshot store. Try again when it has finished.`,
    { reason: 'locked', pid },
  )
}

/** Waits up to `timeoutMs` (0: one attempt) for the lock; never throws for a lock it cannot create. */
export async function tryAcquireLock(path: string, options: LockOptions = {}): Promise<LockAttempt> {
  const timeoutMs = options.timeoutMs ?? 15_000
  const unverifiableStaleMs = options.unverifiableStaleMs ?? 60_000
  const owner: LockOwner = {
    host: hostname(),
    pid: process.pid,
    start: processStart(process.pid),
    token: randomBytes(8).toString('hex'),
    at: Date.now(),
  }
  const deadline = Date.now() + timeoutMs
  let holder: LockOwner | undefined
  // A lock that vanishes or a temp file swept by an older version is retried at once, but not forever.
  let quickRetries = 0
  try {
    for (;;) {
      const made = await tryCreate(path, owner)
      if (made === 'created') return { kind: 'held', lock: { release: () => release(path, owner.token) } }
      if (made === 'vanished' && quickRetries++ < 100) continue
      const seen = made === 'exists' ? await readOwner(path) : undefined
      if (seen === 'gone' && quickRetries++ < 100) continue
      if (seen && seen !== 'gone') {
        holder = seen.owner
        if (isStale(seen, unverifiableStaleMs)) {
          await breakLock(path, seen.owner?.token)
          continue
        }
      }
      if (Date.now() >= deadline) break
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 20))
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (typeof code !== 'string') throw err
    return { kind: 'unwritable', code, message: err instanceof Error ? err.message : String(err) }
  }
  return { kind: 'busy', pid: holder?.pid ?? null }
}

/**
 * Writes the owner to a private temp file first and links it in, so the lock is never seen half
 * written. 'vanished': our temp file was deleted before the link (an older Model Deck sweeping it
 * as a leftover); the caller simply tries again. Raw fs errors are thrown as they are.
 */
async function tryCreate(path: string, owner: LockOwner): Promise<'created' | 'exists' | 'vanished'> {
  // The pid in the name judges a temp file killed before its owner was written into it.
  const tmp = `${path}.${owner.pid}.${owner.token}.tmp`
  // A missing folder (ENOENT here) is an error of the store, not a race: thrown.
  try {
    await fsp.writeFile(tmp, JSON.stringify(owner), { flag: 'wx' })
  } catch (err) {
    // A full disk creates the file and then refuses its bytes: leave no empty temp file behind.
    await fsp.rm(tmp, { force: true }).catch(() => undefined)
    throw err
  }
  try {
    await fsp.link(tmp, path)
    return 'created'
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return 'exists'
    if (code === 'ENOENT') return 'vanished'
    throw err
  } finally {
    await fsp.rm(tmp, { force: true }).catch(() => undefined)
  }
}

type Seen = { owner: LockOwner | undefined; mtimeMs: number }

async function readOwner(path: string): Promise<Seen | 'gone'> {
  try {
    const [text, st] = await Promise.all([fsp.readFile(path, 'utf8'), fsp.stat(path)])
    let owner: LockOwner | undefined
    try {
      const v = JSON.parse(text) as Partial<LockOwner>
      if (typeof v.pid === 'number' && typeof v.token === 'string' && typeof v.host === 'string')
        owner = v as LockOwner
    } catch {
      owner = undefined
    }
    return { owner, mtimeMs: st.mtimeMs }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone'
    throw err
  }
}

function isStale(seen: Seen, unverifiableStaleMs: number): boolean {
  const { owner } = seen
  if (!owner || owner.host !== hostname()) return Date.now() - seen.mtimeMs > unverifiableStaleMs
  return !isAlive(owner.pid, owner.start)
}

function isAlive(pid: number, start: string | null): boolean {
  try {
    process.kill(pid, 0)
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
  const stat = procStat(pid)
  if (!stat) return true
  // A killed child stays a zombie until its parent reaps it; it will never release the lock.
  if (stat.state === 'Z' || stat.state === 'X') return false
  return start === null || stat.start === start
}

function processStart(pid: number): string | null {
  return procStat(pid)?.start ?? null
}

/** Linux only: the state and start time (clock ticks since boot) of a process; undefined elsewhere. */
function procStat(pid: number): { state: string; start: string } | undefined {
  if (process.platform !== 'linux') return undefined
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name may hold spaces and parentheses; the fields after the last ')' are fixed.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    const state = fields[0]
    const start = fields[19]
    return state && start ? { state, start } : undefined
  } catch {
    return undefined
  }
}

/**
 * Renames the stale lock aside before deleting it: if another process broke it and took the lock in
 * the meantime, the file we moved is theirs and is linked back rather than deleted.
 */
async function breakLock(path: string, staleToken: string | undefined): Promise<void> {
  const aside = `${path}.stale-${randomBytes(6).toString('hex')}`
  try {
    await fsp.rename(path, aside)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
    throw err
  }
  const moved = await readOwner(aside)
  const movedToken = moved === 'gone' ? undefined : moved.owner?.token
  if (movedToken !== undefined && movedToken !== staleToken)
    await fsp.link(aside, path).catch(() => undefined)
  await fsp.rm(aside, { force: true })
}

async function release(path: string, token: string): Promise<void> {
  const seen = await readOwner(path).catch(() => 'gone' as const)
  if (seen !== 'gone' && seen.owner?.token === token) await fsp.rm(path, { force: true })
}

const isLockLeftoverName = (name: string, lockName: string): boolean =>
  name.startsWith(`${lockName}.`) && (name.endsWith('.tmp') || name.includes('.stale-'))

/**
 * Leftovers of lock attempts killed midway: safe to delete only once their owner is gone. A live
 * process waiting for the lock has its own `<lock>.<token>.tmp` for a moment on every attempt, and
 * deleting it made that writer fail; `.stale-` files hold the lock being broken, whose owner is named
 * inside too. An unreadable or half-written file counts as abandoned only once it is old.
 */
export async function isAbandonedLockFile(
  dir: string,
  name: string,
  lockName: string,
  unverifiableStaleMs = 60_000,
): Promise<boolean> {
  if (!isLockLeftoverName(name, lockName)) return false
  const seen = await readOwner(join(dir, name)).catch(() => 'gone' as const)
  if (seen === 'gone') return false
  const pid = Number(/^\d+(?=\.[0-9a-f]+\.tmp$)/.exec(name.slice(lockName.length + 1))?.[0] ?? NaN)
  // Empty or half written: the owner was killed while writing it, or is writing it right now.
  if (!seen.owner && Number.isSafeInteger(pid) && !isAlive(pid, null)) return true
  return isStale(seen, unverifiableStaleMs)
}
