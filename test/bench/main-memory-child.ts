import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { serialize } from 'node:v8'
import { createSnapshotStore } from '../../src/main/services/snapshots/snapshot-store'
import { createCatalogService } from '../../src/main/services/catalog-service'
import type { OpenRouterClient } from '../../src/main/services/openrouter/client'
import type { KeyService } from '../../src/main/services/key-service'
import { parseModelsBody } from '../../src/shared/model/parse'
import { packCatalogState } from '../../src/shared/catalog-wire'

/**
 * Main's memory for the catalog screen, alone in its own process: open the store as the app does at
 * start, answer `catalog:get` and serialise the answer the way Electron's IPC does (V8's serializer,
 * as structured clone). Prints one JSON line.
 */
/**
 * This process's own high-water RSS. Linux carries ru_maxrss over exec, so resourceUsage() would
 * report the parent's size at fork; VmHWM belongs to this address space alone.
 */
function peakRss(): number {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))
    if (hwm) return Number(hwm[1]) * 1024
  } catch {
    // Not Linux: fall through.
  }
  return process.resourceUsage().maxRSS * 1024
}

const [dataDir, profile] = process.argv.slice(2)
if (!dataDir || !profile) throw new Error('usage: main-memory-child <dataDir> <profile>')

const store = await createSnapshotStore({
  dir: join(dataDir, 'snapshots'),
  appVersion: '0.0.0-bench',
  parseModels: parseModelsBody,
})
const idle = process.memoryUsage()
const catalog = createCatalogService({
  // catalog:get reads snapshots only: no request is made and no key is read.
  client: {} as OpenRouterClient,
  keys: { activeId: async () => profile } as unknown as KeyService,
  store,
  region: () => 'global',
  emit: () => undefined,
})
const state = await catalog.get({})
const wireBytes = serialize(packCatalogState(state)).length
const loaded = process.memoryUsage()
await store.close()
process.stdout.write(
  `${JSON.stringify({
    idleRss: idle.rss,
    idleHeap: idle.heapUsed,
    loadedRss: loaded.rss,
    loadedHeap: loaded.heapUsed,
    peakRss: peakRss(),
    wireBytes,
    models: (state.user?.models.length ?? 0) + (state.all?.models.length ?? 0),
  })}\n`,
)
