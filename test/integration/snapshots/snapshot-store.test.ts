import { afterAll, describe, expect, it } from 'vitest'
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { createSnapshotStore } from '../../../src/main/services/snapshots/snapshot-store'
import type { RawModel } from '../../../src/shared/model/raw'
import { allModels, cleanupTempDirs, clock, tempDir, userModels, withPriceChanges } from './helpers'

afterAll(cleanupTempDirs)

const open = (dir = tempDir(), now = clock()) => createSnapshotStore({ dir, appVersion: '0.1.0', now })

describe('snapshot store: round trips', () => {
  it('returns every record exactly, in order, unknown fields included', async () => {
    const store = await open()
    const models = allModels()
    // An own "__proto__" key (as JSON.parse makes it) must stay plain data.
    models[3] = {
      ...models[3]!,
      x_future_field: { nested: [1, null, 'é', { deep: true }] },
      ...JSON.parse('{"__proto__":"plain"}'),
    } as RawModel
    expect(Object.keys(models[3]!)).toContain('__proto__')
    const { meta, created } = await store.save({ source: 'all', region: 'global', profile: 'p1', models })
    expect(created).toBe(true)
    expect(meta).toMatchObject({
      source: 'all',
      region: 'global',
      profile: 'p1',
      modelCount: 549,
      origin: 'fetch',
    })
    expect(meta.checkedAt).toBe(meta.takenAt)
    expect(meta.contentHash).toBe(createHash('sha256').update(JSON.stringify(models)).digest('hex'))
    const loaded = await store.load(meta.id)
    expect(JSON.stringify(loaded.models)).toBe(JSON.stringify(models))
    expect(loaded.models).toEqual(models)
    expect(loaded.models.map((m) => m.id)).toEqual(models.map((m) => m.id))
  })

  it('survives reopening: a new store object on the same folder lists and loads the same', async () => {
    const dir = tempDir()
    const a = await open(dir)
    const s1 = await a.save({
      source: 'user',
      region: 'eu',
      profile: 'work',
      models: userModels(),
      skipped: 2,
    })
    const s2 = await a.save({ source: 'all', region: 'eu', profile: 'work', models: allModels() })
    const b = await open(dir)
    expect((await b.list()).map((m) => m.id)).toEqual([s2.meta.id, s1.meta.id])
    expect((await b.load(s1.meta.id)).models).toEqual(userModels())
    expect(b.get(s1.meta.id)?.skipped).toBe(2)
    expect(b.problems()).toEqual([])
  })

  it('keeps a reordered catalog in its new order while sharing the records', async () => {
    const store = await open()
    const models = userModels()
    await store.save({ source: 'user', region: 'global', profile: 'p', models })
    const reversed = [...models].reverse()
    const second = await store.save({ source: 'user', region: 'global', profile: 'p', models: reversed })
    expect(second.created).toBe(true)
    expect((await store.load(second.meta.id)).models).toEqual(reversed)
    expect(second.meta.storedBytes).toBeLessThan(20_000)
  })

  it('accepts an empty catalog and duplicate ids', async () => {
    const store = await open()
    const empty = await store.save({ source: 'user', region: 'global', profile: 'p', models: [] })
    expect((await store.load(empty.meta.id)).models).toEqual([])
    const dupes = [
      { id: 'a/b', v: 1 },
      { id: 'a/b', v: 2 },
      { id: 'a/b', v: 1 },
    ]
    const d = await store.save({ source: 'all', region: 'global', profile: 'p', models: dupes })
    expect((await store.load(d.meta.id)).models).toEqual(dupes)
  })

  it('rejects malformed input with invalid-input', async () => {
    const store = await open()
    const bad = [
      { source: 'nope', region: 'global', profile: 'p', models: [] },
      { source: 'all', region: 'mars', profile: 'p', models: [] },
      { source: 'all', region: 'global', profile: '', models: [] },
      { source: 'all', region: 'global', profile: 'p', models: [{ name: 'no id' }] },
      { source: 'all', region: 'global', profile: 'p', models: [], takenAt: 'yesterday' },
    ]
    for (const input of bad)
      await expect(store.save(input as never)).rejects.toMatchObject({ code: 'invalid-input' })
    expect(await store.list()).toEqual([])
  })
})

describe('snapshot store: dedupe', () => {
  it('stores no copy of unchanged content and records checkedAt instead', async () => {
    const dir = tempDir()
    const store = await open(dir)
    const first = await store.save({ source: 'all', region: 'global', profile: 'p', models: allModels() })
    const again = await store.save({ source: 'all', region: 'global', profile: 'p', models: allModels() })
    expect(again.created).toBe(false)
    expect(again.meta.id).toBe(first.meta.id)
    expect(again.meta.checkedAt > first.meta.checkedAt).toBe(true)
    expect(await store.list()).toHaveLength(1)
    expect(readdirSync(join(dir, 'manifests'))).toHaveLength(1)
    // The checkedAt survives a reopen.
    expect((await open(dir)).get(first.meta.id)?.checkedAt).toBe(again.meta.checkedAt)
  })

  it('dedupes per catalog: same content under another source, region or profile is a new snapshot', async () => {
    const store = await open()
    const models = userModels()
    const a = await store.save({ source: 'user', region: 'global', profile: 'p', models })
    for (const other of [
      { source: 'all', region: 'global', profile: 'p' },
      { source: 'user', region: 'eu', profile: 'p' },
      { source: 'user', region: 'global', profile: 'q' },
    ] as const) {
      const r = await store.save({ ...other, models })
      expect(r.created).toBe(true)
      // ...but its records are shared, so it costs only a manifest.
      expect(r.meta.storedBytes).toBeLessThan(1024)
    }
    expect(a.meta.storedBytes).toBeGreaterThan(10_000)
  })

  it('compares with the latest only: going back to older content makes a new snapshot', async () => {
    const store = await open()
    const v1 = userModels()
    const v2 = withPriceChanges(v1, 5)
    await store.save({ source: 'user', region: 'global', profile: 'p', models: v1 })
    await store.save({ source: 'user', region: 'global', profile: 'p', models: v2 })
    const back = await store.save({ source: 'user', region: 'global', profile: 'p', models: v1 })
    expect(back.created).toBe(true)
    expect((await store.load(back.meta.id)).models).toEqual(v1)
  })
})

describe('snapshot store: list, latest and refs', () => {
  it('lists newest first, filters, and resolves latest, latest~N, ids and prefixes', async () => {
    const store = await open()
    const base = userModels()
    const ids: string[] = []
    for (let i = 0; i < 4; i++) {
      const r = await store.save({
        source: 'user',
        region: 'global',
        profile: 'p',
        models: withPriceChanges(base, 3, i + 1),
      })
      ids.push(r.meta.id)
    }
    const other = await store.save({ source: 'all', region: 'eu', profile: 'p', models: allModels() })
    expect((await store.list()).map((m) => m.id)).toEqual([other.meta.id, ...[...ids].reverse()])
    expect((await store.list({ source: 'user' })).map((m) => m.id)).toEqual([...ids].reverse())
    expect((await store.latest())?.id).toBe(other.meta.id)
    expect((await store.latest({ source: 'user', region: 'global' }))?.id).toBe(ids[3])
    expect(await store.latest({ region: 'us' })).toBeUndefined()
    expect((await store.resolve('latest', { source: 'user' })).id).toBe(ids[3])
    expect((await store.resolve('latest~2', { source: 'user' })).id).toBe(ids[1])
    expect((await store.resolve('latest~1')).id).toBe(ids[3])
    expect((await store.resolve(ids[0]!)).id).toBe(ids[0])
    const prefix = other.meta.id.slice(0, other.meta.id.length - 2)
    expect((await store.resolve(prefix)).id).toBe(other.meta.id)
    await expect(store.resolve('latest~9', { source: 'user' })).rejects.toMatchObject({ code: 'not-found' })
    await expect(store.resolve('nope')).rejects.toMatchObject({ code: 'not-found' })
  })

  it('orders imports by their own takenAt', async () => {
    const store = await open()
    const now = await store.save({ source: 'all', region: 'global', profile: 'p', models: allModels() })
    const old = await store.save({
      source: 'all',
      region: 'global',
      profile: 'p',
      models: userModels(),
      takenAt: '2020-01-01T00:00:00Z',
      origin: 'import',
    })
    expect((await store.list()).map((m) => m.id)).toEqual([now.meta.id, old.meta.id])
    expect(old.meta.id.startsWith('20200101T000000000Z-')).toBe(true)
  })
})

describe('snapshot store: note, pin, remove, prune', () => {
  it('updates note and pin durably', async () => {
    const dir = tempDir()
    const store = await open(dir)
    const { meta } = await store.save({ source: 'all', region: 'global', profile: 'p', models: userModels() })
    const updated = await store.update(meta.id, { note: 'before the price cut', pinned: true })
    expect(updated).toMatchObject({ note: 'before the price cut', pinned: true })
    const reopened = await open(dir)
    expect(reopened.get(meta.id)).toMatchObject({ note: 'before the price cut', pinned: true })
    expect(readdirSync(join(dir, 'manifests'))).toEqual([`${meta.id}.2.json`])
    await expect(store.update('missing', { note: 'x' })).rejects.toMatchObject({ code: 'not-found' })
  })

  it('remove garbage-collects records no snapshot uses any more', async () => {
    const dir = tempDir()
    const store = await open(dir)
    const a = await store.save({ source: 'all', region: 'global', profile: 'p', models: allModels() })
    const b = await store.save({ source: 'user', region: 'global', profile: 'p', models: userModels() })
    const packsWithBoth = readdirSync(join(dir, 'packs')).length
    await store.remove(b.meta.id)
    expect((await store.list()).map((m) => m.id)).toEqual([a.meta.id])
    expect(readdirSync(join(dir, 'packs')).length).toBeLessThan(packsWithBoth)
    expect((await store.load(a.meta.id)).models).toEqual(allModels())
    await store.remove(a.meta.id)
    expect(readdirSync(join(dir, 'packs'))).toEqual([])
    expect((await store.usage()).totalBytes).toBeLessThan(1024)
    await expect(store.remove(a.meta.id)).rejects.toMatchObject({ code: 'not-found' })
  })

  it('compacts a shared pack when most of it is dead, and later snapshots still load', async () => {
    const dir = tempDir()
    const store = await open(dir)
    const v1 = allModels()
    const first = await store.save({ source: 'all', region: 'global', profile: 'p', models: v1 })
    // The second keeps only a quarter of the first's records, so the first pack becomes mostly dead.
    const v2 = withPriceChanges(v1, 400, 7)
    const second = await store.save({ source: 'all', region: 'global', profile: 'p', models: v2 })
    const before = (await store.usage()).totalBytes
    await store.remove(first.meta.id)
    const after = (await store.usage()).totalBytes
    expect(before - after).toBeGreaterThan(30_000)
    expect((await store.load(second.meta.id)).models).toEqual(v2)
    expect((await open(dir)).problems()).toEqual([])
  })

  it('prune keeps the newest N per catalog and every pinned snapshot', async () => {
    const store = await open()
    const base = userModels()
    const ids: string[] = []
    for (let i = 0; i < 6; i++)
      ids.push(
        (
          await store.save({
            source: 'user',
            region: 'global',
            profile: 'p',
            models: withPriceChanges(base, 2, i + 1),
          })
        ).meta.id,
      )
    const other = await store.save({ source: 'all', region: 'global', profile: 'p', models: allModels() })
    await store.update(ids[0]!, { pinned: true })
    const removed = await store.prune({ keepLast: 2 })
    expect(removed.sort()).toEqual([ids[1], ids[2], ids[3]].sort())
    expect((await store.list()).map((m) => m.id).sort()).toEqual(
      [ids[0], ids[4], ids[5], other.meta.id].sort(),
    )
    for (const m of await store.list()) expect((await store.load(m.id)).models.length).toBeGreaterThan(0)
  })

  it('prune to maxBytes removes oldest first, never pinned or the newest of a catalog', async () => {
    const store = await open()
    const base = allModels()
    const ids: string[] = []
    // Each snapshot shares little with the last, so each costs real space.
    for (let i = 0; i < 5; i++)
      ids.push(
        (
          await store.save({
            source: 'all',
            region: 'global',
            profile: 'p',
            models: withPriceChanges(base, 500, i + 1),
          })
        ).meta.id,
      )
    await store.update(ids[1]!, { pinned: true })
    const full = (await store.usage()).totalBytes
    const removed = await store.prune({ maxBytes: Math.floor(full / 2) })
    expect(removed[0]).toBe(ids[0])
    expect(removed).not.toContain(ids[1])
    expect(removed).not.toContain(ids[4])
    expect((await store.usage()).totalBytes).toBeLessThanOrEqual(Math.floor(full / 2))
    for (const m of await store.list()) expect((await store.load(m.id)).models).toHaveLength(549)
    // Impossible targets stop at what must be kept.
    await store.prune({ maxBytes: 0 })
    expect((await store.list()).map((m) => m.id).sort()).toEqual([ids[1], ids[4]].sort())
  })
})

describe('snapshot store: history and endpoints', () => {
  it('history gives each snapshot the record as it was, or nothing when absent', async () => {
    const store = await open()
    const base = allModels()
    const target = base[10]!.id
    const s1 = await store.save({ source: 'all', region: 'global', profile: 'p', models: base })
    const changed = structuredClone(base)
    changed[10]!.context_length = 1_000_000
    const s2 = await store.save({ source: 'all', region: 'global', profile: 'p', models: changed })
    const s3 = await store.save({
      source: 'all',
      region: 'global',
      profile: 'p',
      models: changed.filter((m) => m.id !== target),
    })
    await store.save({ source: 'user', region: 'global', profile: 'p', models: userModels() })
    const points = await store.history(target, { source: 'all' })
    expect(points.map((x) => x.id)).toEqual([s3.meta.id, s2.meta.id, s1.meta.id])
    expect(points[0]!.record).toBeUndefined()
    expect(points[1]!.record).toEqual(changed[10])
    expect(points[2]!.record).toEqual(base[10])
    expect(await store.history('no/such-model')).toHaveLength(4)
  })

  it('keeps endpoint bodies with the snapshot, content-addressed', async () => {
    const dir = tempDir()
    const store = await open(dir)
    const a = await store.save({ source: 'all', region: 'global', profile: 'p', models: userModels() })
    const b = await store.save({ source: 'user', region: 'global', profile: 'p', models: userModels() })
    const body = {
      data: { id: 'x/y', endpoints: [{ provider_name: 'P', pricing: { prompt: '0.1' }, extra: [1, 2] }] },
    }
    await store.saveEndpoints(a.meta.id, 'x/y', body)
    await store.saveEndpoints(b.meta.id, 'x/y', body)
    expect(readdirSync(join(dir, 'blobs'))).toHaveLength(1)
    expect(await store.loadEndpoints(a.meta.id, 'x/y')).toEqual(body)
    expect(await store.loadEndpoints(a.meta.id, 'other/model')).toBeNull()
    await store.saveEndpoints(a.meta.id, 'x/y', { replaced: true })
    expect(await (await open(dir)).loadEndpoints(a.meta.id, 'x/y')).toEqual({ replaced: true })
    expect(await store.loadEndpoints(b.meta.id, 'x/y')).toEqual(body)
    await store.remove(b.meta.id)
    expect(readdirSync(join(dir, 'blobs'))).toHaveLength(1)
    await expect(store.saveEndpoints('missing', 'x/y', body)).rejects.toMatchObject({ code: 'not-found' })
  })
})

describe('snapshot store: cheap reads', () => {
  it('listing reads the index only, never the packs', async () => {
    const dir = tempDir()
    const writer = await open(dir)
    await writer.save({ source: 'all', region: 'global', profile: 'p', models: allModels() })
    await writer.save({ source: 'user', region: 'global', profile: 'p', models: userModels() })
    const reader = await open(dir)
    for (const name of readdirSync(join(dir, 'packs'))) writeFileSync(join(dir, 'packs', name), 'garbage')
    expect(await reader.list()).toHaveLength(2)
    expect(await reader.latest()).toBeDefined()
    expect(reader.problems()).toEqual([])
  })
})

describe('snapshot store: concurrency', () => {
  it('a reader whose cached manifest was replaced by another writer (compaction) reloads, no false alarm', async () => {
    const dir = tempDir()
    const writer = await open(dir)
    const reader = await open(dir)
    const v1 = allModels()
    const first = await writer.save({ source: 'all', region: 'global', profile: 'p', models: v1 })
    const v2 = withPriceChanges(v1, 400, 7)
    const second = await writer.save({ source: 'all', region: 'global', profile: 'p', models: v2 })
    expect((await reader.load(second.meta.id)).models).toEqual(v2)
    await writer.remove(first.meta.id)
    expect((await reader.load(second.meta.id)).models).toEqual(v2)
    expect(await reader.history(v2[0]!.id)).toHaveLength(1)
    expect(reader.problems()).toEqual([])
  })

  it('serialises parallel saves in one process without losing any', async () => {
    const store = await open()
    const base = userModels()
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.save({
          source: 'user',
          region: 'global',
          profile: `p${i % 3}`,
          models: withPriceChanges(base, 2, i + 1),
        }),
      ),
    )
    expect(results.every((r) => r.created)).toBe(true)
    expect(await store.list()).toHaveLength(8)
  })

  it('two store objects on one folder (app and CLI) both write through the lock and see each other', async () => {
    const dir = tempDir()
    const app = await open(dir)
    const cli = await open(dir)
    const base = userModels()
    await Promise.all([
      app.save({ source: 'user', region: 'global', profile: 'app', models: base }),
      cli.save({ source: 'user', region: 'global', profile: 'cli', models: withPriceChanges(base, 3) }),
      app.save({ source: 'all', region: 'global', profile: 'app', models: allModels() }),
    ])
    expect(await app.list()).toHaveLength(3)
    expect(await cli.list()).toHaveLength(3)
    for (const m of await cli.list()) await cli.load(m.id)
  })
})
