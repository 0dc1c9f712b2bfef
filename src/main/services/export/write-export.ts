import { promises as fsp } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { basename, dirname, join } from 'node:path'
import { writeFileDurable } from '../durable-write'

/**
 * An export's temp file: `.<file name>.model-deck-<12 hex>.tmp`, next to the file it will replace.
 * The marker makes the name ours alone, so the sweep below can never take another program's file.
 */
const EXPORT_TEMP = /^\..+\.model-deck-[0-9a-f]{12}\.tmp$/
/** A live export holds its temp file for seconds; one untouched for an hour was left by a killed one. */
export const STALE_TEMP_AGE_MS = 60 * 60 * 1000

function exportTempName(target: string): string {
  return `.${basename(target)}.model-deck-${randomBytes(6).toString('hex')}.tmp`
}

/**
 * Removes export temp files in `dir` that a killed export left behind: our exact name, a regular
 * file we own, older than `STALE_TEMP_AGE_MS`. Anything else is left alone, and a failure here
 * never stops the export. Returns the names removed.
 */
async function sweepStaleExportTemps(dir: string, now = Date.now()): Promise<string[]> {
  const names = await fsp.readdir(dir).catch(() => [] as string[])
  const uid = process.getuid?.()
  const removed: string[] = []
  for (const name of names) {
    if (!EXPORT_TEMP.test(name)) continue
    const path = join(dir, name)
    try {
      const stat = await fsp.lstat(path)
      if (!stat.isFile() || (uid !== undefined && stat.uid !== uid)) continue
      if (now - stat.mtimeMs < STALE_TEMP_AGE_MS) continue
      await fsp.rm(path)
      removed.push(name)
    } catch {
      // Gone already, or not ours to remove: either way nothing to do.
    }
  }
  return removed
}

/** The permission bits to keep: those of the file being replaced, or none for a new file. */
async function existingMode(target: string): Promise<number | undefined> {
  try {
    const stat = await fsp.stat(target)
    return stat.isFile() ? stat.mode & 0o7777 : undefined
  } catch {
    return undefined
  }
}

/**
 * Writes an export atomically (see `writeFileDurable`). Unlike app data, an export is the user's
 * file: a replaced file keeps its permissions, and a new one gets what any program would give it
 * (0666 less the umask, normally 0644), not the app's private 0600.
 */
export async function writeExportFile(target: string, data: Uint8Array | string): Promise<void> {
  await sweepStaleExportTemps(dirname(target))
  const mode = await existingMode(target)
  await writeFileDurable(target, data, {
    tempName: exportTempName(target),
    ...(mode === undefined ? { createMode: 0o666 } : { mode }),
  })
}
