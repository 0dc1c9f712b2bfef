import { afterAll, describe, expect, it } from 'vitest'
import { gzipSync } from 'node:zlib'
import { createSnapshotStore } from '../../../src/main/services/snapshots/snapshot-store'
import {
  allModels,
  bytesOnDisk,
  cleanupTempDirs,
  clock,
  fixtureBody,
  tempDir,
  withPriceChanges,
} from './helpers'

afterAll(cleanupTempDirs)

/**
 * The storage targets from the issue, measured on the real 549-model body. Sizes, not timings, so
 * they are stable enough to assert. The lock file exists only during a write and is not counted.
 */
describe('snapshot storage grows with what changed, not with the catalog', () => {
  const body = fixtureBody('models-all-2026-08-19.json.gz')
  const gzip9 = gzipSync(Buffer.from(JSON.stringify(body)), { level: 9 }).length
  const measured: Record<string, number> = {}

  it('a first 549-model snapshot takes no more disk than gzip -9 of its compact JSON', async () => {
    const dir = tempDir()
    const store = await createSnapshotStore({ dir, appVersion: '0.1.0', now: clock() })
    await store.save({ source: 'all', region: 'global', profile: 'p', models: body.data })
    measured.first = bytesOnDisk(dir)
    measured.gzip9 = gzip9
    expect(measured.first).toBeLessThanOrEqual(gzip9)
    expect((await store.usage()).totalBytes).toBe(measured.first)
  })

  it('an unchanged fetch adds under 1 KB', async () => {
    const dir = tempDir()
    const store = await createSnapshotStore({ dir, appVersion: '0.1.0', now: clock() })
    await store.save({ source: 'all', region: 'global', profile: 'p', models: allModels() })
    const before = bytesOnDisk(dir)
    for (let i = 0; i < 5; i++)
      await store.save({ source: 'all', region: 'global', profile: 'p', models: allModels() })
    measured.unchanged = bytesOnDisk(dir) - before
    expect(measured.unchanged).toBeLessThan(1024)
  })

  it('a fetch with 5% of models changed adds about the compressed size of those records', async () => {
    const dir = tempDir()
    const store = await createSnapshotStore({ dir, appVersion: '0.1.0', now: clock() })
    const base = allModels()
    await store.save({ source: 'all', region: 'global', profile: 'p', models: base })
    const before = bytesOnDisk(dir)
    const changed = withPriceChanges(base, Math.round(base.length * 0.05))
    const { meta } = await store.save({ source: 'all', region: 'global', profile: 'p', models: changed })
    measured.fivePercent = bytesOnDisk(dir) - before
    const ids = new Set(
      changed.filter((m, i) => JSON.stringify(m) !== JSON.stringify(base[i])).map((m) => m.id),
    )
    const changedRecords = changed.filter((m) => ids.has(m.id))
    measured.changedGzip9 = gzipSync(Buffer.from(JSON.stringify(changedRecords)), { level: 9 }).length
    // Records + a manifest of about 2k+1 runs + one more index entry.
    expect(measured.fivePercent).toBeLessThan(measured.changedGzip9 + 3 * 1024)
    expect(meta.storedBytes).toBeLessThan(measured.changedGzip9 + 2 * 1024)
  })

  afterAll(() => {
    console.log('snapshot storage bytes:', JSON.stringify(measured))
  })
})
