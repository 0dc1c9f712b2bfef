import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createChangeFeed } from '../../src/main/services/changes/change-feed'
import { priceChangeHistory } from '../integration/snapshots/history'
import { ms, openStore, realCatalog, type HistoryFigure } from './history-bench'

/** What the "What's new" view asks for first. */
const FIRST_PAGE = { limit: 200 } as const

/**
 * Issue 14's feed figure: the same history as the history bench (the real catalog, 5-6 prompt
 * prices changed per import). At each size the feed is opened as the CLI opens it (store opened
 * afresh, first page of events): cold with no event file, so every pair is diffed; warm with the
 * event file the cold open wrote; and again in the same session, as the view's later queries are.
 */
export async function runChangesBench(opts: {
  sizes: number[]
  log?: (s: string) => void
}): Promise<{ figures: HistoryFigure[] }> {
  const base = realCatalog()
  const sizes = [...new Set(opts.sizes)].sort((a, b) => a - b)
  const figures: HistoryFigure[] = []
  const dir = mkdtempSync(join(tmpdir(), 'model-deck-changes-bench-'))
  const snapshots = join(dir, 'snapshots')
  const eventFile = join(dir, 'changes', 'events.v1.jsonl')
  try {
    const writer = await openStore(snapshots)
    let n = 0
    for (const models of priceChangeHistory(base, sizes.at(-1) ?? 0)) {
      n++
      const takenAt = new Date(Date.parse('2026-08-19T00:00:00Z') + n * 3_600_000)
      const bytes = Buffer.from(JSON.stringify({ data: models }))
      await writer.importRaw(bytes, { filename: 'models.json', source: 'all', takenAt })
      if (!sizes.includes(n)) continue
      rmSync(eventFile, { force: true })
      let events = 0
      const coldMs = await ms(async () => {
        const store = await openStore(snapshots)
        events = (await createChangeFeed({ store, dataDir: dir }).list(FIRST_PAGE)).total
      })
      const fileBytes = n > 1 ? statSync(eventFile).size : 0
      let warm: ReturnType<typeof createChangeFeed> | null = null
      const warmMs = await ms(async () => {
        const store = await openStore(snapshots)
        warm = createChangeFeed({ store, dataDir: dir })
        await warm.list(FIRST_PAGE)
      })
      const againMs = await ms(() => warm!.list({ ...FIRST_PAGE, kinds: ['price'], offset: 200 }))
      // The feed's own share: a new feed on a store that is already open (the app's case after start).
      const opened = await openStore(snapshots)
      const feedMs = await ms(() => createChangeFeed({ store: opened, dataDir: dir }).list(FIRST_PAGE))
      await opened.close()
      const at = `at ${n}`
      figures.push(
        { id: `${n}.cold`, name: `change feed, first open (no event file) ${at}`, value: coldMs, unit: 'ms' },
        { id: `${n}.warm`, name: `change feed, open with the event file ${at}`, value: warmMs, unit: 'ms' },
        {
          id: `${n}.warm-open-store`,
          name: `change feed, open with the event file on an open store ${at}`,
          value: feedMs,
          unit: 'ms',
        },
        {
          id: `${n}.query`,
          name: `change feed, another query in the same session ${at}`,
          value: againMs,
          unit: 'ms',
        },
        { id: `${n}.file-bytes`, name: `change feed event file ${at}`, value: fileBytes, unit: 'bytes' },
        { id: `${n}.events`, name: `change feed events ${at}`, value: events, unit: 'count' },
      )
      opts.log?.(`changes: ${n} snapshots, ${events} events, cold ${coldMs} ms, warm ${warmMs} ms`)
    }
    await writer.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return { figures }
}
