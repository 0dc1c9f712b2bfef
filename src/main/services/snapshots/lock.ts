import { promises as fsp, readFileSync } from 'node:fs'
import { hostname } from 'node:os'
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

export async function acquireLock(path: string, options: LockOptions = {}): Promise<FileLock> {
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
  for (;;) {
    if (await tryCreate(path, owner)) return { release: () => release(path, owner.token) }
    const seen = await readOwner(path)
    if (seen === 'gone') continue
    holder = seen.owner
    if (isStale(seen, unverifiableStaleMs)) {
      await breakLock(path, seen.owner?.token)
      continue
    }
    if (Date.now() >= deadline) break
    await new Promise((r) => setTimeout(r, 10 + Math.random() * 20))
  }
  throw new AppError(
    'store-read-only',
    `Another Model Deck process${holder ? ` (pid ${holder.pid})` : ''} is writing to this snapshot store. Try again when it has finished.`,
    { reason: 'locked', pid: holder?.pid ?? null },
  )
}

/** Writes the owner to a private temp file first and links it in, so the lock is never seen half written. */
async function tryCreate(path: string, owner: LockOwner): Promise<boolean> {
  const tmp = `${path}.${owner.token}.tmp`
  try {
    await fsp.writeFile(tmp, JSON.stringify(owner), { flag: 'wx' })
    await fsp.link(tmp, path)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw toStorageError(err, path)
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
    throw toStorageError(err, path)
  }
}

function isStale(seen: Seen, unverifiableStaleMs: number): boolean {
  const { owner } = seen
  if (!owner || owner.host !== hostname()) return Date.now() - seen.mtimeMs > unverifiableStaleMs
  return !isAlive(owner.pid, owner.start)
}

export function isAlive(pid: number, start: string | null): boolean {
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
    throw toStorageError(err, path)
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

/** Leftovers of lock attempts killed midway; safe to delete once the lock is held. */
export function isLockLeftover(name: string, lockName: string): boolean {
  return name.startsWith(`${lockName}.`) && (name.endsWith('.tmp') || name.includes('.stale-'))
}
