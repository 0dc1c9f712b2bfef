import { AppError } from '../../../shared/ipc/result'
import { isRegion, isSource } from '../../../shared/catalog-options'
import type { CatalogSource, RawModel, Region } from '../../../shared/model/raw'
import type { SnapshotMeta, SnapshotOrigin } from '../../../shared/snapshots'
import { readImportFile } from './bundle'
import { SNAPSHOT_ID } from './manifest'
import { nowIso, type StoreState } from './store-state'
import type { Insert } from './store-write'

/*
 * The store's boundary: everything a caller (the app, the CLI, an old store being migrated) hands
 * in is checked and normalised here, once; the modules behind it trust what they are given.
 */

export interface SaveInput {
  source: CatalogSource
  region: Region
  profile: string
  models: RawModel[]
  skipped?: number
  takenAt?: string | Date
  origin?: SnapshotOrigin
}

export interface ImportOptions {
  filename: string
  source?: CatalogSource
  region?: Region
  profile?: string
  takenAt?: string | Date
}

export interface PruneOptions {
  /** Keep this many newest snapshots of each (source, region, profile); older ones go unless pinned. */
  keepLast?: number
  /** Remove oldest snapshots until the store fits; never pinned ones nor the newest of each catalog. */
  maxBytes?: number
}

export interface MetaPatch {
  note?: string
  pinned?: boolean
}

function normaliseDate(s: StoreState, value: string | Date | undefined, what: string): string {
  if (value === undefined) return nowIso(s)
  const date = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(date.getTime())) throw new AppError('invalid-input', `${what} is not a valid date.`)
  return date.toISOString()
}

export function saveInsert(s: StoreState, input: SaveInput): Insert {
  if (!isSource(input.source)) throw new AppError('invalid-input', 'source must be "user" or "all".')
  if (!isRegion(input.region)) throw new AppError('invalid-input', 'region must be "global", "eu" or "us".')
  if (typeof input.profile !== 'string' || input.profile.length === 0)
    throw new AppError('invalid-input', 'profile must be a non-empty string.')
  if (!Array.isArray(input.models)) throw new AppError('invalid-input', 'models must be an array.')
  for (const m of input.models) {
    if (typeof m !== 'object' || m === null || typeof (m as { id?: unknown }).id !== 'string')
      throw new AppError('invalid-input', 'every model needs a string id.')
  }
  if (input.skipped !== undefined && !(Number.isInteger(input.skipped) && input.skipped >= 0))
    throw new AppError('invalid-input', 'skipped must be a whole number.')
  if (input.origin !== undefined && input.origin !== 'fetch' && input.origin !== 'import')
    throw new AppError('invalid-input', 'origin must be "fetch" or "import".')
  return {
    source: input.source,
    region: input.region,
    profile: input.profile,
    models: input.models,
    skipped: input.skipped ?? 0,
    takenAt: normaliseDate(s, input.takenAt, 'takenAt'),
    origin: input.origin ?? 'fetch',
  }
}

/** Reads an imported file (a bundle or a raw API body); its own metadata fills what options leave out. */
export async function importInsert(s: StoreState, bytes: Buffer, options: ImportOptions): Promise<Insert> {
  const filename = typeof options?.filename === 'string' && options.filename ? options.filename : 'The file'
  if (!Buffer.isBuffer(bytes)) throw new AppError('invalid-input', 'importRaw needs the file bytes.')
  if (options.source !== undefined && !isSource(options.source))
    throw new AppError('invalid-input', 'source must be "user" or "all".')
  if (options.region !== undefined && !isRegion(options.region))
    throw new AppError('invalid-input', 'region must be "global", "eu" or "us".')
  const file = await readImportFile(bytes, filename, s.parseModels)
  const meta = file.kind === 'bundle' ? file.meta : {}
  const takenAt = normaliseDate(
    s,
    options.takenAt ??
      (typeof meta.takenAt === 'string' && !Number.isNaN(Date.parse(meta.takenAt))
        ? meta.takenAt
        : undefined),
    'takenAt',
  )
  return {
    source: options.source ?? (isSource(meta.source) ? meta.source : 'all'),
    region: options.region ?? (isRegion(meta.region) ? meta.region : 'global'),
    profile: options.profile ?? (typeof meta.profile === 'string' && meta.profile ? meta.profile : 'default'),
    models: file.models,
    skipped: file.skipped + (typeof meta.skipped === 'number' && meta.skipped > 0 ? meta.skipped : 0),
    takenAt,
    origin: 'import',
    note: typeof meta.note === 'string' ? meta.note : '',
    importedFrom: filename,
  }
}

/** A snapshot of an older layout, as a migration found it; keeps its id when it has a valid one. */
export function legacyInsert(
  s: StoreState,
  { meta, models }: { meta: Partial<SnapshotMeta>; models: RawModel[] },
): Insert {
  return {
    ...(typeof meta.id === 'string' && SNAPSHOT_ID.test(meta.id) ? { id: meta.id } : {}),
    source: isSource(meta.source) ? meta.source : 'all',
    region: isRegion(meta.region) ? meta.region : 'global',
    profile: typeof meta.profile === 'string' && meta.profile ? meta.profile : 'default',
    models,
    skipped: typeof meta.skipped === 'number' && meta.skipped > 0 ? meta.skipped : 0,
    takenAt: normaliseDate(s, typeof meta.takenAt === 'string' ? meta.takenAt : undefined, 'takenAt'),
    ...(typeof meta.checkedAt === 'string'
      ? { checkedAt: normaliseDate(s, meta.checkedAt, 'checkedAt') }
      : {}),
    origin: meta.origin === 'import' ? 'import' : 'fetch',
    note: typeof meta.note === 'string' ? meta.note : '',
    pinned: meta.pinned === true,
  }
}

export function checkPatch(patch: MetaPatch): MetaPatch {
  if (typeof patch !== 'object' || patch === null) throw new AppError('invalid-input', 'Nothing to change.')
  if (patch.note !== undefined && typeof patch.note !== 'string')
    throw new AppError('invalid-input', 'note must be a string.')
  if (patch.pinned !== undefined && typeof patch.pinned !== 'boolean')
    throw new AppError('invalid-input', 'pinned must be true or false.')
  return patch
}

export function checkPrune(options: PruneOptions): PruneOptions {
  const { keepLast, maxBytes } = options
  if (keepLast !== undefined && (!Number.isInteger(keepLast) || keepLast < 0))
    throw new AppError('invalid-input', 'keepLast must be a whole number.')
  if (maxBytes !== undefined && (!Number.isFinite(maxBytes) || maxBytes < 0))
    throw new AppError('invalid-input', 'maxBytes must be a positive number.')
  return options
}

/** The endpoints body as the JSON text to store. */
export function endpointsJson(modelId: string, body: unknown): string {
  if (typeof modelId !== 'string' || modelId.length === 0)
    throw new AppError('invalid-input', 'modelId must be a non-empty string.')
  const json = JSON.stringify(body)
  if (json === undefined) throw new AppError('invalid-input', 'The endpoints body is not JSON data.')
  return json
}
