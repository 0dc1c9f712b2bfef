import type { AppErrorShape } from './ipc/result'
import type { RawModel, Region } from './model/raw'
import type { SnapshotMeta, StoreProblem, SnapshotHistoryPoint } from './snapshots'
import type { CatalogDiff, AllowedChange } from './model/diff'
import type { EndpointRow } from './model/endpoint'

/** Output types of the IPC contract that are not owned by a single domain module. */

export interface AppInfo {
  name: string
  version: string
  platform: string
  /** Where the snapshots and settings live, shown in Settings so users can back them up. */
  dataDir: string
  apiHost: string
  /** True when MODEL_DECK_API_BASE points the app at a development server. */
  customApiBase: boolean
}

export interface Profile {
  id: string
  name: string
}

export interface ProfilesState {
  profiles: Profile[]
  activeId: string
}

export interface KeyInfo {
  label: string
  limit: number | null
  limitRemaining: number | null
  limitReset: string | null
  usage: number | null
  usageDaily: number | null
  usageWeekly: number | null
  usageMonthly: number | null
  isFreeTier: boolean | null
}

export interface KeyStatus {
  profileId: string
  present: boolean
  /** `session`: the keychain could not be used and the key lives in main's memory until quit. */
  storage: 'keychain' | 'session' | 'none'
  verified: boolean
  info: KeyInfo | null
  /** Why the key could not be checked or stored, when that happened. */
  error: AppErrorShape | null
  keychainError: AppErrorShape | null
}

export interface CatalogSide {
  meta: SnapshotMeta
  models: RawModel[]
}

export interface CatalogState {
  profileId: string
  region: Region
  /** The allowed catalog (`/models/user`) and the public one, each from a snapshot. */
  user: CatalogSide | null
  all: CatalogSide | null
  /** True when a snapshot other than the latest was opened: the view is read-only history. */
  historical: boolean
  online: boolean | null
  lastError: AppErrorShape | null
  problems: StoreProblem[]
  readOnlyStore: string | null
  /** The store is read-only only until the disk takes a write again: a refresh may still be tried. */
  readOnlyStoreMayClear: boolean
}

export interface SourceRefreshOutcome {
  source: 'user' | 'all'
  ok: boolean
  snapshotId: string | null
  created: boolean
  modelCount: number
  skipped: number
  skippedReasons: string[]
  error: AppErrorShape | null
}

export interface RefreshOutcome {
  results: SourceRefreshOutcome[]
  online: boolean
}

export interface EndpointsResult {
  modelId: string
  /** True when the rows came from the snapshot (offline), false when just fetched. */
  fromCache: boolean
  rows: EndpointRow[]
  skipped: number
}

export interface SnapshotList {
  snapshots: SnapshotMeta[]
  problems: StoreProblem[]
  readOnly: string | null
  totalBytes: number
}

export interface OpenedSnapshot {
  meta: SnapshotMeta
  models: RawModel[]
}

export interface SnapshotDiffResult {
  a: SnapshotMeta
  b: SnapshotMeta
  diff: CatalogDiff
  /** Set when both sides are allowed-catalog snapshots: models that entered or left what the key may use. */
  allowed: { entered: AllowedChange[]; left: AllowedChange[] } | null
}

export interface SnapshotHistory {
  modelId: string
  points: SnapshotHistoryPoint[]
}

export interface ImportOutcome {
  cancelled: boolean
  meta: SnapshotMeta | null
  created: boolean
  skipped: number
}

export interface ExportOutcome {
  cancelled: boolean
  /** The file name only (not the full path): enough for "Saved to …". */
  fileName: string | null
  rows: number
  bytes: number
}
