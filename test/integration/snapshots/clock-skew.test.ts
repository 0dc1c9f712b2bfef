import { afterAll, describe, expect, it } from 'vitest'
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createSnapshotStore } from '../../../src/main/services/snapshots/snapshot-store'
import { sealJson, unsealJson } from '../../../src/main/services/snapshots/hash'
import { cleanupTempDirs, tempDir, userModels, withPriceChanges } from './helpers'

afterAll(cleanupTempDirs)

/** A wall clock the test sets, as a VM restore or a wrong RTC would. */
function wallClock(iso: string) {
  let t = Date.parse(iso)
  return {
    now: () => new Date(t),
    set: (next: string) => (t = Date.parse(next)),
  }
}

const fetchOf = (seed: number) => ({
  source: 'user' as const,
  region: 'global' as const,
  profile: 'p',
  models: withPriceChanges(userModels(), 3, seed),
})

describe('snapshot order when the clock goes back', () => {
  it('latest is the snapshot saved last; keepLast 1 keeps it; the order survives a reopen and a lost index', async () => {
    const dir = tempDir()
    const clock = wallClock('2026-08-19T12:00:00Z')
    const open = () => createSnapshotStore({ dir, appVersion: '0.1.0', now: clock.now })
    const store = await open()
    const first = (await store.save(fetchOf(1))).meta
    clock.set('2026-08-19T11:00:00Z') // the clock goes back an hour
    const second = (await store.save(fetchOf(2))).meta
    clock.set('2026-08-19T11:30:00Z')
    const third = (await store.save(fetchOf(3))).meta
    expect(third.takenAt).toBe('2026-08-19T11:30:00.000Z') // shown as the clock said

    const order = [third.id, second.id, first.id]
    expect((await store.list()).map((m) => m.id)).toEqual(order)
    expect((await store.latest({ source: 'user' }))?.id).toBe(third.id)
    expect((await store.resolve('latest~1', { source: 'user' })).id).toBe(second.id)

    expect((await open()).get(third.id)).toBeDefined()
    expect((await (await open()).list()).map((m) => m.id)).toEqual(order)
    rmSync(join(dir, 'index.json'))
    const rebuilt = await open()
    expect((await rebuilt.list()).map((m) => m.id)).toEqual(order)

    expect((await rebuilt.prune({ keepLast: 1 })).sort()).toEqual([first.id, second.id].sort())
    expect((await rebuilt.list()).map((m) => m.id)).toEqual([third.id])
  })

  it('retention never removes the snapshot saved last, even with keepLast 0', async () => {
    const clock = wallClock('2026-08-19T12:00:00Z')
    const store = await createSnapshotStore({ dir: tempDir(), appVersion: '0.1.0', now: clock.now })
    await store.save(fetchOf(1))
    clock.set('2026-01-01T00:00:00Z')
    const last = (await store.save(fetchOf(2))).meta
    await store.prune({ keepLast: 0 })
    expect((await store.list()).map((m) => m.id)).toEqual([last.id])
    await store.prune({ maxBytes: 0 })
    expect((await store.list()).map((m) => m.id)).toEqual([last.id])
  })

  it('a store saved before sequence numbers keeps its order, loses nothing, and new saves come after', async () => {
    const dir = tempDir()
    const clock = wallClock('2026-08-19T12:00:00Z')
    const open = () => createSnapshotStore({ dir, appVersion: '0.1.0', now: clock.now })
    const store = await open()
    const old: string[] = []
    for (let i = 1; i <= 3; i++) {
      clock.set(`2026-08-19T1${i}:00:00Z`)
      old.unshift((await store.save(fetchOf(i))).meta.id)
    }
    // Turn it into an older version's store: manifests without seq, an index without it.
    for (const name of readdirSync(join(dir, 'manifests'))) {
      const path = join(dir, 'manifests', name)
      const sealed = unsealJson(readFileSync(path))
      if (!sealed.ok) throw new Error(sealed.reason)
      const { seq: _seq, ...manifest } = sealed.value as { seq?: number }
      writeFileSync(path, sealJson(manifest))
    }
    rmSync(join(dir, 'index.json'))
    const legacy = await open()
    expect(legacy.problems()).toEqual([])
    expect((await legacy.list()).map((m) => m.id)).toEqual(old)
    for (const id of old) expect((await legacy.load(id)).models).toHaveLength(userModels().length)

    clock.set('2026-08-19T09:00:00Z') // behind all three
    const next = (await legacy.save(fetchOf(9))).meta
    expect((await legacy.list()).map((m) => m.id)).toEqual([next.id, ...old])
    expect((await (await open()).list()).map((m) => m.id)).toEqual([next.id, ...old])
  })
})
