import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { createSnapshotStore, type SnapshotStore } from '../../src/main/services/snapshots/snapshot-store'
import { createChangeFeed } from '../../src/main/services/changes/change-feed'
import { eventsFromScratch } from '../../src/shared/changes/events'
import { diffCatalogs } from '../../src/shared/model/diff'
import { parseModelsBody } from '../../src/shared/model/parse'
import type { RawModel } from '../../src/shared/model/raw'
import { priceChangeHistory } from '../integration/snapshots/history'
import { realModels } from './catalogs'
import { folderBytes } from './snapshot-bench'
import { openSqliteStore, type SqliteStoreOptions, type SqliteStore } from './sqlite-store-prototype'

/*
 * Issue 14, item 2, measured: the files store (createSnapshotStore) beside the node:sqlite prototype,
 * on history-bench's inputs (the real 549-model catalog, 5 or 6 prompt prices changed per import,
 * through the same import body). Not part of `npm run bench`. Run it with
 *   node --input-type=module -e "import { bundleForNode } from './test/bench/bundle.ts';
 *     await import(await bundleForNode('test/bench/sqlite-bench.ts', 'sqlite-bench'))"
 * SIZES=1,10 for a quick run. Prints markdown tables for docs/storage.md.
 */

const SERIES = { source: 'all', region: 'global', profile: 'default' } as const
const FILTER = { source: 'all' } as const
const FIRST_PAGE = { limit: 200 } as const
const START = Date.parse('2026-08-19T00:00:00Z')

type Variant = { name: string } & Omit<SqliteStoreOptions, 'file'>
const VARIANTS: Variant[] = [
  { name: 'sqlite, JSON records, full lists', blobs: 'json', lists: 'full' },
  { name: 'sqlite, brotli records, full lists', blobs: 'brotli', lists: 'full' },
  { name: 'sqlite, JSON records, delta lists', blobs: 'json', lists: 'delta', fullEvery: 25 },
  { name: 'sqlite, brotli records, delta lists', blobs: 'brotli', lists: 'delta', fullEvery: 25 },
  { name: 'sqlite, zstd+dictionary records, delta lists', blobs: 'zstd-dict', lists: 'delta', fullEvery: 25 },
  {
    name: 'sqlite, zstd+dictionary records, delta lists (full every 100)',
    blobs: 'zstd-dict',
    lists: 'delta',
    fullEvery: 100,
  },
]
/** The variant the concurrency and kill tests run on: the smallest on disk. */
const CANDIDATE = VARIANTS.find((v) => v.blobs === 'zstd-dict')!

interface Row {
  store: string
  n: number
  /** Every file: the folder for the files store; database + -wal + -shm for SQLite, after a checkpoint. */
  bytes: number
  /** SQLite only: database + -wal + -shm as the writer left them, before the checkpoint. */
  liveBytes?: number
  /** SQLite only: the size of a VACUUM INTO copy. */
  vacuumBytes?: number
  list: number
  latest: number
  diff: number
  history: number
  feed: number
  /** Files store only: the feed with no event file yet (every pair diffed). */
  feedCold?: number
  /** Files store only: the feed's event file (changes/), which `bytes` leaves out; SQLite's events are in its file. */
  eventFileBytes?: number
  /** SQLite only: bytes of pages per table and index in the vacuumed copy. */
  tables?: Record<string, number>
}

const dbFile = (dir: string): string => join(dir, 'model-deck.sqlite')
const sqliteBytes = (dir: string): number =>
  ['', '-wal', '-shm'].reduce((sum, ext) => {
    const f = dbFile(dir) + ext
    return sum + (existsSync(f) ? statSync(f).size : 0)
  }, 0)

const openFiles = (dir: string): Promise<SnapshotStore> =>
  createSnapshotStore({ dir, appVersion: '0.0.0-bench', parseModels: parseModelsBody })
const openSqlite = (dir: string, v: Omit<SqliteStoreOptions, 'file'>): SqliteStore =>
  openSqliteStore({ ...v, file: dbFile(dir) })

/** The median of three runs, in ms to one decimal: the machine is shared. */
async function ms(fn: () => unknown): Promise<number> {
  const runs: number[] = []
  for (let i = 0; i < 3; i++) {
    const start = performance.now()
    await fn()
    runs.push(performance.now() - start)
  }
  return Math.round(runs.sort((a, b) => a - b)[1]! * 10) / 10
}

/** What importRaw stores of history-bench's body: the records as the tolerant parser keeps them. */
const importBody = (models: RawModel[]): Buffer => Buffer.from(JSON.stringify({ data: models }))
const parsed = (bytes: Buffer): RawModel[] => parseModelsBody(JSON.parse(bytes.toString('utf8'))).models

async function measureFiles(dir: string, n: number, watched: string): Promise<Row> {
  const snapshots = join(dir, 'snapshots')
  const bytes = folderBytes(snapshots)
  rmSync(join(dir, 'changes'), { recursive: true, force: true })
  const feedCold = await (async () => {
    const start = performance.now()
    await createChangeFeed({ store: await openFiles(snapshots), dataDir: dir }).list(FIRST_PAGE)
    return Math.round((performance.now() - start) * 10) / 10
  })()
  return {
    store: 'files (createSnapshotStore)',
    n,
    bytes,
    list: await ms(() => openFiles(snapshots).then((s) => s.list(FILTER))),
    latest: await ms(async () => {
      const s = await openFiles(snapshots)
      await s.load((await s.resolve('latest', FILTER)).id)
    }),
    diff:
      n < 2
        ? 0
        : await ms(async () => {
            const s = await openFiles(snapshots)
            const [a, b] = await Promise.all([s.resolve('latest~1', FILTER), s.resolve('latest', FILTER)])
            diffCatalogs((await s.load(a.id)).models, (await s.load(b.id)).models)
          }),
    history: await ms(() => openFiles(snapshots).then((s) => s.history(watched, FILTER))),
    feed: await ms(async () =>
      createChangeFeed({ store: await openFiles(snapshots), dataDir: dir }).list(FIRST_PAGE),
    ),
    feedCold,
    eventFileBytes: n < 2 ? 0 : statSync(join(dir, 'changes', 'events.v1.jsonl')).size,
  }
}

/** Where the pages go: dbstat, per table and index. */
function tableBytes(file: string): Record<string, number> {
  const db = new DatabaseSync(file, { readOnly: true })
  try {
    const rows = db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all()
    return Object.fromEntries(rows.map((r) => [String(r.name), Number(r.bytes)]))
  } finally {
    db.close()
  }
}

async function measureSqlite(dir: string, v: Variant, writer: SqliteStore, n: number, watched: string) {
  const liveBytes = sqliteBytes(dir)
  writer.checkpoint()
  const bytes = sqliteBytes(dir)
  const copy = join(dir, 'vacuumed.sqlite')
  writer.vacuumInto(copy)
  const vacuumBytes = statSync(copy).size
  const tables = tableBytes(copy)
  rmSync(copy)
  // Each read on a connection opened afresh, as the CLI would.
  const fresh = <T>(fn: (s: SqliteStore) => T): T => {
    const s = openSqlite(dir, v)
    try {
      return fn(s)
    } finally {
      s.close()
    }
  }
  const row: Row = {
    store: v.name,
    n,
    bytes,
    liveBytes,
    vacuumBytes,
    tables,
    list: await ms(() => fresh((s) => s.list(FILTER))),
    latest: await ms(() => fresh((s) => s.load(s.resolve('latest', SERIES).id))),
    diff:
      n < 2
        ? 0
        : await ms(() =>
            fresh((s) =>
              diffCatalogs(s.load(s.resolve('latest~1', SERIES).id), s.load(s.resolve('latest', SERIES).id)),
            ),
          ),
    history: await ms(() => fresh((s) => s.history(watched, SERIES))),
    feed: await ms(() => fresh((s) => s.feed(FIRST_PAGE))),
  }
  return row
}

async function sizesBench(sizes: number[], log: (s: string) => void): Promise<Row[]> {
  const base = realModels()
  const watched = base[0]!.id
  const root = mkdtempSync(join(tmpdir(), 'model-deck-sqlite-bench-'))
  const rows: Row[] = []
  try {
    const filesDir = join(root, 'files')
    const files = await openFiles(join(filesDir, 'snapshots'))
    const sqlite = VARIANTS.map((v, i) => {
      const dir = join(root, `sqlite-${i}`)
      mkdirSync(dir)
      return { v, dir, store: openSqlite(dir, v) }
    })
    let n = 0
    for (const models of priceChangeHistory(base, sizes.at(-1) ?? 0)) {
      n++
      const takenAt = new Date(START + n * 3_600_000)
      const bytes = importBody(models)
      await files.importRaw(bytes, { filename: 'models.json', source: 'all', takenAt })
      const records = parsed(bytes)
      for (const s of sqlite) s.store.save({ ...SERIES, models: records, takenAt: takenAt.toISOString() })
      if (!sizes.includes(n)) continue
      rows.push(await measureFiles(filesDir, n, watched))
      for (const s of sqlite) rows.push(await measureSqlite(s.dir, s.v, s.store, n, watched))
      log(`measured at ${n}`)
    }
    await files.close()
    for (const s of sqlite) s.store.close()
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
  return rows
}

// ---- Child processes: two writers at once, and a writer killed with SIGKILL mid-save.

interface ChildJob {
  store: 'files' | 'sqlite'
  dir: string
  seed: number
  count: number
}

async function child(job: ChildJob): Promise<void> {
  const out = (line: string) => process.stdout.write(`${line}\n`)
  // Skip the first catalog of each history: both would be the base catalog, and the second is a dedup.
  const history = [...priceChangeHistory(realModels(), job.count + 1, job.seed)].slice(1)
  if (job.store === 'files') {
    const store = await openFiles(job.dir)
    for (const models of history) out(`commit ${(await store.save({ ...SERIES, models })).meta.contentHash}`)
    await store.close()
    return
  }
  const store = openSqlite(job.dir, CANDIDATE)
  for (const models of history) {
    out('begin')
    out(`commit ${store.save({ ...SERIES, models }).snapshot.contentHash}`)
  }
  store.close()
}

function runChild(job: ChildJob, onLine?: (line: string, lines: string[], kill: () => void) => void) {
  const proc = spawn(process.execPath, [import.meta.filename], {
    env: { ...process.env, SQLITE_BENCH_CHILD: JSON.stringify(job) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const lines: string[] = []
  let buffered = ''
  proc.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8')
    const parts = buffered.split('\n')
    buffered = parts.pop()!
    for (const line of parts) {
      lines.push(line)
      onLine?.(line, lines, () => proc.kill('SIGKILL'))
    }
  })
  return new Promise<{ lines: string[]; code: number | null; signal: string | null }>((resolve) =>
    proc.on('close', (code, signal) => resolve({ lines, code, signal })),
  )
}

const committed = (lines: string[]): string[] =>
  lines.filter((l) => l.startsWith('commit ')).map((l) => l.slice('commit '.length))

/** Every event the prototype wrote equals the feed computed from its snapshots themselves. */
function feedMatches(store: SqliteStore): boolean {
  const metas = store.list().reverse()
  const scratch = eventsFromScratch(
    metas.map((m) => ({ meta: { ...m, id: String(m.id) }, models: store.load(m.id) })),
  )
  const feed = store.feed({ limit: 1_000_000 })
  const key = (e: { snapshotId: string; modelId: string; kind: string; field?: string }) =>
    `${e.snapshotId}/${e.modelId}/${e.kind}/${e.field ?? ''}`
  const a = scratch.map(key).sort()
  const b = feed.events.map(key).sort()
  return a.length === b.length && a.every((k, i) => k === b[i])
}

async function twoWriters(store: 'files' | 'sqlite'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `model-deck-two-writers-${store}-`))
  try {
    const runs = await Promise.all([101, 202].map((seed) => runChild({ store, dir, seed, count: 20 })))
    const hashes = runs.flatMap((r) => committed(r.lines))
    const failed = runs.filter((r) => r.code !== 0).length
    if (store === 'files') {
      const s = await openFiles(dir)
      const listed = new Set((await s.list()).map((m) => m.contentHash))
      const loads = await Promise.all(
        (await s.list()).map((m) =>
          s.load(m.id).then(
            () => true,
            () => false,
          ),
        ),
      )
      return `files: ${failed} writer(s) failed, ${hashes.length} saves reported, ${listed.size} listed, every reported one listed: ${hashes.every((h) => listed.has(h))}, all load: ${loads.every(Boolean)}`
    }
    const s = openSqlite(dir, CANDIDATE)
    const listed = s.list()
    const set = new Set(listed.map((m) => m.contentHash))
    const loadsOk = listed.every((m) => s.load(m.id).length === m.modelCount)
    const out = `sqlite: ${failed} writer(s) failed, ${hashes.length} saves reported, ${listed.length} listed, every reported one listed: ${hashes.every((h) => set.has(h))}, all load: ${loadsOk}, feed equals the feed from scratch: ${feedMatches(s)}, integrity: ${s.integrityCheck()}`
    s.close()
    return out
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Kills a writer with SIGKILL after a random number of commits, `rounds` times on one database. */
async function killNine(rounds: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'model-deck-kill-sqlite-'))
  const all: string[] = []
  let midWrite = 0
  let lost = 0
  let damaged = 0
  let feedOk = true
  try {
    for (let round = 0; round < rounds; round++) {
      const target = 1 + (round % 4)
      const result = await runChild(
        { store: 'sqlite', dir, seed: 1000 + round, count: 1000 },
        (line, lines, kill) => {
          if (line !== 'begin') return
          const commits = committed(lines).length
          // Somewhere inside the save after the target commit: the write is in progress.
          if (commits >= target) setTimeout(kill, (round * 7) % 23)
        },
      )
      const last = result.lines.at(-1)
      if (last === 'begin') midWrite++
      all.push(...committed(result.lines))
      const s = openSqlite(dir, CANDIDATE)
      if (s.integrityCheck() !== 'ok') damaged++
      const listed = s.list()
      const set = new Set(listed.map((m) => m.contentHash))
      lost += all.filter((h) => !set.has(h)).length
      if (!listed.every((m) => s.load(m.id).length === m.modelCount)) damaged++
      if (round === rounds - 1) feedOk = feedMatches(s)
      s.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return `sqlite kill -9: ${rounds} rounds, ${midWrite} killed with a save begun and not reported, ${all.length} committed saves, ${lost} lost, ${damaged} rounds with damage, feed equals the feed from scratch: ${feedOk}`
}

function table(rows: Row[], sizes: number[]): string {
  const first = new Map(rows.filter((r) => r.n === 1).map((r) => [r.store, r]))
  const per = (r: Row, key: 'bytes' | 'vacuumBytes'): string => {
    const one = first.get(r.store)?.[key]
    const at = r[key]
    return r.n < 2 || one === undefined || at === undefined
      ? ''
      : Math.round((at - one) / (r.n - 1)).toLocaleString('en')
  }
  const lines = [
    '| store | n | bytes | per later snapshot | live (with WAL) | vacuumed | vacuumed per later | list ms | latest ms | diff ms | history ms | feed ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ]
  const stores = [...new Set(rows.map((r) => r.store))]
  for (const store of stores)
    for (const n of sizes) {
      const r = rows.find((x) => x.store === store && x.n === n)
      if (!r) continue
      const f = (v: number | undefined) => (v === undefined ? '' : v.toLocaleString('en'))
      lines.push(
        `| ${store} | ${n} | ${f(r.bytes)} | ${per(r, 'bytes')} | ${f(r.liveBytes)} | ${f(r.vacuumBytes)} | ${per(r, 'vacuumBytes')} | ${r.list} | ${r.latest} | ${r.diff} | ${r.history} | ${r.feed}${r.feedCold !== undefined ? ` (cold ${r.feedCold})` : ''} |`,
      )
    }
  const files = rows.filter((r) => r.eventFileBytes !== undefined)
  lines.push(
    '',
    `files store's event file: ${files.map((r) => `${r.eventFileBytes!.toLocaleString('en')} at ${r.n}`).join(', ')}`,
  )
  // Per later snapshot, by table, from the first size to the last.
  const last = sizes.at(-1)!
  for (const store of stores) {
    const a = rows.find((x) => x.store === store && x.n === sizes[0])?.tables
    const b = rows.find((x) => x.store === store && x.n === last)?.tables
    if (!a || !b || last <= sizes[0]!) continue
    const parts = Object.keys(b)
      .map((name) => [name, ((b[name] ?? 0) - (a[name] ?? 0)) / (last - sizes[0]!)] as const)
      .filter(([, v]) => v > 0)
      .sort((x, y) => y[1] - x[1])
      .map(([name, v]) => `${name} ${Math.round(v)}`)
    lines.push(
      `${store}, vacuumed bytes per later snapshot by table (${sizes[0]} to ${last}): ${parts.join(', ')}`,
    )
  }
  return lines.join('\n')
}

async function main(): Promise<void> {
  const sizes = (process.env.SIZES ?? '1,10,100,1000').split(',').map(Number)
  const log = (s: string) => process.stderr.write(`${s}\n`)
  const rows = await sizesBench(sizes, log)
  console.log(table(rows, sizes))
  console.log()
  console.log(await twoWriters('files'))
  console.log(await twoWriters('sqlite'))
  console.log(await killNine(Number(process.env.KILL_ROUNDS ?? 20)))
}

const job = process.env.SQLITE_BENCH_CHILD
if (job) await child(JSON.parse(job) as ChildJob)
else await main()
