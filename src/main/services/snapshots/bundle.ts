import { promisify } from 'node:util'
import { gunzip, gzip } from 'node:zlib'
import { AppError } from '../../../shared/ipc/result'
import type { CatalogSource, RawModel, Region } from '../../../shared/model/raw'
import type { SnapshotMeta } from '../../../shared/snapshots'

const gunzipAsync = promisify(gunzip)
const gzipAsync = promisify(gzip)

export const BUNDLE_FORMAT = 'model-deck-snapshot'
export const BUNDLE_VERSION = 1
/** A real catalog is a few MB; this bounds a gzip bomb long before it hurts. */
const MAX_INFLATED_BYTES = 256 * 1024 * 1024

export type ParseModels = (body: unknown) => { models: RawModel[]; skipped: number }

/** Stand-in until the tolerant parser is wired in: keeps objects with a string id, counts the rest. */
export const minimalParseModels: ParseModels = (body) => {
  const data = (body as { data?: unknown } | null)?.data
  if (typeof body !== 'object' || body === null || !Array.isArray(data))
    throw new AppError('bad-file', 'This file is not a model list: it has no "data" array of models.')
  const models: RawModel[] = []
  let skipped = 0
  for (const item of data) {
    if (typeof item === 'object' && item !== null && !Array.isArray(item) && typeof item.id === 'string')
      models.push(item as RawModel)
    else skipped++
  }
  return { models, skipped }
}

export interface Bundle {
  format: typeof BUNDLE_FORMAT
  version: number
  meta: SnapshotMeta
  body: { data: RawModel[] }
}

export async function encodeBundle(meta: SnapshotMeta, models: RawModel[]): Promise<Buffer> {
  const { unavailable: _unavailable, ...clean } = meta
  const bundle: Bundle = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    meta: clean,
    body: { data: models },
  }
  // gzip rather than brotli: any tool can open the file, which is the point of an export.
  return gzipAsync(Buffer.from(JSON.stringify(bundle), 'utf8'), { level: 9 })
}

export type ImportedFile =
  | { kind: 'raw'; models: RawModel[]; skipped: number }
  | { kind: 'bundle'; models: RawModel[]; skipped: number; meta: Partial<SnapshotMeta> }

/** Reads an untrusted file: a raw `/models` body (.json or .json.gz) or a bundle from exportBundle. */
export async function readImportFile(
  bytes: Buffer,
  filename: string,
  parse: ParseModels,
): Promise<ImportedFile> {
  let raw: Buffer = bytes
  // By magic bytes, not name: people rename files, and browsers save gzip bodies as .json.
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      raw = await gunzipAsync(bytes, { maxOutputLength: MAX_INFLATED_BYTES })
    } catch (err) {
      const why =
        (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? 'too large' : 'truncated or damaged'
      throw new AppError('bad-file', `${filename} is a gzip file, but it is ${why}.`)
    }
  }
  const text = raw.toString('utf8').replace(/^\uFEFF/, '')
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    const hint = /^\s*</.test(text) ? ' It looks like a web page (HTML), not a /models response.' : ''
    throw new AppError('bad-file', `${filename} is not JSON.${hint}`)
  }
  const isBundle = typeof body === 'object' && body !== null && (body as Bundle).format === BUNDLE_FORMAT
  const payload = isBundle ? (body as Bundle).body : body
  if (isBundle) {
    const version = (body as Bundle).version
    if (typeof version !== 'number')
      throw new AppError('bad-file', `${filename} is a snapshot bundle without a version.`)
    if (version > BUNDLE_VERSION)
      throw new AppError(
        'bad-file',
        `${filename} was exported by a newer Model Deck (bundle version ${version}); update the app to import it.`,
      )
  }
  let parsed: { models: RawModel[]; skipped: number }
  try {
    parsed = parse(payload)
  } catch (err) {
    if (err instanceof AppError && err.code === 'bad-file')
      throw new AppError('bad-file', `${filename}: ${err.message}`)
    const message = err instanceof Error ? err.message : String(err)
    throw new AppError('bad-file', `${filename} is not a usable model list: ${message}`)
  }
  if (parsed.models.length === 0)
    throw new AppError('bad-file', `${filename} holds no usable model records (${parsed.skipped} skipped).`)
  if (!isBundle) return { kind: 'raw', ...parsed }
  const meta = (body as Bundle).meta
  return { kind: 'bundle', ...parsed, meta: typeof meta === 'object' && meta !== null ? meta : {} }
}

const SOURCES: readonly CatalogSource[] = ['user', 'all']
const REGIONS: readonly Region[] = ['global', 'eu', 'us']
export const isSource = (v: unknown): v is CatalogSource => SOURCES.includes(v as CatalogSource)
export const isRegion = (v: unknown): v is Region => REGIONS.includes(v as Region)
