import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { createSnapshotStore, type SnapshotStore } from '../../src/main/services/snapshots/snapshot-store'
import { parseModelsBody } from '../../src/shared/model/parse'
import { diffCatalogs } from '../../src/shared/model/diff'
import type { RawModel } from '../../src/shared/model/raw'
import { changedCatalog } from './catalogs'
import { median, timeAsync, timeOnce } from './measure'

const APP_VERSION = '0.0.0-bench'
const FILTER = { source: 'all', region: 'global', profile: 'default' } as const

/** Every byte under `dir`: packs, manifests, the index and store.json alike. */
export function folderBytes(dir: string): number {
  let total = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size
  }
  return total
}

const openStore = (dir: string): Promise<SnapshotStore> =>
  createSnapshotStore({ dir, appVersion: APP_VERSION, parseModels: parseModelsBody })

export interface SnapshotSeries {
  models: number
  saveFirstMs: number
  firstBytes: number
  unchangedBytes: number
  changedBytes: number
  /** gzip -9 of the records as compact JSON: what a plain compressed file would weigh. */
  gzip9Bytes: number
  /** A fresh store (as at app start) opening, finding the latest snapshot and loading its records. */
  openLatestMs: number
  /** The records of two snapshots already in memory, compared. */
  diffMs: number
  /** `snapshots:diff` as main runs it: both snapshots loaded from a fresh store, then compared. */
  loadAndDiffMs: number
}

/**
 * Saves a first fetch, the same catalog an hour later, and a fetch with 5% of the models changed;
 * measures what each adds to the disk, how long opening the latest takes and what diffing costs.
 */
export async function benchSnapshots(models: RawModel[], repeats: number): Promise<SnapshotSeries> {
  const dir = mkdtempSync(join(tmpdir(), 'md-bench-store-'))
  try {
    const takenAt = (h: number) => new Date(Date.UTC(2026, 7, 19, 8 + h)).toISOString()
    let store = await openStore(dir)
    let before = folderBytes(dir)
    const first = await timeAsync(() => store.save({ ...FILTER, models, takenAt: takenAt(0) }))
    const firstBytes = folderBytes(dir) - before

    before = folderBytes(dir)
    await store.save({ ...FILTER, models, takenAt: takenAt(1) })
    const unchangedBytes = folderBytes(dir) - before

    const changed = changedCatalog(models, 0.05)
    before = folderBytes(dir)
    const second = await store.save({ ...FILTER, models: changed, takenAt: takenAt(2) })
    const changedBytes = folderBytes(dir) - before
    await store.close()

    const opens: number[] = []
    for (let i = 0; i < repeats; i++) {
      const { ms } = await timeAsync(async () => {
        store = await openStore(dir)
        const latest = await store.latest(FILTER)
        return store.load(latest!.id)
      })
      opens.push(ms)
      await store.close()
    }

    const loadAndDiff: number[] = []
    let a: RawModel[] = []
    let b: RawModel[] = []
    for (let i = 0; i < repeats; i++) {
      const fresh = await openStore(dir)
      const { ms } = await timeAsync(async () => {
        a = (await fresh.load(first.value.meta.id)).models
        b = (await fresh.load(second.meta.id)).models
        return diffCatalogs(a, b)
      })
      loadAndDiff.push(ms)
      await fresh.close()
    }
    // Warm: a diff in a running app is JIT-compiled after the first use.
    for (let i = 0; i < 3; i++) diffCatalogs(a, b)
    const diffs = Array.from({ length: repeats }, () => timeOnce(() => diffCatalogs(a, b)))

    return {
      models: models.length,
      saveFirstMs: first.ms,
      firstBytes,
      unchangedBytes,
      changedBytes,
      gzip9Bytes: gzipSync(Buffer.from(JSON.stringify(models)), { level: 9 }).length,
      openLatestMs: median(opens),
      diffMs: median(diffs),
      loadAndDiffMs: median(loadAndDiff),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
