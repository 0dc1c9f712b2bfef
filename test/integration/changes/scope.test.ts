import { afterEach, describe, expect, it } from 'vitest'
import { createChangeFeed } from '../../../src/main/services/changes/change-feed'
import { cleanupTempDirs, tempDir } from '../snapshots/helpers'
import { hour, model, openStore } from './helpers'
import type { SnapshotStore } from '../../../src/main/services/snapshots/snapshot-store'
import type { Region } from '../../../src/shared/model/raw'

afterEach(cleanupTempDirs)

async function saveAs(store: SnapshotStore, profile: string, region: Region, n: number, prompt: string) {
  const models = n === 1 ? [model('acme/a', prompt), model('acme/gone')] : [model('acme/a', prompt)]
  await store.save({ source: 'all', region, profile, models, takenAt: hour(n) })
}

describe('the feed and archive of the active profile and region', () => {
  it('list one public change once, though every profile keeps its own public series', async () => {
    const dir = tempDir('feed-scope-')
    const store = await openStore(dir)
    for (const profile of ['work', 'home']) {
      await saveAs(store, profile, 'global', 1, '0.000001')
      await saveAs(store, profile, 'global', 2, '0.000002')
    }
    await saveAs(store, 'work', 'eu', 1, '0.000001')
    await saveAs(store, 'work', 'eu', 2, '0.000005')
    let scope = { profile: 'work', region: 'global' as Region }
    const feed = createChangeFeed({ store, dataDir: dir, scope: async () => scope })

    const work = await feed.list({ kinds: ['price'] })
    expect(work.events.map((e) => [e.profile, e.region, e.to])).toEqual([['work', 'global', '0.000002']])
    expect(work.snapshots).toBe(2)
    expect((await feed.archive({})).map((m) => [m.id, m.profile, m.region])).toEqual([
      ['acme/gone', 'work', 'global'],
    ])

    scope = { profile: 'work', region: 'eu' }
    expect((await feed.list({ kinds: ['price'] })).events.map((e) => e.to)).toEqual(['0.000005'])
    // Without a scope (a tool over the whole store) every series shows.
    const unscoped = createChangeFeed({ store, dataDir: dir })
    expect((await unscoped.list({ kinds: ['price'] })).total).toBe(3)
    await store.close()
  })
})
