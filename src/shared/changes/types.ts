import { z } from 'zod'
import type { CatalogSource, RawModel, Region } from '../model/raw'
import { CATALOG_SOURCES } from '../catalog-options'

/**
 * The change feed's vocabulary (issue 14): every event the feed can list, one definition shared by
 * main (which computes them), the CLI (`model-deck changes`), watch rules (`event:KIND`) and the
 * "What's new" view.
 */
export const CHANGE_KINDS = [
  'added',
  'removed',
  're-added',
  'price',
  'context',
  'max-output',
  'parameters',
  'modalities',
  'expiration',
  'allowed-entered',
  'allowed-left',
] as const
export type ChangeKind = (typeof CHANGE_KINDS)[number]
export const isChangeKind = (value: unknown): value is ChangeKind =>
  (CHANGE_KINDS as readonly unknown[]).includes(value)

export interface ChangeEvent {
  /** Stable across rebuilds of the feed: `${snapshotId}/${modelId}/${kind}/${field ?? ''}`. */
  key: string
  kind: ChangeKind
  /** takenAt of the snapshot in which the change was first seen. */
  at: string
  snapshotId: string
  /** The snapshot before it in the same series (source, region, profile). */
  previousId: string
  source: CatalogSource
  region: Region
  profile: string
  modelId: string
  /** The model's name and author (the id's prefix) as of that snapshot (its last record for a removal). */
  name: string
  author: string
  /**
   * What changed: the pricing key for `price` (`prompt`, `completion`, `image`, ...); the API path
   * for `context` / `max-output` / `expiration` (`context_length`, `top_provider.max_completion_tokens`,
   * `expiration_date`); `supported_parameters`, `architecture.input_modalities` or
   * `architecture.output_modalities` for the set kinds.
   */
  field?: string
  /** As the API sent them (prices stay strings: "-1" is variable, absent is null). */
  from?: string | number | null
  to?: string | number | null
  /** Price changes only: exact decimal change in percent, 1 decimal place; null when variable or from 0. */
  percent?: number | null
  gained?: string[]
  lost?: string[]
}

/** Relative (`7d`, `24h`, `2w`) is the CLI's business; over IPC a bound is an ISO date. */
const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date())

export const changeQuerySchema = z
  .object({
    since: isoDate.optional(),
    until: isoDate.optional(),
    source: z.enum(CATALOG_SOURCES).optional(),
    kinds: z.array(z.enum(CHANGE_KINDS)).max(CHANGE_KINDS.length).optional(),
    author: z.string().min(1).max(100).optional(),
    /** A model id, a substring of it, or a glob with `*` (`anthropic/claude-*`). */
    model: z.string().min(1).max(300).optional(),
    /** Only events that this watch rule matched. */
    ruleId: z.string().min(1).max(200).optional(),
    starred: z.boolean().optional(),
    limit: z.number().int().min(1).max(5_000).optional(),
    offset: z.number().int().min(0).max(10_000_000).optional(),
  })
  .strict()
export type ChangeQuery = z.infer<typeof changeQuerySchema>

export interface ChangeFeed {
  /** Newest first. */
  events: ChangeEvent[]
  /** Events matching the query before limit/offset. */
  total: number
  /** Per kind, of the matching events. */
  counts: Record<ChangeKind, number>
  /** Snapshots the feed was computed over (all series in the query's source). */
  snapshots: number
}

/** A model that is no longer in the latest catalog of its series, with its last record. */
export interface ArchivedModel {
  id: string
  name: string
  author: string
  source: CatalogSource
  region: Region
  profile: string
  /** takenAt of the last snapshot that had it, and that snapshot's id (for compare and detail). */
  lastSeenAt: string
  lastSnapshotId: string
  /** takenAt of the first snapshot without it. */
  removedAt: string
  record: RawModel
}

export const archiveQuerySchema = z
  .object({
    source: z.enum(CATALOG_SOURCES).optional(),
    /** Fuzzy search over id and name, as in the catalog. */
    search: z.string().max(200).optional(),
  })
  .strict()
export type ArchiveQuery = z.infer<typeof archiveQuerySchema>
