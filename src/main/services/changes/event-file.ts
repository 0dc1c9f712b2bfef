import { promises as fsp, constants } from 'node:fs'
import { dirname } from 'node:path'
import { CHANGE_KINDS } from '../../../shared/changes/types'
import type { PairChange } from '../../../shared/changes/events'
import { isRecord } from '../../../shared/is-record'
import { fsyncDir, writeFileDurable } from '../durable-write'
import { sha256Hex } from '../snapshots/hash'

/**
 * The change feed's cache on disk (docs/storage.md, "change feed as append-only event file"): one
 * line per pair of neighbouring snapshots, `<sha256 of the JSON> <JSON>`, so every line proves
 * itself whole. The snapshots stay the truth: a torn, damaged or foreign line is skipped and its
 * pair computed again, and a pair whose snapshots are gone is simply never asked for. The app and
 * the CLI may both append at once: each appends whole lines with O_APPEND, a line spoilt by a
 * race fails its checksum, and duplicates say the same thing.
 */
export const EVENT_FILE_VERSION = 1

export interface PairRecord {
  previousId: string
  snapshotId: string
  /** For the models a key may use: the public snapshot that told "left the allowed set" from "removed". */
  publicId: string | null
  changes: PairChange[]
}

export const pairKey = (previousId: string, snapshotId: string): string => `${previousId}>${snapshotId}`

interface Line {
  v: number
  p: string
  s: string
  u: string | null
  c: PairChange[]
}

const KINDS = new Set<string>(CHANGE_KINDS)
const optionalValue = (v: unknown) =>
  v === undefined || v === null || typeof v === 'string' || typeof v === 'number'
const optionalList = (v: unknown) =>
  v === undefined || (Array.isArray(v) && v.every((x) => typeof x === 'string'))

function isChange(value: unknown): value is PairChange {
  return (
    isRecord(value) &&
    typeof value.kind === 'string' &&
    KINDS.has(value.kind) &&
    value.kind !== 're-added' &&
    typeof value.modelId === 'string' &&
    typeof value.name === 'string' &&
    (value.field === undefined || typeof value.field === 'string') &&
    optionalValue(value.from) &&
    optionalValue(value.to) &&
    (value.percent === undefined || value.percent === null || typeof value.percent === 'number') &&
    optionalList(value.gained) &&
    optionalList(value.lost)
  )
}

function parseLine(text: string): PairRecord | null {
  const space = text.indexOf(' ')
  if (space !== 64) return null
  const json = text.slice(65)
  if (sha256Hex(json) !== text.slice(0, 64)) return null
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    return null
  }
  if (!isRecord(value) || value.v !== EVENT_FILE_VERSION) return null
  const { p, s, u, c } = value as Partial<Line>
  if (typeof p !== 'string' || typeof s !== 'string' || !(u === null || typeof u === 'string')) return null
  if (!Array.isArray(c) || !c.every(isChange)) return null
  return { previousId: p, snapshotId: s, publicId: u, changes: c }
}

export function formatLine(record: PairRecord): string {
  const line: Line = {
    v: EVENT_FILE_VERSION,
    p: record.previousId,
    s: record.snapshotId,
    u: record.publicId,
    c: record.changes,
  }
  const json = JSON.stringify(line)
  return `${sha256Hex(json)} ${json}\n`
}

export interface EventFile {
  /** Every valid pair record on disk, read incrementally: only what was appended since the last call. */
  read(): Promise<Map<string, PairRecord>>
  append(records: readonly PairRecord[]): Promise<void>
  /** Lines on disk that no longer serve (damaged, duplicated, or for pairs given up), from the last read. */
  waste(live: number): number
  /** Replaces the file with just these records (atomically), dropping everything else. */
  rewrite(records: readonly PairRecord[]): Promise<void>
}

export function openEventFile(path: string): EventFile {
  const records = new Map<string, PairRecord>()
  let ino = -1
  let offset = 0
  let lines = 0

  function take(text: string): void {
    for (const line of text.split('\n')) {
      if (line === '') continue
      lines++
      const record = parseLine(line)
      if (record) records.set(pairKey(record.previousId, record.snapshotId), record)
    }
  }

  async function read(): Promise<Map<string, PairRecord>> {
    let handle: fsp.FileHandle
    try {
      handle = await fsp.open(path, constants.O_RDONLY)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      records.clear()
      ino = -1
      offset = 0
      lines = 0
      return records
    }
    try {
      const st = await handle.stat()
      // Replaced (a rewrite by either process) or shortened: start over.
      if (st.ino !== ino || st.size < offset) {
        records.clear()
        ino = st.ino
        offset = 0
        lines = 0
      }
      if (st.size > offset) {
        const buffer = Buffer.alloc(st.size - offset)
        let got = 0
        while (got < buffer.length) {
          const { bytesRead } = await handle.read(buffer, got, buffer.length - got, offset + got)
          if (bytesRead <= 0) break
          got += bytesRead
        }
        // Only whole lines: a line still being written (or torn by a crash) is read once it ends.
        const end = buffer.lastIndexOf(0x0a, got - 1)
        if (end >= 0) {
          take(buffer.subarray(0, end + 1).toString('utf8'))
          offset += end + 1
        }
      }
    } finally {
      await handle.close()
    }
    return records
  }

  async function append(list: readonly PairRecord[]): Promise<void> {
    if (list.length === 0) return
    await fsp.mkdir(dirname(path), { recursive: true })
    const handle = await fsp.open(path, constants.O_CREAT | constants.O_APPEND | constants.O_RDWR, 0o600)
    try {
      const st = await handle.stat()
      let text = list.map(formatLine).join('')
      // A torn last line (a crash mid-append) must not swallow the first new one.
      if (st.size > 0) {
        const last = Buffer.alloc(1)
        await handle.read(last, 0, 1, st.size - 1)
        if (last[0] !== 0x0a) text = `\n${text}`
      }
      const bytes = Buffer.from(text, 'utf8')
      let written = 0
      while (written < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, written, bytes.length - written)
        if (bytesWritten <= 0) throw Object.assign(new Error('short write'), { code: 'ENOSPC' })
        written += bytesWritten
      }
      await handle.sync()
      if (st.size === 0) await fsyncDir(dirname(path))
    } finally {
      await handle.close()
    }
  }

  async function rewrite(list: readonly PairRecord[]): Promise<void> {
    await fsp.mkdir(dirname(path), { recursive: true })
    await writeFileDurable(path, list.map(formatLine).join(''))
    records.clear()
    ino = -1
    offset = 0
    lines = 0
  }

  return { read, append, rewrite, waste: (live) => Math.max(0, lines - live) }
}
