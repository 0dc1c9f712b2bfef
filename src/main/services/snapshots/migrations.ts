import { promises as fsp } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { gunzip } from 'node:zlib'
import type { RawModel } from '../../../shared/model/raw'
import type { SnapshotMeta } from '../../../shared/snapshots'
import { fsyncDir } from '../durable-write'

const gunzipAsync = promisify(gunzip)

export const STORE_FILE = 'store.json'
export const STORE_FORMAT = 'model-deck-store'
/** Bump when the layout changes; add a migration from the previous version to the table below. */
export const STORE_FORMAT_VERSION = 1

export interface StoreInfo {
  format: typeof STORE_FORMAT
  formatVersion: number
  /**
   * Oldest format a reader must understand to read this store. A newer app that only adds things
   * keeps it low so older apps can still open the store read-only.
   */
  minReaderVersion: number
  createdAt: string
  createdBy: string
}

export type StoreInfoRead =
  { kind: 'ok'; info: StoreInfo } | { kind: 'missing' } | { kind: 'corrupt'; reason: string }

export async function readStoreInfo(dir: string): Promise<StoreInfoRead> {
  let text: string
  try {
    text = await fsp.readFile(join(dir, STORE_FILE), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' }
    throw err
  }
  try {
    const v = JSON.parse(text) as Partial<StoreInfo>
    if (
      v.format !== STORE_FORMAT ||
      typeof v.formatVersion !== 'number' ||
      !Number.isInteger(v.formatVersion)
    )
      return { kind: 'corrupt', reason: 'store.json does not describe a snapshot store' }
    return {
      kind: 'ok',
      info: {
        format: STORE_FORMAT,
        formatVersion: v.formatVersion,
        minReaderVersion: typeof v.minReaderVersion === 'number' ? v.minReaderVersion : v.formatVersion,
        createdAt: typeof v.createdAt === 'string' ? v.createdAt : '',
        createdBy: typeof v.createdBy === 'string' ? v.createdBy : '',
      },
    }
  } catch {
    return { kind: 'corrupt', reason: 'store.json is not valid JSON' }
  }
}

export function storeInfoBytes(info: StoreInfo): string {
  return `${JSON.stringify(info, null, 2)}\n`
}

export interface MigrationContext {
  dir: string
  /**
   * Adds one snapshot in the current layout, keeping its id when it has a valid one. A no-op when
   * that id is already present, because a migration killed midway runs again from the start.
   */
  importSnapshot(input: { meta: Partial<SnapshotMeta>; models: RawModel[] }): Promise<void>
  /** Moves an unreadable old file aside (never deletes it) and reports it. */
  quarantine(relativePath: string, reason: string): Promise<void>
}

export interface Migration {
  from: number
  to: number
  description: string
  /** True when the folder holds this migration's old layout (used when there is no store.json). */
  detect(dir: string): Promise<boolean>
  run(ctx: MigrationContext): Promise<void>
}

/**
 * Format 0 is the prototype's layout: no store.json, one `snapshots/<id>.json.gz` per snapshot
 * holding `{ meta, body: { data } }`, every record stored again in full each time.
 */
const LEGACY_V0_DIR = 'snapshots'

const v0ToV1: Migration = {
  from: 0,
  to: 1,
  description: 'one gzip file per snapshot -> content-addressed packs with manifests',
  async detect(dir) {
    try {
      return (await fsp.stat(join(dir, LEGACY_V0_DIR))).isDirectory()
    } catch {
      return false
    }
  },
  async run(ctx) {
    const legacy = join(ctx.dir, LEGACY_V0_DIR)
    let names: string[]
    try {
      names = (await fsp.readdir(legacy)).filter((n) => n.endsWith('.json.gz')).sort()
    } catch {
      return
    }
    for (const name of names) {
      let parsed: { meta?: Partial<SnapshotMeta>; body?: { data?: unknown } }
      try {
        parsed = JSON.parse(
          (await gunzipAsync(await fsp.readFile(join(legacy, name)))).toString('utf8'),
        ) as typeof parsed
      } catch {
        await ctx.quarantine(
          `${LEGACY_V0_DIR}/${name}`,
          'old-format snapshot could not be read during migration',
        )
        continue
      }
      const data = parsed.body?.data
      const models = Array.isArray(data)
        ? data.filter((m): m is RawModel => typeof m === 'object' && m !== null && typeof m.id === 'string')
        : []
      if (!parsed.meta || models.length === 0) {
        await ctx.quarantine(`${LEGACY_V0_DIR}/${name}`, 'old-format snapshot has no usable records')
        continue
      }
      await ctx.importSnapshot({
        meta: { ...parsed.meta, skipped: (Array.isArray(data) ? data.length : 0) - models.length },
        models,
      })
    }
    // Only now, with every snapshot durable in the new layout, may the old copies go.
    await fsp.rm(legacy, { recursive: true, force: true })
    await fsyncDir(ctx.dir)
  },
}

export const migrations: readonly Migration[] = [v0ToV1]

/** The chain of migrations that brings `from` up to the current format, or undefined if there is a gap. */
export function migrationPath(from: number): Migration[] | undefined {
  const path: Migration[] = []
  let at = from
  while (at < STORE_FORMAT_VERSION) {
    const step = migrations.find((m) => m.from === at)
    if (!step) return undefined
    path.push(step)
    at = step.to
  }
  return path
}
