import { promises as fsp, constants } from 'node:fs'
import { dirname, basename, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { AppError } from '../../shared/ipc/result'

export interface DurableWriteOptions {
  /** Permission bits a new file is created with, less the umask. Default 0o600: app data is private. */
  createMode?: number
  /** Permission bits set exactly (the umask does not apply), e.g. to keep those of the file replaced. */
  mode?: number
  /** The temp file's name in the target's folder, for callers that sweep their own leftovers. */
  tempName?: string
}

/**
 * Replace `target` with `data` so that a crash, a kill or a full disk at any moment leaves either
 * the old file or the new one, never a mix: temp file in the same folder, every byte checked
 * (popular atomic-write libraries ignore short writes on a full disk), fsync, rename, folder fsync.
 */
export async function writeFileDurable(
  target: string,
  data: Uint8Array | string,
  opts: DurableWriteOptions = {},
): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  const dir = dirname(target)
  const tmp = join(dir, opts.tempName ?? `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`)
  let handle: fsp.FileHandle | undefined
  try {
    handle = await fsp.open(
      tmp,
      constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY,
      opts.createMode ?? 0o600,
    )
    if (opts.mode !== undefined) await handle.chmod(opts.mode)
    let offset = 0
    while (offset < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset)
      // A zero-byte write would loop forever; treat it as the disk being full.
      if (bytesWritten <= 0) throw Object.assign(new Error('short write'), { code: 'ENOSPC' })
      offset += bytesWritten
    }
    await handle.sync()
    await handle.close()
    handle = undefined
    await fsp.rename(tmp, target)
    await fsyncDir(dir)
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined)
    await fsp.rm(tmp, { force: true }).catch(() => undefined)
    throw toStorageError(err, target)
  }
}

export async function fsyncDir(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined
  try {
    handle = await fsp.open(dir, constants.O_RDONLY)
    await handle.sync()
  } catch {
    // Some file systems (and Windows) cannot fsync a folder; the rename is still atomic there.
  } finally {
    await handle?.close().catch(() => undefined)
  }
}

/** Map node fs errors to codes the UI can explain; keeps the original errno in the message. */
export function toStorageError(err: unknown, path: string): AppError {
  if (err instanceof AppError) return err
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  const name = basename(path)
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new AppError('disk-full', `The disk is full: could not write ${name}. Nothing was changed.`)
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new AppError('permission-denied', `No permission to write ${name} (${code}). Nothing was changed.`)
  const message = err instanceof Error ? err.message : String(err)
  return new AppError('internal', `Could not write ${name}: ${message}`)
}
