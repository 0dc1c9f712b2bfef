import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { bundleForNode } from './bundle'

export interface MainMemory {
  /** The store open, nothing loaded. */
  idleRss: number
  idleHeap: number
  loadedRss: number
  loadedHeap: number
  /** High-water RSS of the whole run (VmHWM on Linux), in bytes. */
  peakRss: number
  /** What `catalog:get` puts on the IPC wire (V8 serializer bytes). */
  wireBytes: number
  models: number
}

let child: Promise<string> | null = null

/** Runs main-memory-child.ts in a fresh Node process over a seeded data folder. */
export async function measureMainMemory(dataDir: string, profile: string): Promise<MainMemory> {
  child ??= bundleForNode(join(import.meta.dirname, 'main-memory-child.ts'), 'main-memory-child')
  const r = spawnSync(process.execPath, [await child, dataDir, profile], {
    encoding: 'utf8',
    timeout: 300_000,
  })
  const line = r.stdout.trim().split('\n').pop() ?? ''
  if (r.status !== 0 || !line.startsWith('{')) {
    throw new Error(`main memory child failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`)
  }
  return JSON.parse(line) as MainMemory
}
