import { join } from 'node:path'
import { createSnapshotStore, type SnapshotStore } from '../../../src/main/services/snapshots/snapshot-store'
import { createChangeFeed, type ChangeFeedService } from '../../../src/main/services/changes/change-feed'
import { eventsFromScratch } from '../../../src/shared/changes/events'
import type { ChangeEvent } from '../../../src/shared/changes/types'
import type { CatalogSource, RawModel } from '../../../src/shared/model/raw'

export const openStore = (dir: string): Promise<SnapshotStore> =>
  createSnapshotStore({ dir: join(dir, 'snapshots'), appVersion: '0.1.0', verifyOnOpen: false })

/** The store as the feed sees it, counting the snapshots it loads: a warm feed loads none. */
export function countingStore(store: SnapshotStore): { store: SnapshotStore; loads: () => number } {
  let loads = 0
  const counted: SnapshotStore = {
    ...store,
    load: (id, opts) => {
      loads++
      return store.load(id, opts)
    },
  }
  return { store: counted, loads: () => loads }
}

export const feedOf = (store: SnapshotStore, dataDir: string): ChangeFeedService =>
  createChangeFeed({ store, dataDir })

export const eventFilePath = (dataDir: string): string => join(dataDir, 'changes', 'events.v1.jsonl')

const HOUR = 3_600_000
export const hour = (n: number): string =>
  new Date(Date.parse('2026-08-01T00:00:00Z') + n * HOUR).toISOString()

export async function save(
  store: SnapshotStore,
  models: RawModel[],
  n: number,
  source: CatalogSource = 'all',
): Promise<string> {
  const { meta } = await store.save({
    source,
    region: 'global',
    profile: 'default',
    models,
    takenAt: hour(n),
  })
  return meta.id
}

/** The public-catalog feed recomputed from every stored snapshot, without any cache. */
export async function fromScratch(store: SnapshotStore): Promise<ChangeEvent[]> {
  const metas = (await store.list({ source: 'all' })).filter((m) => !m.unavailable)
  const snapshots = await Promise.all(
    metas.map(async (meta) => ({ meta, models: (await store.load(meta.id)).models })),
  )
  return eventsFromScratch(snapshots)
}

export const model = (id: string, prompt = '0.000001', extra: Record<string, unknown> = {}): RawModel => ({
  id,
  name: `Model ${id}`,
  context_length: 8192,
  pricing: { prompt, completion: '0.000002' },
  ...extra,
})
