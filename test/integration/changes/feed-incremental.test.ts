import { afterEach, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { RawModel } from '../../../src/shared/model/raw'
import { cleanupTempDirs, tempDir } from '../snapshots/helpers'
import { feedOf, fromScratch, model, openStore, save } from './helpers'

afterEach(cleanupTempDirs)

const PRICES = ['0.000001', '0.0000010', '0.000002', '-1', '0'] as const

/** A small catalog: which of six models are there, and at what prompt price. */
const catalog = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.constantFrom(...PRICES), fc.constantFrom(4096, 8192)), {
    maxLength: 6,
  })
  .map((entries) => {
    const byId = new Map<string, RawModel>()
    for (const [n, prompt, context] of entries) {
      const id = `p${n % 2}/m${n}`
      if (!byId.has(id)) byId.set(id, model(id, prompt, { context_length: context }))
    }
    return [...byId.values()]
  })

type Op = { save: RawModel[] } | { remove: number }
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: catalog.map((models) => ({ save: models })) },
  { weight: 1, arbitrary: fc.nat({ max: 20 }).map((n) => ({ remove: n })) },
)

describe('the feed kept up one snapshot at a time equals the feed from scratch', () => {
  it('through saves and removals, in one session and after reopening', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
        const dir = tempDir('changes-prop-')
        const store = await openStore(dir)
        try {
          const feed = feedOf(store, dir)
          let n = 0
          for (const step of ops) {
            if ('save' in step) await save(store, step.save, ++n)
            else {
              const list = await store.list()
              if (list.length) await store.remove(list[step.remove % list.length]!.id)
            }
            expect((await feed.list({})).events).toEqual(await fromScratch(store))
          }
          // A new session over the same event file (the CLI after the app) agrees too.
          expect((await feedOf(store, dir).list({})).events).toEqual(await fromScratch(store))
        } finally {
          await store.close()
        }
      }),
      { numRuns: 25 },
    )
  })
})
