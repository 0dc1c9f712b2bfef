import { open } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import { AppError } from '../../../shared/ipc/result'
import { isRegion, isSource } from '../../../shared/catalog-options'
import { MAX_IMPORT_FILE_BYTES, MAX_IMPORT_INFLATED_BYTES } from '../../../shared/import-limits'
import type { RawModel } from '../../../shared/model/raw'
import type { SnapshotMeta } from '../../../shared/snapshots'
import { MAX_NOTE_LENGTH, snapshotNoteSchema, takenAtSchema } from '../../../shared/snapshot-rules'
import { isRecord } from '../../../shared/is-record'

/**
 * The one reader of catalog files, whoever opens them (the app's import, `snapshot import`,
 * `diff`, `export`): a raw OpenRouter `/models` body, gzipped or not, or a Model Deck bundle.
 * Every file is untrusted, so every step has a cap: the bytes on disk, the bytes a gzip stream
 * inflates to (checked while inflating, so a bomb stops at the cap), and the bundle's own fields.
 */

export const BUNDLE_FORMAT = 'model-deck-snapshot'
export const BUNDLE_VERSION = 1

export type ParseModels = (body: unknown) => { models: RawModel[]; skipped: number }

export interface Bundle {
  format: typeof BUNDLE_FORMAT
  version: number
  meta: SnapshotMeta
  body: { data: RawModel[] }
}

/** The fields of a bundle's meta that are carried into a snapshot, each already checked. */
export type BundleMeta = Partial<
  Pick<SnapshotMeta, 'takenAt' | 'source' | 'region' | 'profile' | 'note' | 'skipped'>
>

export type CatalogFile =
  | { kind: 'raw'; models: RawModel[]; skipped: number }
  | { kind: 'bundle'; models: RawModel[]; skipped: number; meta: BundleMeta }

export interface ReadLimits {
  maxFileBytes?: number
  maxInflatedBytes?: number
}

const MIB = 1024 * 1024
const mib = (bytes: number) => `${Math.round(bytes / MIB)} MiB`

class OverCap extends Error {}

/** A pipeline's last stage: keeps the bytes, and stops the whole pipeline once they pass `cap`. */
function capped(cap: number) {
  const chunks: Buffer[] = []
  let total = 0
  return {
    sink: async (source: AsyncIterable<Buffer | string>) => {
      for await (const chunk of source) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
        total += bytes.length
        if (total > cap) throw new OverCap()
        chunks.push(bytes)
      }
    },
    bytes: () => Buffer.concat(chunks, total),
  }
}

async function collect(source: NodeJS.ReadableStream, cap: number): Promise<Buffer> {
  const out = capped(cap)
  await pipeline(source, out.sink)
  return out.bytes()
}

// By magic bytes, not name: people rename files, and browsers save gzip bodies as .json.
const isGzip = (head: Buffer) => head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b

async function inflate(source: NodeJS.ReadableStream, filename: string, cap: number): Promise<Buffer> {
  try {
    const out = capped(cap)
    await pipeline(source, createGunzip({ chunkSize: 64 * 1024 }), out.sink)
    return out.bytes()
  } catch (err) {
    if (err instanceof OverCap)
      throw new AppError(
        'bad-file',
        `${filename} is a gzip file, but it is too large: it inflates to more than ${mib(cap)}, far more than any catalog (a damaged file or a gzip bomb).`,
      )
    if (err instanceof AppError) throw err
    throw new AppError('bad-file', `${filename} is a gzip file, but it is truncated or damaged.`)
  }
}

function tooLarge(filename: string, cap: number): AppError {
  return new AppError('bad-file', `${filename} is too large to be a catalog (more than ${mib(cap)}).`)
}

/**
 * Reads a file that should hold a catalog, refusing one over the on-disk cap (checked on the open
 * handle, and again while reading, so a file that grows after the check is still cut off).
 */
export async function readCatalogBytes(path: string, limits: ReadLimits = {}): Promise<Buffer> {
  const maxFile = limits.maxFileBytes ?? MAX_IMPORT_FILE_BYTES
  const name = basename(resolve(path))
  const handle = await open(resolve(path), 'r').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new AppError('bad-file', `There is no file ${path}.`)
    throw new AppError('bad-file', `${path} could not be opened (${err.code ?? err.message}).`)
  })
  try {
    const info = await handle.stat()
    if (!info.isFile()) throw new AppError('bad-file', `${path} is not a file.`)
    if (info.size > maxFile) throw tooLarge(name, maxFile)
    return await collect(handle.createReadStream({ start: 0, autoClose: false }), maxFile).catch(
      (err: unknown) => {
        throw err instanceof OverCap ? tooLarge(name, maxFile) : err
      },
    )
  } finally {
    await handle.close()
  }
}

/** Reads and decodes a catalog file from disk; messages name the file by its own name. */
export async function readCatalogFile(
  path: string,
  parse: ParseModels,
  limits: ReadLimits = {},
): Promise<CatalogFile> {
  return decodeCatalogBytes(await readCatalogBytes(path, limits), basename(resolve(path)), parse, limits)
}

/** Decodes a catalog file already in memory (bytes handed to the snapshot store's import). */
export async function decodeCatalogBytes(
  bytes: Buffer,
  filename: string,
  parse: ParseModels,
  limits: ReadLimits = {},
): Promise<CatalogFile> {
  const maxFile = limits.maxFileBytes ?? MAX_IMPORT_FILE_BYTES
  if (bytes.length > maxFile) throw tooLarge(filename, maxFile)
  const text = isGzip(bytes)
    ? await inflate(Readable.from([bytes]), filename, limits.maxInflatedBytes ?? MAX_IMPORT_INFLATED_BYTES)
    : bytes
  return decodeJson(text, filename, parse)
}

function decodeJson(raw: Buffer, filename: string, parse: ParseModels): CatalogFile {
  const text = raw.toString('utf8').replace(/^\uFEFF/, '')
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    const hint = /^\s*</.test(text) ? ' It looks like a web page (HTML), not a /models response.' : ''
    throw new AppError('bad-file', `${filename} is not JSON.${hint}`)
  }
  const bundle = isRecord(body) && body.format === BUNDLE_FORMAT ? body : null
  const isBundle = bundle !== null
  let meta: BundleMeta = {}
  if (bundle) {
    const version = bundle.version
    if (typeof version !== 'number')
      throw new AppError('bad-file', `${filename} is a snapshot bundle without a version.`)
    if (version > BUNDLE_VERSION)
      throw new AppError(
        'bad-file',
        `${filename} was exported by a newer Model Deck (bundle version ${version}); update the app to import it.`,
      )
    meta = checkBundleMeta(bundle.meta, filename)
  }
  let parsed: { models: RawModel[]; skipped: number }
  try {
    parsed = parse(bundle ? bundle.body : body)
  } catch (err) {
    if (err instanceof AppError && err.code === 'bad-file')
      throw new AppError('bad-file', `${filename}: ${err.message}`)
    const message = err instanceof Error ? err.message : String(err)
    throw new AppError('bad-file', `${filename} is not a usable model list: ${message}`)
  }
  if (parsed.models.length === 0)
    throw new AppError('bad-file', `${filename} holds no usable model records (${parsed.skipped} skipped).`)
  return isBundle ? { kind: 'bundle', ...parsed, meta } : { kind: 'raw', ...parsed }
}

/**
 * The rules the window's own inputs follow (src/shared/snapshot-rules.ts). A field the store
 * would silently replace (an unknown source) is dropped; one it would keep wrongly is refused.
 */
function checkBundleMeta(raw: unknown, filename: string): BundleMeta {
  if (raw === undefined || raw === null) return {}
  if (!isRecord(raw)) throw new AppError('bad-file', `${filename}: the bundle's "meta" is not an object.`)
  const meta: BundleMeta = {}
  const { takenAt, note } = raw
  if (takenAt !== undefined) {
    if (typeof takenAt !== 'string' || !takenAtSchema.safeParse(takenAt).success)
      throw new AppError(
        'bad-file',
        `${filename}: the bundle's "takenAt" (${shortJson(takenAt)}) is not an ISO 8601 date-time within the years 0000 to 9999.`,
      )
    meta.takenAt = takenAt
  }
  if (note !== undefined) {
    if (typeof note !== 'string' || !snapshotNoteSchema.safeParse(note).success)
      throw new AppError(
        'bad-file',
        typeof note === 'string'
          ? `${filename}: the bundle's "note" is ${note.length} characters long; a note holds at most ${MAX_NOTE_LENGTH}.`
          : `${filename}: the bundle's "note" is not text.`,
      )
    meta.note = note
  }
  if (isSource(raw.source)) meta.source = raw.source
  if (isRegion(raw.region)) meta.region = raw.region
  if (typeof raw.profile === 'string' && raw.profile.length > 0 && raw.profile.length <= 200)
    meta.profile = raw.profile
  if (typeof raw.skipped === 'number' && Number.isSafeInteger(raw.skipped) && raw.skipped > 0)
    meta.skipped = raw.skipped
  return meta
}

function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 59)}…` : text
}
