import { afterAll, describe, expect, it } from 'vitest'
import { createSnapshotStore } from '../../../src/main/services/snapshots/snapshot-store'
import { allModels, bytesOnDisk, cleanupTempDirs, clock, tempDir } from './helpers'
import { priceChangeHistory } from './history'

afterAll(cleanupTempDirs)

/**
 * Issue 14: a hundred imports of the real 549-model catalog, each with 5 or 6 prompt prices
 * changed from the one before, as `model-deck snapshot import` would store them. Measured
 * (docs/storage.md): 1,617 KB at 100 before, the later saves costing ~5x the early ones; 966 KB
 * after, with the cost per save flat.
 */
describe('disk per snapshot does not grow with the number of snapshots kept', () => {
  it(
    'the 51st to 100th saves cost about what the 2nd to 50th did, and 100 fit in 1.1 MB',
    { timeout: 120_000 },
    async () => {
      const dir = tempDir()
      const store = await createSnapshotStore({ dir, appVersion: '0.1.0', now: clock() })
      const total: number[] = []
      let n = 0
      for (const models of priceChangeHistory(allModels(), 100)) {
        n++
        const takenAt = new Date(Date.parse('2026-08-19T00:00:00Z') + n * 3_600_000)
        const bytes = Buffer.from(JSON.stringify({ data: models }))
        const { created } = await store.importRaw(bytes, { filename: 'models.json', source: 'all', takenAt })
        expect(created).toBe(true)
        total.push(bytesOnDisk(dir))
      }
      const perSave = (from: number, to: number): number =>
        (total[to - 1]! - total[from - 2]!) / (to - from + 1)
      const early = perSave(2, 50)
      const late = perSave(51, 100)
      const report = { first: total[0], at10: total[9], at100: total[99], early, late }
      expect(late, JSON.stringify(report)).toBeLessThan(2 * early)
      expect(total[99], JSON.stringify(report)).toBeLessThan(1.1 * 1024 * 1024)
      // Nothing was lost on the way: the oldest and the newest read back whole.
      const list = await store.list()
      expect(list).toHaveLength(100)
      const history = [...priceChangeHistory(allModels(), 100)]
      expect((await store.load(list[0]!.id)).models).toEqual(history[99])
      expect((await store.load(list[99]!.id)).models).toEqual(history[0])
      await store.close()
    },
  )
})
