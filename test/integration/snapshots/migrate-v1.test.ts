import { afterAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { createSnapshotStore } from '../../../src/main/services/snapshots/snapshot-store'
import type { SnapshotMeta } from '../../../src/shared/snapshots'
import { cleanupTempDirs, clock, tempDir } from './helpers'

afterAll(cleanupTempDirs)

const FIXTURE = join(__dirname, '../../fixtures/snapshot-store-v1')

interface Expected {
  expected: { meta: SnapshotMeta; recordsSha256: string }[]
  endpoints: { snapshot: string; model: string }
}

/**
 * store.tar.gz was written by the store as it was before issue 14's keyframe packs (commit
 * e2135e3): 9 snapshots of two catalogs, a pin, notes, an unchanged fetch, endpoints and a removal
 * with its garbage collection. expected.json is what that code listed and loaded from it.
 */
describe('a store written before keyframe packs', () => {
  it('opens with every snapshot, note, pin and record, and takes new saves', async () => {
    const dir = tempDir()
    execFileSync('tar', ['-xzf', join(FIXTURE, 'store.tar.gz'), '-C', dir])
    const want = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8')) as Expected
    const store = await createSnapshotStore({ dir, appVersion: '0.2.0', now: clock() })
    expect(store.problems()).toEqual([])
    expect(store.readOnly).toBe(false)
    expect(await store.list()).toEqual(want.expected.map((e) => e.meta))
    for (const { meta, recordsSha256 } of want.expected) {
      const { models } = await store.load(meta.id)
      expect(createHash('sha256').update(JSON.stringify(models)).digest('hex')).toBe(recordsSha256)
    }
    expect(await store.loadEndpoints(want.endpoints.snapshot, want.endpoints.model)).toEqual({
      data: { endpoints: [{ name: 'x' }] },
    })
    const latest = want.expected[0]!.meta
    const { models } = await store.load(latest.id)
    const changed = models.map((m, i) => (i === 0 ? { ...m, name: 'renamed' } : m))
    const { meta } = await store.save({ source: 'all', region: 'global', profile: 'p', models: changed })
    expect(meta.storedBytes).toBeLessThan(4096)
    expect(await store.verify()).toEqual([])
    await store.close()
  })
})
