import { statSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { AppError } from '../shared/ipc/result'
import { parseModelsBody } from '../shared/model/parse'
import type { CatalogSource, RawModel } from '../shared/model/raw'
import type { SnapshotMeta } from '../shared/snapshots'
import type { CliContext } from './context'

/** A catalog named on the command line: a stored snapshot or a raw `/models` body in a file. */
export type LoadedCatalog = {
  label: string
  models: RawModel[]
  meta: SnapshotMeta | null
  skipped: number
}

/** Files larger than this are not a catalog (the real one is 1-2 MB). */
const MAX_FILE_BYTES = 200 * 1024 * 1024
const LATEST = /^latest(~\d+)?$/

/** Snapshot ids never contain a slash or end in .json, so a name that does (or exists) is a file. */
export function looksLikeFile(ref: string): boolean {
  if (LATEST.test(ref)) return false
  if (/\.json(\.gz)?$/i.test(ref) || ref.includes('/') || ref.includes('\\')) return true
  return statSync(ref, { throwIfNoEntry: false })?.isFile() ?? false
}

/** Reads a `/models` body (.json, or gzipped whatever the name), without storing it. */
export async function readCatalogFile(path: string): Promise<LoadedCatalog> {
  const full = resolve(path)
  const name = basename(full)
  const info = await stat(full).catch(() => {
    throw new AppError('bad-file', `There is no file ${path}.`)
  })
  if (!info.isFile()) throw new AppError('bad-file', `${path} is not a file.`)
  if (info.size > MAX_FILE_BYTES) throw new AppError('bad-file', `${name} is too large to be a catalog.`)
  let bytes = await readFile(full)
  try {
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes)
    const parsed = parseModelsBody(JSON.parse(bytes.toString('utf8').replace(/^\ufeff/, '')))
    return { label: name, models: parsed.models, meta: null, skipped: parsed.skipped }
  } catch (err) {
    throw new AppError('bad-file', `${name} is not an OpenRouter /models response: ${(err as Error).message}`)
  }
}

/**
 * `latest` and `latest~N` count back through one catalog: the given source, else the other side's,
 * else the allowed list (falling back to the public one when no allowed list was ever fetched).
 */
export async function resolveSnapshot(
  ctx: CliContext,
  ref: string,
  source?: CatalogSource,
): Promise<SnapshotMeta> {
  const { store } = ctx.services
  if (!LATEST.test(ref)) return store.resolve(ref)
  const filter = (s: CatalogSource) => ({ source: s, region: ctx.region, profile: ctx.profile.id })
  if (source) return store.resolve(ref, filter(source))
  return store.resolve(ref, filter('user')).catch(() => store.resolve(ref, filter('all')))
}

export async function loadCatalog(
  ctx: CliContext,
  ref: string,
  source?: CatalogSource,
): Promise<LoadedCatalog> {
  if (looksLikeFile(ref)) return readCatalogFile(ref)
  const meta = await resolveSnapshot(ctx, ref, source)
  const { models } = await ctx.services.store.load(meta.id)
  return { label: `snapshot ${meta.id}`, models, meta, skipped: 0 }
}
