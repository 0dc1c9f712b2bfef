import { afterEach, describe, expect, it } from 'vitest'
import {
  appendFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { diffCatalogs } from '../../../src/shared/model/diff'
import { allModels, cleanupTempDirs, tempDir, userModels } from '../snapshots/helpers'
import { countingStore, eventFilePath, feedOf, fromScratch, model, openStore, save } from './helpers'

afterEach(cleanupTempDirs)

describe('the change feed over real catalogs', () => {
  it('May → August 2026: the feed counts what diffCatalogs counts', async () => {
    const dir = tempDir('changes-')
    const store = await openStore(dir)
    const may = userModels()
    const aug = allModels()
    await save(store, may, 1)
    await save(store, aug, 2)
    const feed = await feedOf(store, dir).list({})
    const diff = diffCatalogs(may, aug)

    expect(feed.counts.added).toBe(diff.counts.added)
    expect(feed.counts.removed).toBe(diff.counts.removed)
    expect(feed.counts['re-added']).toBe(0)
    const priceFields = diff.changed.flatMap((c) =>
      Object.keys(c.fields).filter((f) => f.startsWith('pricing.')),
    )
    expect(feed.counts.price).toBe(priceFields.length)
    // Every changed model the feed names is one diffCatalogs found changed, and every price change is there.
    const changedIds = new Set(diff.changed.map((c) => c.id))
    const eventModels = new Set(
      feed.events.filter((e) => !['added', 'removed'].includes(e.kind)).map((e) => e.modelId),
    )
    expect([...eventModels].every((id) => changedIds.has(id))).toBe(true)
    const priced = new Set(diff.changed.filter((c) => c.groups.includes('pricing')).map((c) => c.id))
    expect([...priced].every((id) => eventModels.has(id))).toBe(true)
    expect(feed.total).toBe(feed.events.length)
    expect(feed.snapshots).toBe(2)
    expect(feed.events).toEqual(await fromScratch(store))
    await store.close()
  })
})

describe('the persisted event file', () => {
  async function history(dir: string) {
    const store = await openStore(dir)
    const ids: string[] = []
    ids.push(await save(store, [model('a/one'), model('b/two'), model('c/three')], 1))
    ids.push(await save(store, [model('a/one', '0.000002'), model('b/two')], 2))
    ids.push(await save(store, [model('a/one', '0.000002'), model('b/two'), model('c/three')], 3))
    ids.push(await save(store, [model('a/one', '0.000003'), model('d/four')], 4))
    return { store, ids }
  }

  it('a second open reads the file and loads no snapshot', async () => {
    const dir = tempDir('changes-')
    const { store } = await history(dir)
    const first = await feedOf(store, dir).list({})
    expect(existsSync(eventFilePath(dir))).toBe(true)
    const counted = countingStore(store)
    const again = await feedOf(counted.store, dir).list({})
    expect(again).toEqual(first)
    expect(counted.loads()).toBe(0)
    expect(first.events.map((e) => `${e.kind} ${e.modelId}`)).toEqual([
      'price a/one',
      'removed b/two',
      'removed c/three',
      'added d/four',
      're-added c/three',
      'price a/one',
      'removed c/three',
    ])
    await store.close()
  })

  it.each([
    ['truncated mid-line', (path: string) => truncateSync(path, Math.floor(statSync(path).size / 2))],
    [
      'a byte changed inside a line',
      (path: string) => {
        const bytes = readFileSync(path)
        const at = Math.floor(bytes.length / 3)
        bytes.writeUInt8(bytes.readUInt8(at) ^ 0x01, at)
        writeFileSync(path, bytes)
      },
    ],
    [
      'replaced by garbage',
      (path: string) => writeFileSync(path, Buffer.from([0, 1, 2, 0xff, 10, 10, 0x7b, 10])),
    ],
    ['emptied', (path: string) => writeFileSync(path, '')],
  ])('%s: the same feed, recomputed from the snapshots', async (_, damage) => {
    const dir = tempDir('changes-')
    const { store } = await history(dir)
    const before = await feedOf(store, dir).list({})
    damage(eventFilePath(dir))
    const counted = countingStore(store)
    expect(await feedOf(counted.store, dir).list({})).toEqual(before)
    expect(counted.loads()).toBeGreaterThan(0)
    // The pairs recomputed were written back: the next open needs no snapshot.
    const next = countingStore(store)
    expect(await feedOf(next.store, dir).list({})).toEqual(before)
    expect(next.loads()).toBe(0)
    await store.close()
  })

  it('a snapshot whose pack is damaged is left out: its neighbours pair up, nothing throws', async () => {
    const dir = tempDir('changes-')
    const { store } = await history(dir)
    const packs = join(dir, 'snapshots', 'packs')
    // The newest pack holds only what the last save added.
    const newest = readdirSync(packs)
      .map((name) => ({ name, at: statSync(join(packs, name)).mtimeMs }))
      .sort((a, b) => b.at - a.at)[0]!.name
    writeFileSync(join(packs, newest), 'damaged')
    const reopened = await openStore(dir)
    const feed = await feedOf(reopened, dir).list({})
    expect(feed.events.map((e) => `${e.kind} ${e.modelId}`)).toEqual([
      're-added c/three',
      'price a/one',
      'removed c/three',
    ])
    expect(feed.snapshots).toBe(3)
    await reopened.close()
    await store.close()
  })

  it('an event file that cannot be written costs speed only: the feed is still whole', async () => {
    const dir = tempDir('changes-')
    const { store } = await history(dir)
    // A file where the cache folder should be: every read and write of the cache fails.
    writeFileSync(join(dir, 'changes'), 'in the way')
    const feed = await feedOf(store, dir).list({})
    expect(feed.events).toEqual(await fromScratch(store))
    expect(feed.total).toBe(7)
    await store.close()
  })

  it('a file mostly of dead lines is rewritten with only the pairs in use', async () => {
    const dir = tempDir('changes-')
    const { store } = await history(dir)
    const before = await feedOf(store, dir).list({})
    appendFileSync(eventFilePath(dir), 'not a line of ours\n'.repeat(100))
    expect(await feedOf(store, dir).list({})).toEqual(before)
    const lines = readFileSync(eventFilePath(dir), 'utf8').trim().split('\n')
    expect(lines).toHaveLength(3)
    expect(lines.every((l) => /^[0-9a-f]{64} \{/.test(l))).toBe(true)
    await store.close()
  })

  it('a snapshot removed in the middle joins its neighbours: same as from scratch', async () => {
    const dir = tempDir('changes-')
    const { store, ids } = await history(dir)
    const feed = feedOf(store, dir)
    await feed.list({})
    await store.remove(ids[2]!)
    const after = await feed.list({})
    expect(after.events).toEqual(await fromScratch(store))
    // c/three went in snapshot 2 and never came back once snapshot 3 is gone.
    expect(after.events.map((e) => `${e.kind} ${e.modelId}`)).toEqual([
      'price a/one',
      'removed b/two',
      'added d/four',
      'price a/one',
      'removed c/three',
    ])
    const fresh = countingStore(store)
    expect(await feedOf(fresh.store, dir).list({})).toEqual(after)
    expect(fresh.loads()).toBe(0)
    await store.close()
  })

  it('pruning the oldest turns a re-added model into an added one', async () => {
    const dir = tempDir('changes-')
    const { store, ids } = await history(dir)
    const feed = feedOf(store, dir)
    expect((await feed.list({ kinds: ['re-added'] })).total).toBe(1)
    await store.remove(ids[0]!)
    const after = await feed.list({})
    expect(after.events).toEqual(await fromScratch(store))
    expect(after.counts['re-added']).toBe(0)
    expect(after.events.filter((e) => e.modelId === 'c/three').map((e) => e.kind)).toEqual([
      'removed',
      'added',
    ])
    await store.close()
  })

  it('two feeds (app and CLI) appending to one file at once agree, and the file stays whole', async () => {
    const dir = tempDir('changes-')
    const { store } = await history(dir)
    const other = await openStore(dir)
    const [a, b] = await Promise.all([feedOf(store, dir).list({}), feedOf(other, dir).list({})])
    expect(a).toEqual(b)
    const counted = countingStore(store)
    expect(await feedOf(counted.store, dir).list({})).toEqual(a)
    expect(counted.loads()).toBe(0)
    await other.close()
    await store.close()
  })
})

describe('archive of removed models', () => {
  it('lists what the latest catalog lacks with its last record and dates; a returning model leaves it', async () => {
    const dir = tempDir('changes-')
    const store = await openStore(dir)
    const oldTwo = model('b/two', '0.000009', { description: 'the last words' })
    await save(store, [model('a/one'), oldTwo, model('c/three')], 1)
    const second = await save(store, [model('a/one'), model('b/two', '0.000005'), model('c/three')], 2)
    await save(store, [model('a/one')], 3)
    const feed = feedOf(store, dir)
    const archived = await feed.archive({})
    expect(archived.map((m) => [m.id, m.lastSeenAt, m.lastSnapshotId, m.removedAt])).toEqual([
      ['b/two', '2026-08-01T02:00:00.000Z', second, '2026-08-01T03:00:00.000Z'],
      ['c/three', '2026-08-01T02:00:00.000Z', second, '2026-08-01T03:00:00.000Z'],
    ])
    expect(archived[0]!.record).toEqual(model('b/two', '0.000005'))
    expect(archived[0]).toMatchObject({ name: 'Model b/two', author: 'b', source: 'all', region: 'global' })
    expect((await feed.archive({ search: 'three' })).map((m) => m.id)).toEqual(['c/three'])
    expect(await feed.archive({ source: 'user' })).toEqual([])

    await save(store, [model('a/one'), model('c/three')], 4)
    expect((await feed.archive({})).map((m) => m.id)).toEqual(['b/two'])
    await store.close()
  })
})

describe('the allowed set', () => {
  it('a public model entering or leaving the key’s list is an allowed-set event, a withdrawn one a removal', async () => {
    const dir = tempDir('changes-')
    const store = await openStore(dir)
    await save(store, [model('a/one'), model('b/two'), model('c/three')], 1, 'all')
    await save(store, [model('a/one'), model('c/three')], 1, 'user')
    await save(store, [model('a/one'), model('b/two')], 2, 'all')
    await save(store, [model('b/two')], 2, 'user')
    const feed = feedOf(store, dir)
    const user = await feed.list({ source: 'user' })
    expect(user.events.map((e) => `${e.kind} ${e.modelId}`)).toEqual([
      'allowed-left a/one',
      'allowed-entered b/two',
      'removed c/three',
    ])
    const left = user.events[0]!
    expect(await feed.recordOf(left)).toEqual(model('a/one'))
    expect((await feed.eventsOf(left.snapshotId)).map((e) => e.modelId)).toEqual([
      'a/one',
      'b/two',
      'c/three',
    ])
    const all = await feed.list({ source: 'all' })
    expect(all.events.map((e) => `${e.kind} ${e.modelId}`)).toEqual(['removed c/three'])
    expect((await feed.list({})).total).toBe(4)
    await store.close()
  })
})
