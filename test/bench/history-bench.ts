import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { createSnapshotStore, type SnapshotStore } from '../../src/main/services/snapshots/snapshot-store'
import { parseModelsBody } from '../../src/shared/model/parse'
import { diffCatalogs } from '../../src/shared/model/diff'
import type { RawModel } from '../../src/shared/model/raw'
import { priceChangeHistory } from '../integration/snapshots/history'
import { folderBytes } from './snapshot-bench'

const FIXTURE = join(import.meta.dirname, '../fixtures/openrouter/models-all-2026-08-19.json.gz')
const FILTER = { source: 'all' } as const

export interface HistoryFigure {
  /** Stable within a report: `<snapshots>.<what>`. */
  id: string
  name: string
  value: number
  unit: string
}

/** The real 549-model public catalog both history benches start from. */
export const realCatalog = (): RawModel[] =>
  (JSON.parse(gunzipSync(readFileSync(FIXTURE)).toString('utf8')) as { data: RawModel[] }).data

export const openStore = (dir: string): Promise<SnapshotStore> =>
  createSnapshotStore({ dir, appVersion: '0.0.0-bench', parseModels: parseModelsBody })

export async function ms<T>(fn: () => Promise<T>): Promise<number> {
  const start = performance.now()
  await fn()
  return Math.round((performance.now() - start) * 10) / 10
}

/**
 * Issue 14's history measurement: imports of the real 549-model catalog, each with 5 or 6 prompt
 * prices changed, through the store's own import path. At each size: disk in total and per
 * snapshot, and the reads a user waits for, each on a store opened afresh as the CLI opens it.
 */
export async function runHistoryBench(opts: {
  sizes: number[]
  log?: (s: string) => void
}): Promise<{ figures: HistoryFigure[] }> {
  const base = realCatalog()
  const sizes = [...new Set(opts.sizes)].sort((a, b) => a - b)
  const figures: HistoryFigure[] = []
  const dir = mkdtempSync(join(tmpdir(), 'model-deck-history-bench-'))
  try {
    const writer = await openStore(dir)
    let n = 0
    let before = 0
    const watched = base[0]!.id
    for (const models of priceChangeHistory(base, sizes.at(-1) ?? 0)) {
      n++
      const takenAt = new Date(Date.parse('2026-08-19T00:00:00Z') + n * 3_600_000)
      const bytes = Buffer.from(JSON.stringify({ data: models }))
      await writer.importRaw(bytes, { filename: 'models.json', source: 'all', takenAt })
      if (n === sizes.at(0)! - 1 || sizes.includes(n + 1)) before = folderBytes(dir)
      if (!sizes.includes(n)) continue
      const total = folderBytes(dir)
      const reader = await openStore(dir)
      const openMs = await ms(() => reader.list())
      const listMs = await ms(() => openStore(dir).then((s) => s.list(FILTER)))
      // One snapshot has nothing to diff against.
      const diffMs =
        n < 2
          ? 0
          : await ms(async () => {
              const s = await openStore(dir)
              const [a, b] = await Promise.all([s.resolve('latest~1', FILTER), s.resolve('latest', FILTER)])
              diffCatalogs((await s.load(a.id)).models, (await s.load(b.id)).models)
            })
      const latestMs = await ms(async () => {
        const s = await openStore(dir)
        await s.load((await s.resolve('latest', FILTER)).id)
      })
      const historyMs = await ms(() => openStore(dir).then((s) => s.history(watched, FILTER)))
      const at = `at ${n}`
      figures.push(
        { id: `${n}.total`, name: `history disk total ${at}`, value: total, unit: 'bytes' },
        {
          id: `${n}.per-snapshot`,
          name: `history disk per snapshot ${at}`,
          value: Math.round(total / n),
          unit: 'bytes',
        },
        {
          id: `${n}.added`,
          name: `history disk added by snapshot ${n}`,
          value: n === 1 ? total : total - before,
          unit: 'bytes',
        },
        {
          id: `${n}.list-open-store`,
          name: `history list on an open store ${at}`,
          value: openMs,
          unit: 'ms',
        },
        { id: `${n}.open-and-list`, name: `history open and snapshot list ${at}`, value: listMs, unit: 'ms' },
        { id: `${n}.diff`, name: `history diff latest~1 latest ${at}`, value: diffMs, unit: 'ms' },
        { id: `${n}.open-latest`, name: `history open latest ${at}`, value: latestMs, unit: 'ms' },
        { id: `${n}.model-history`, name: `history one model's history ${at}`, value: historyMs, unit: 'ms' },
      )
      // Where the bytes go (docs/storage.md): the records' packs, the manifests, and the index.
      const part = (name: string): number => (existsSync(join(dir, name)) ? folderBytes(join(dir, name)) : 0)
      const split = `packs ${part('packs')}, manifests ${part('manifests')}, index ${statSync(join(dir, 'index.json')).size}`
      opts.log?.(`history: ${n} snapshots, ${total} bytes (${split}), list ${listMs} ms, diff ${diffMs} ms`)
    }
    await writer.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return { figures }
}
