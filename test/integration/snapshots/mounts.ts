import { spawnSync } from 'node:child_process'
import { closeSync, openSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from './helpers'

/**
 * A real small tmpfs, for disks that are really full or really read-only. Needs root (or mount
 * permission); `mounted` says whether it worked, so a test can say which path it ran.
 */
export interface Tmpfs {
  dir: string
  mounted: boolean
  /** Remounts it read-only in place; true when that worked. */
  remountReadOnly(): boolean
  remountWritable(): boolean
  unmount(): void
}

export function mountTmpfs(size: string, prefix = 'tmpfs-'): Tmpfs {
  const dir = tempDir(prefix)
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status === 0
  const remount = (mode: string) => mounted && spawnSync('mount', ['-o', `remount,${mode}`, dir]).status === 0
  return {
    dir,
    mounted,
    remountReadOnly: () => remount('ro'),
    remountWritable: () => remount('rw'),
    unmount() {
      if (mounted) spawnSync('umount', [dir])
    },
  }
}

/** Writes a filler file until the disk refuses a single byte more; returns its path (delete it to free the space). */
export function fillDisk(dir: string): string {
  const path = join(dir, 'filler.bin')
  const fd = openSync(path, 'w')
  try {
    for (const size of [64 * 1024, 4096, 1]) {
      const chunk = Buffer.alloc(size, 0x61)
      for (;;) {
        try {
          if (writeSync(fd, chunk) < chunk.length) break
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break
          throw err
        }
      }
    }
  } finally {
    closeSync(fd)
  }
  return path
}

export function freeDisk(filler: string): void {
  rmSync(filler, { force: true })
}
