import { z } from 'zod'
import type { Channel } from './channels'
import { settingsPatchSchema, priceUnitSchema, type Settings } from '../settings'
import { CATALOG_SOURCES } from '../catalog-options'
import { EXPORT_FORMATS, EXPORT_KINDS } from '../export/file-name'
import type {
  AppInfo,
  EndpointsResult,
  ExportOutcome,
  KeyStatus,
  ProfilesState,
  RefreshOutcome,
  SnapshotDiffResult,
  SnapshotHistory,
  SnapshotList,
  OpenedSnapshot,
  ImportOutcome,
} from '../app-types'
import type { SnapshotMeta } from '../snapshots'
import { snapshotNoteSchema, takenAtSchema } from '../snapshot-rules'
import type { CatalogStateWire } from '../catalog-wire'
import type { RawModel } from '../model/raw'
import { archiveQuerySchema, changeQuerySchema, type ArchivedModel, type ChangeFeed } from '../changes/types'
import { quietHoursSchema, ruleInputSchema, type RuleCheck, type WatchState } from '../watch/types'

/**
 * The one IPC contract: each channel's strict input schema (unknown keys rejected) and its output
 * type. Main validates every payload against it before any service runs; the preload builds
 * window.api from its channel list (channels.ts) and the renderer's `api` type is derived from it.
 */
const empty = z.object({}).strict()
const id = z.string().min(1).max(200)
/** Snapshot references: an id, `latest`, or `latest~N`. */
const snapshotRef = z.string().min(1).max(200)
const modelId = z
  .string()
  .min(1)
  .max(300)
  .regex(/^[~A-Za-z0-9._:\-/]+$/, 'not a model id')
const sourceSchema = z.enum(CATALOG_SOURCES)
const profileName = z.string().trim().min(1).max(60)

const exportFormatSchema = z.enum(EXPORT_FORMATS)
export const exportRequestSchema = z
  .object({
    what: z.enum(EXPORT_KINDS),
    format: exportFormatSchema,
    /** Which snapshot the rows come from; main reloads the records itself rather than trusting rows from the renderer. */
    snapshotId: id,
    /** For a diff export: the snapshot compared against. */
    againstId: id.optional(),
    modelIds: z.array(modelId).max(200_000).optional(),
    columns: z.array(z.string().min(1).max(64)).max(64).optional(),
    unit: priceUnitSchema.optional(),
    raw: z.boolean().optional(),
    bom: z.boolean().optional(),
  })
  .strict()

declare const outputBrand: unique symbol
interface Out<T> {
  readonly [outputBrand]?: T
}
const out = <T>(): Out<T> => ({})

export const contract = {
  'app:get-info': { input: empty, output: out<AppInfo>() },
  'settings:get': { input: empty, output: out<Settings>() },
  'settings:update': { input: z.object({ patch: settingsPatchSchema }).strict(), output: out<Settings>() },
  'profiles:list': { input: empty, output: out<ProfilesState>() },
  'profiles:create': { input: z.object({ name: profileName }).strict(), output: out<ProfilesState>() },
  'profiles:rename': { input: z.object({ id, name: profileName }).strict(), output: out<ProfilesState>() },
  'profiles:remove': { input: z.object({ id }).strict(), output: out<ProfilesState>() },
  'profiles:switch': { input: z.object({ id }).strict(), output: out<ProfilesState>() },
  'key:status': { input: z.object({ refresh: z.boolean().optional() }).strict(), output: out<KeyStatus>() },
  /** The only message that ever carries the key, renderer → main; the reply never does. */
  'key:set': {
    input: z
      .object({
        key: z.string().min(1).max(512),
        allowUnverified: z.boolean().optional(),
        sessionOnly: z.boolean().optional(),
      })
      .strict(),
    output: out<KeyStatus>(),
  },
  'key:clear': { input: empty, output: out<KeyStatus>() },
  'key:test-connection': {
    input: empty,
    output: out<{ ok: true; latencyMs: number; publicModels: number }>(),
  },
  /**
   * Keychain entries of this app that no profile of this data folder names (left by a lost or
   * replaced profiles.json, or belonging to another data folder): their account names only.
   */
  'key:list-orphans': { input: empty, output: out<{ accounts: string[] }>() },
  'key:remove-orphans': {
    input: z.object({ accounts: z.array(id).min(1).max(200) }).strict(),
    output: out<{ removed: string[] }>(),
  },
  'catalog:get': {
    input: z.object({ snapshotId: id.optional() }).strict(),
    output: out<CatalogStateWire>(),
  },
  'catalog:refresh': {
    input: z.object({ sources: z.array(sourceSchema).min(1).max(2).optional() }).strict(),
    output: out<RefreshOutcome>(),
  },
  'catalog:cancel': { input: empty, output: out<{ cancelled: boolean }>() },
  'catalog:endpoints': {
    input: z.object({ snapshotId: id, modelId, refresh: z.boolean().optional() }).strict(),
    output: out<EndpointsResult>(),
  },
  /** Whole records of one snapshot (catalog:get sends table records only), in the order asked; unknown ids are left out. */
  'catalog:get-records': {
    input: z.object({ snapshotId: id, modelIds: z.array(modelId).min(1).max(200) }).strict(),
    output: out<{ models: RawModel[] }>(),
  },
  'snapshots:list': { input: empty, output: out<SnapshotList>() },
  'snapshots:open': { input: z.object({ ref: snapshotRef }).strict(), output: out<OpenedSnapshot>() },
  'snapshots:diff': {
    input: z.object({ a: snapshotRef, b: snapshotRef }).strict(),
    output: out<SnapshotDiffResult>(),
  },
  'snapshots:update': {
    input: z.object({ id, note: snapshotNoteSchema.optional(), pinned: z.boolean().optional() }).strict(),
    output: out<SnapshotMeta>(),
  },
  'snapshots:remove': { input: z.object({ id }).strict(), output: out<{ removed: string[] }>() },
  'snapshots:prune': { input: empty, output: out<{ removed: string[] }>() },
  'snapshots:history': {
    input: z.object({ modelId, source: sourceSchema.optional() }).strict(),
    output: out<SnapshotHistory>(),
  },
  'snapshots:import': {
    input: z.object({ source: sourceSchema.optional(), takenAt: takenAtSchema.optional() }).strict(),
    output: out<ImportOutcome>(),
  },
  'snapshots:export-bundle': { input: z.object({ id }).strict(), output: out<ExportOutcome>() },
  'export:save': { input: exportRequestSchema, output: out<ExportOutcome>() },
  'shell:open-external': {
    input: z.object({ url: z.string().max(2_048) }).strict(),
    output: out<{ opened: boolean }>(),
  },
  /** The change feed over every stored snapshot, newest first (issue 14). */
  'changes:list': { input: changeQuerySchema, output: out<ChangeFeed>() },
  /** Models no longer in the latest catalog of their series, with their last record. */
  'changes:archive': { input: archiveQuerySchema, output: out<{ models: ArchivedModel[] }>() },
  'changes:export': {
    input: z.object({ query: changeQuerySchema, format: exportFormatSchema }).strict(),
    output: out<ExportOutcome>(),
  },
  /** Starred models of the active profile. */
  'stars:list': { input: empty, output: out<{ ids: string[] }>() },
  'stars:set': {
    input: z.object({ modelId, starred: z.boolean() }).strict(),
    output: out<{ ids: string[] }>(),
  },
  'watch:list': { input: empty, output: out<WatchState>() },
  /** Creates (no id) or replaces a rule; an expression that does not parse is refused naming the term. */
  'watch:save': { input: z.object({ rule: ruleInputSchema }).strict(), output: out<WatchState>() },
  'watch:remove': { input: z.object({ id }).strict(), output: out<WatchState>() },
  'watch:check': { input: z.object({ expr: z.string().max(2_000) }).strict(), output: out<RuleCheck>() },
  'watch:set-quiet-hours': {
    input: z.object({ quietHours: quietHoursSchema.nullable() }).strict(),
    output: out<WatchState>(),
  },
  /** The feed was looked at: clears the unseen count of one rule, or of all. */
  'watch:mark-seen': { input: z.object({ ruleId: id.optional() }).strict(), output: out<WatchState>() },
} satisfies Record<Channel, { input: z.ZodType; output: Out<unknown> }>

export type Contract = typeof contract
export type Input<C extends Channel> = z.input<Contract[C]['input']>
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>
export type Output<C extends Channel> = Contract[C]['output'] extends Out<infer T> ? T : never
