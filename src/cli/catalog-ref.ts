import { statSync } from 'node:fs'
import { basename } from 'node:path'
import { readCatalogFile } from '../main/services/files/catalog-file'
import { parseModelsBody } from '../shared/model/parse'
import type { CatalogSource, RawModel } from '../shared/model/raw'
import type { SnapshotMeta } from '../shared/snapshots'
import type { CliContext } from './context'

/** A catalog named on the command line: a stored snapshot, a bundle, or a raw `/models` body. */
export type LoadedCatalog = {
  label: string
  models: RawModel[]
  /** When, from where: known for a snapshot and (as far as it says) for a bundle. */
  meta: (Partial<Pick<SnapshotMeta, 'takenAt' | 'region'>> & Pick<SnapshotMeta, 'source'>) | null
  skipped: number
}

const LATEST = /^latest(~\d+)?$/

/** Snapshot ids never contain a slash or end in .json, so a name that does (or exists) is a file. */
function looksLikeFile(ref: string): boolean {
  if (LATEST.test(ref)) return false
  if (/\.json(\.gz)?$/i.test(ref) || ref.includes('/') || ref.includes('\\')) return true
  return statSync(ref, { throwIfNoEntry: false })?.isFile() ?? false
}

/** A file, without storing it: read by the same capped reader the app's import uses. */
async function loadCatalogFile(path: string): Promise<LoadedCatalog> {
  const file = await readCatalogFile(path, parseModelsBody)
  const label = basename(path)
  if (file.kind === 'raw') return { label, models: file.models, meta: null, skipped: file.skipped }
  const { source, takenAt, region } = file.meta
  return {
    label: `bundle ${label}`,
    models: file.models,
    meta: source ? { source, ...(takenAt ? { takenAt } : {}), ...(region ? { region } : {}) } : null,
    skipped: file.skipped,
  }
}

/**
 * `latest` and `latest~N` count back through one catalog: the given source, else the other side's,
 * else the allowed list (falling back to the public one when no allowed list was ever fetched).
 */
async function resolveSnapshot(ctx: CliContext, ref: string, source?: CatalogSource): Promise<SnapshotMeta> {
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
  if (looksLikeFile(ref)) return loadCatalogFile(ref)
  const meta = await resolveSnapshot(ctx, ref, source)
  const { models } = await ctx.services.store.load(meta.id)
  return { label: `snapshot ${meta.id}`, models, meta, skipped: 0 }
}
