import { promisify } from 'node:util'
import { gzip } from 'node:zlib'
import { AppError } from '../../../shared/ipc/result'
import { isRecord } from '../../../shared/is-record'
import type { RawModel } from '../../../shared/model/raw'
import type { SnapshotMeta } from '../../../shared/snapshots'
import {
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  decodeCatalogBytes,
  type Bundle,
  type CatalogFile,
  type ParseModels,
} from '../files/catalog-file'

export type { ParseModels } from '../files/catalog-file'

const gzipAsync = promisify(gzip)

/**
 * The store's parser when none is injected (its own tests): keeps objects with a string id and
 * counts the rest. The app and the CLI inject the tolerant `parseModelsBody`.
 */
export const minimalParseModels: ParseModels = (body) => {
  const data = (body as { data?: unknown } | null)?.data
  if (typeof body !== 'object' || body === null || !Array.isArray(data))
    throw new AppError('bad-file', 'This file is not a model list: it has no "data" array of models.')
  const models: RawModel[] = []
  let skipped = 0
  for (const item of data) {
    if (isRecord(item) && typeof item.id === 'string') models.push(item as RawModel)
    else skipped++
  }
  return { models, skipped }
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

/** Reads an untrusted file's bytes through the one catalog-file reader (see files/catalog-file.ts). */
export function readImportFile(bytes: Buffer, filename: string, parse: ParseModels): Promise<CatalogFile> {
  return decodeCatalogBytes(bytes, filename, parse)
}
