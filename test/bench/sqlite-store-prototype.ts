import { createHash } from 'node:crypto'
import { DatabaseSync, type SQLInputValue } from 'node:sqlite'
import {
  brotliCompressSync,
  brotliDecompressSync,
  constants,
  zstdCompressSync,
  zstdDecompressSync,
} from 'node:zlib'
import type { CatalogSource, RawModel, Region } from '../../src/shared/model/raw'
import { authorOf, pairChanges } from '../../src/shared/changes/events'
import { CHANGE_KINDS, type ChangeEvent, type ChangeKind } from '../../src/shared/changes/types'

/*
 * Issue 14, item 2: the node:sqlite alternative to the snapshot store, built only far enough to be
 * measured beside it (test/bench/sqlite-bench.ts). One database file per data folder, WAL, records
 * stored once by content hash, a snapshot table, a snapshot-model table and change events as rows.
 * Not a store: no pins, notes, retention, removal, quarantine, bundles or migrations. Snapshot ids are
 * the table's integer keys.
 */

/**
 * `zstd-dict`: each record compressed alone with zstd against one dictionary, the first catalog's
 * records (kept once, brotli): a record that differs from its first version in a price is ~30 bytes.
 */
export type BlobEncoding = 'json' | 'brotli' | 'zstd-dict'
/** `full`: one row per model per snapshot. `delta`: rows only for what changed against a base snapshot. */
export type ListEncoding = 'full' | 'delta'

export interface SqliteStoreOptions {
  file: string
  blobs: BlobEncoding
  lists: ListEncoding
  /** Delta lists: a full list after this many deltas in a chain, so a load reads at most this many. */
  fullEvery?: number
  busyTimeoutMs?: number
}

export interface SqliteSnapshot {
  id: number
  takenAt: string
  source: CatalogSource
  region: Region
  profile: string
  modelCount: number
  contentHash: string
}

export interface SqliteSaveInput {
  source: CatalogSource
  region: Region
  profile: string
  models: RawModel[]
  /** Defaults to the time of the commit, so two writers' snapshots are in commit order. */
  takenAt?: string
}

export interface SqliteFeedQuery {
  limit: number
  offset?: number
  kinds?: ChangeKind[]
  source?: CatalogSource
}

export interface SqliteStore {
  save(input: SqliteSaveInput): { snapshot: SqliteSnapshot; created: boolean }
  list(filter?: { source?: CatalogSource }): SqliteSnapshot[]
  /** `latest` or `latest~N` within one (source, region, profile). */
  resolve(ref: string, series: Pick<SqliteSnapshot, 'source' | 'region' | 'profile'>): SqliteSnapshot
  load(id: number): RawModel[]
  history(
    modelId: string,
    series: Pick<SqliteSnapshot, 'source' | 'region' | 'profile'>,
  ): { id: number; takenAt: string; record?: RawModel }[]
  feed(query: SqliteFeedQuery): { events: ChangeEvent[]; total: number; counts: Record<ChangeKind, number> }
  /** Moves the WAL into the database file and truncates it. */
  checkpoint(): void
  /** A compacted copy (VACUUM INTO), to measure what the pages hold without changing this file. */
  vacuumInto(file: string): void
  integrityCheck(): string
  close(): void
}

type Series = Pick<SqliteSnapshot, 'source' | 'region' | 'profile'>

const SCHEMA = `
CREATE TABLE IF NOT EXISTS models (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS dictionaries (id INTEGER PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS records (id INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE, body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS snapshots (
  id INTEGER PRIMARY KEY, taken_at TEXT NOT NULL, source TEXT NOT NULL, region TEXT NOT NULL,
  profile TEXT NOT NULL, model_count INTEGER NOT NULL, content_hash TEXT NOT NULL,
  checked_at TEXT NOT NULL,
  -- delta lists: the snapshot this one's rows are against (NULL: a full list), and the chain length
  base INTEGER REFERENCES snapshots(id), depth INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS snapshots_series ON snapshots (source, region, profile, taken_at, id);
-- record NULL: the model left (delta lists only); pos: order within a full list
CREATE TABLE IF NOT EXISTS snapshot_models (
  snapshot INTEGER NOT NULL, model INTEGER NOT NULL, pos INTEGER, record INTEGER,
  PRIMARY KEY (snapshot, model)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS snapshot_models_model ON snapshot_models (model, snapshot);
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY, snapshot INTEGER NOT NULL, previous INTEGER NOT NULL, at TEXT NOT NULL,
  source TEXT NOT NULL, region TEXT NOT NULL, profile TEXT NOT NULL, kind TEXT NOT NULL,
  model TEXT NOT NULL, author TEXT NOT NULL, name TEXT NOT NULL, field TEXT,
  from_value, to_value, percent REAL, gained TEXT, lost TEXT);
CREATE INDEX IF NOT EXISTS events_at ON events (at DESC, snapshot DESC);
`

interface SnapshotRow {
  id: number
  taken_at: string
  source: CatalogSource
  region: Region
  profile: string
  model_count: number
  content_hash: string
  base: number | null
  depth: number
}

const toSnapshot = (r: SnapshotRow): SqliteSnapshot => ({
  id: r.id,
  takenAt: r.taken_at,
  source: r.source,
  region: r.region,
  profile: r.profile,
  modelCount: r.model_count,
  contentHash: r.content_hash,
})

const sha256 = (data: string): Buffer => createHash('sha256').update(data).digest()

export function openSqliteStore(opts: SqliteStoreOptions): SqliteStore {
  const fullEvery = opts.fullEvery ?? 25
  const db = new DatabaseSync(opts.file, { timeout: opts.busyTimeoutMs ?? 30_000 })
  db.exec('PRAGMA journal_mode = WAL')
  // FULL: a commit is on disk when save returns, as the file store's fsync-then-rename is.
  db.exec('PRAGMA synchronous = FULL')
  db.exec(SCHEMA)

  const q = {
    series: db.prepare(
      'SELECT * FROM snapshots WHERE source = ? AND region = ? AND profile = ? ORDER BY taken_at DESC, id DESC',
    ),
    newest: db.prepare(
      'SELECT * FROM snapshots WHERE source = ? AND region = ? AND profile = ? ORDER BY taken_at DESC, id DESC LIMIT 1',
    ),
    all: db.prepare('SELECT * FROM snapshots ORDER BY taken_at DESC, id DESC'),
    bySource: db.prepare('SELECT * FROM snapshots WHERE source = ? ORDER BY taken_at DESC, id DESC'),
    one: db.prepare('SELECT * FROM snapshots WHERE id = ?'),
    touch: db.prepare('UPDATE snapshots SET checked_at = ? WHERE id = ?'),
    insertSnapshot: db.prepare(
      `INSERT INTO snapshots (taken_at, source, region, profile, model_count, content_hash, checked_at, base, depth)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    modelId: db.prepare('SELECT id FROM models WHERE name = ?'),
    insertModel: db.prepare('INSERT INTO models (name) VALUES (?)'),
    recordId: db.prepare('SELECT id FROM records WHERE hash = ?'),
    insertRecord: db.prepare('INSERT INTO records (hash, body) VALUES (?, ?)'),
    body: db.prepare('SELECT body FROM records WHERE id = ?'),
    insertRow: db.prepare('INSERT INTO snapshot_models (snapshot, model, pos, record) VALUES (?, ?, ?, ?)'),
    rows: db.prepare(
      `SELECT m.name AS name, sm.pos AS pos, sm.record AS record
       FROM snapshot_models sm JOIN models m ON m.id = sm.model WHERE sm.snapshot = ?`,
    ),
    modelRows: db.prepare('SELECT snapshot, record FROM snapshot_models WHERE model = ?'),
    leftBefore: db.prepare(
      `SELECT 1 FROM events WHERE source = ? AND region = ? AND profile = ? AND model = ?
       AND kind IN ('removed', 'allowed-left') LIMIT 1`,
    ),
    insertEvent: db.prepare(
      `INSERT INTO events (snapshot, previous, at, source, region, profile, kind, model, author, name, field,
       from_value, to_value, percent, gained, lost) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  }

  const brotli = (text: string, quality: number): Buffer =>
    brotliCompressSync(text, {
      params: {
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_QUALITY]: quality,
        [constants.BROTLI_PARAM_LGWIN]: 24,
        [constants.BROTLI_PARAM_SIZE_HINT]: text.length,
      },
    })

  let dictionary: Buffer | null = null
  function dictionaryFor(jsons: readonly string[]): Buffer {
    if (dictionary) return dictionary
    const row = db.prepare('SELECT body FROM dictionaries WHERE id = 1').get() as
      { body: Uint8Array } | undefined
    if (row) dictionary = brotliDecompressSync(row.body)
    else {
      // Called inside the first save's transaction: the dictionary commits with its first records.
      const text = jsons.join('\n')
      db.prepare('INSERT INTO dictionaries (id, body) VALUES (1, ?)').run(brotli(text, 9))
      dictionary = Buffer.from(text, 'utf8')
    }
    return dictionary
  }

  const encode = (json: string, jsons: readonly string[]): Buffer =>
    opts.blobs === 'json'
      ? Buffer.from(json, 'utf8')
      : opts.blobs === 'brotli'
        ? brotli(json, 10)
        : zstdCompressSync(json, { dictionary: dictionaryFor(jsons) })
  const decode = (body: Uint8Array): RawModel =>
    JSON.parse(
      (opts.blobs === 'json'
        ? Buffer.from(body)
        : opts.blobs === 'brotli'
          ? brotliDecompressSync(body)
          : zstdDecompressSync(body, { dictionary: dictionaryFor([]) })
      ).toString('utf8'),
    ) as RawModel

  const recordCache = new Map<number, RawModel>()
  const recordOf = (id: number): RawModel => {
    let record = recordCache.get(id)
    if (!record) {
      const row = q.body.get(id) as { body: Uint8Array } | undefined
      if (!row) throw new Error(`record ${id} is missing`)
      record = decode(row.body)
      recordCache.set(id, record)
    }
    return record
  }

  const snapshotRow = (id: number): SnapshotRow => {
    const row = q.one.get(id) as SnapshotRow | undefined
    if (!row) throw new Error(`no snapshot ${id}`)
    return row
  }

  /** model name -> [pos, record id], in full-list order: the full list at the chain's root, then each delta. */
  function listOf(id: number): Map<string, [number, number]> {
    const chain: number[] = []
    for (let row = snapshotRow(id); ; row = snapshotRow(row.base!)) {
      chain.push(row.id)
      if (row.base === null) break
    }
    const list = new Map<string, [number, number]>()
    for (const snapshot of chain.reverse()) {
      for (const r of q.rows.all(snapshot) as { name: string; pos: number | null; record: number | null }[]) {
        if (r.record === null) list.delete(r.name)
        else list.set(r.name, [r.pos ?? list.get(r.name)![0], r.record])
      }
    }
    return list
  }

  const ordered = (list: Map<string, [number, number]>): number[] =>
    [...list.values()].sort((a, b) => a[0] - b[0]).map(([, record]) => record)

  function modelIdOf(name: string): number {
    const row = q.modelId.get(name) as { id: number } | undefined
    return row ? row.id : Number(q.insertModel.run(name).lastInsertRowid)
  }

  function recordIdOf(json: string, jsons: readonly string[]): number {
    const hash = sha256(json)
    const row = q.recordId.get(hash) as { id: number } | undefined
    return row ? row.id : Number(q.insertRecord.run(hash, encode(json, jsons)).lastInsertRowid)
  }

  function insertSnapshot(input: SqliteSaveInput, takenAt: string, jsons: string[], contentHash: string) {
    const previous = q.newest.get(input.source, input.region, input.profile) as SnapshotRow | undefined
    const names = input.models.map((m) => m.id)
    const records = jsons.map((json) => recordIdOf(json, jsons))
    const before = previous ? listOf(previous.id) : null
    // A delta carries record changes only; a model added or removed, or a new order, takes a full list.
    const sameModels =
      before !== null &&
      before.size === names.length &&
      [...before.entries()].sort((a, b) => a[1][0] - b[1][0]).every(([name], i) => name === names[i])
    const delta = opts.lists === 'delta' && sameModels && previous!.depth + 1 < fullEvery
    const base = delta ? previous!.id : null
    const id = Number(
      q.insertSnapshot.run(
        takenAt,
        input.source,
        input.region,
        input.profile,
        names.length,
        contentHash,
        takenAt,
        base,
        delta ? previous!.depth + 1 : 0,
      ).lastInsertRowid,
    )
    names.forEach((name, i) => {
      if (delta && before!.get(name)![1] === records[i]) return
      q.insertRow.run(id, modelIdOf(name), delta ? null : i, records[i]!)
    })
    if (previous && before) writeEvents(previous, id, takenAt, input, ordered(before).map(recordOf))
    return id
  }

  function writeEvents(
    previous: SnapshotRow,
    id: number,
    at: string,
    input: SqliteSaveInput,
    beforeModels: RawModel[],
  ): void {
    const changes = pairChanges(beforeModels, input.models, { allowedSet: input.source === 'user' })
    for (const c of changes) {
      const reAdded =
        c.kind === 'added' &&
        q.leftBefore.get(input.source, input.region, input.profile, c.modelId) !== undefined
      const nullable = (v: string | number | null | undefined): SQLInputValue => v ?? null
      q.insertEvent.run(
        id,
        previous.id,
        at,
        input.source,
        input.region,
        input.profile,
        reAdded ? 're-added' : c.kind,
        c.modelId,
        authorOf(c.modelId),
        c.name,
        c.field ?? null,
        nullable(c.from),
        nullable(c.to),
        c.percent ?? null,
        c.gained ? JSON.stringify(c.gained) : null,
        c.lost ? JSON.stringify(c.lost) : null,
      )
    }
  }

  function inWriteTransaction<T>(fn: () => T): T {
    // IMMEDIATE: take the write lock before reading the previous snapshot, so two writers never diff
    // against the same one.
    db.exec('BEGIN IMMEDIATE')
    try {
      const out = fn()
      db.exec('COMMIT')
      return out
    } catch (err) {
      db.exec('ROLLBACK')
      // A dictionary made in this transaction is gone with it.
      dictionary = null
      throw err
    }
  }

  function seriesRows(series: Series): SnapshotRow[] {
    return q.series.all(series.source, series.region, series.profile) as unknown as SnapshotRow[]
  }

  return {
    save(input) {
      const jsons = input.models.map((m) => JSON.stringify(m))
      const contentHash = sha256(`[${jsons.join(',')}]`).toString('hex')
      return inWriteTransaction(() => {
        const takenAt = input.takenAt ?? new Date().toISOString()
        const newest = q.newest.get(input.source, input.region, input.profile) as SnapshotRow | undefined
        if (newest && newest.content_hash === contentHash) {
          q.touch.run(takenAt, newest.id)
          return { snapshot: toSnapshot(newest), created: false }
        }
        const id = insertSnapshot(input, takenAt, jsons, contentHash)
        return { snapshot: toSnapshot(snapshotRow(id)), created: true }
      })
    },

    list(filter) {
      const rows = filter?.source ? q.bySource.all(filter.source) : q.all.all()
      return (rows as unknown as SnapshotRow[]).map(toSnapshot)
    },

    resolve(ref, series) {
      const back = ref === 'latest' ? 0 : Number(/^latest~(\d+)$/.exec(ref)?.[1] ?? NaN)
      if (!Number.isInteger(back)) throw new Error(`not a reference: ${ref}`)
      const row = seriesRows(series)[back]
      if (!row) throw new Error(`no snapshot ${ref}`)
      return toSnapshot(row)
    },

    load(id) {
      return ordered(listOf(id)).map(recordOf)
    },

    history(modelId, series) {
      const model = q.modelId.get(modelId) as { id: number } | undefined
      const rows = new Map<number, number | null>()
      if (model)
        for (const r of q.modelRows.all(model.id) as { snapshot: number; record: number | null }[])
          rows.set(r.snapshot, r.record)
      // Oldest first: a base is always older than the deltas on it, so its state is known first.
      const snapshots = seriesRows(series).reverse()
      const state = new Map<number, number | null>()
      for (const s of snapshots.slice().sort((a, b) => a.id - b.id)) {
        const own = rows.get(s.id)
        state.set(s.id, own !== undefined ? own : s.base === null ? null : (state.get(s.base) ?? null))
      }
      return snapshots.map((s) => {
        const record = state.get(s.id)
        return { id: s.id, takenAt: s.taken_at, ...(record != null ? { record: recordOf(record) } : {}) }
      })
    },

    feed(query) {
      const where: string[] = []
      const args: SQLInputValue[] = []
      if (query.source) {
        where.push('source = ?')
        args.push(query.source)
      }
      if (query.kinds?.length) {
        where.push(`kind IN (${query.kinds.map(() => '?').join(', ')})`)
        args.push(...query.kinds)
      }
      const clause = where.length ? `WHERE ${where.join(' AND ')}` : ''
      const counts = Object.fromEntries(CHANGE_KINDS.map((k) => [k, 0])) as Record<ChangeKind, number>
      let total = 0
      for (const r of db
        .prepare(`SELECT kind, count(*) AS n FROM events ${clause} GROUP BY kind`)
        .all(...args)) {
        counts[r.kind as ChangeKind] = Number(r.n)
        total += Number(r.n)
      }
      // Within a snapshot, insertion order is pairChanges' order (model, kind, field).
      const rows = db
        .prepare(`SELECT * FROM events ${clause} ORDER BY at DESC, snapshot DESC, id LIMIT ? OFFSET ?`)
        .all(...args, query.limit, query.offset ?? 0)
      const events = rows.map((r): ChangeEvent => {
        const field = r.field as string | null
        return {
          key: `${String(r.snapshot)}/${String(r.model)}/${String(r.kind)}/${field ?? ''}`,
          kind: r.kind as ChangeKind,
          at: r.at as string,
          snapshotId: String(r.snapshot),
          previousId: String(r.previous),
          source: r.source as CatalogSource,
          region: r.region as Region,
          profile: r.profile as string,
          modelId: r.model as string,
          name: r.name as string,
          author: r.author as string,
          ...(field !== null ? { field } : {}),
          ...(r.from_value !== null ? { from: r.from_value as string | number } : {}),
          ...(r.to_value !== null ? { to: r.to_value as string | number } : {}),
          ...(r.kind === 'price' ? { percent: r.percent as number | null } : {}),
          ...(r.gained !== null ? { gained: JSON.parse(r.gained as string) as string[] } : {}),
          ...(r.lost !== null ? { lost: JSON.parse(r.lost as string) as string[] } : {}),
        }
      })
      return { events, total, counts }
    },

    checkpoint() {
      db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
    },

    vacuumInto(file) {
      db.prepare('VACUUM INTO ?').run(file)
    },

    integrityCheck() {
      return db
        .prepare('PRAGMA integrity_check')
        .all()
        .map((r) => String(r.integrity_check))
        .join('; ')
    },

    close() {
      db.close()
    },
  }
}
