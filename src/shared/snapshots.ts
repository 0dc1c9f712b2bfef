import type { CatalogSource, RawModel, Region } from './model/raw'

/** How a snapshot entered the store: a live fetch, or a file the user imported. */
export type SnapshotOrigin = 'fetch' | 'import'

/**
 * What the store knows about one snapshot without reading its records. Plain data so it can cross
 * IPC and be imported by the renderer; every date is an ISO 8601 string in UTC.
 */
export interface SnapshotMeta {
  /** Sortable by time, safe as a file name: `20260819T101530123Z-a1b2c3`. */
  id: string
  /** When the catalog was fetched (or the import's own date). */
  takenAt: string
  /** The last time a fetch found exactly this content again; equals takenAt until then. */
  checkedAt: string
  source: CatalogSource
  region: Region
  profile: string
  modelCount: number
  /** Records the parser dropped as unusable; they are not stored. */
  skipped: number
  /** sha256 (hex) of the compact JSON array of the records, in order: equal hashes, equal content. */
  contentHash: string
  /** Bytes of the records as compact JSON, i.e. roughly what an export would weigh. */
  sizeBytes: number
  /** Bytes this save added to the disk (new records and its manifest); shared records cost nothing. */
  storedBytes: number
  appVersion: string
  origin: SnapshotOrigin
  note: string
  pinned: boolean
  /** File name the snapshot was imported from. */
  importedFrom?: string
  /** Set while the snapshot cannot be loaded (a pack was found corrupt or missing); says why. */
  unavailable?: string
}

export interface SnapshotFilter {
  source?: CatalogSource
  region?: Region
  profile?: string
}

export interface SnapshotProblem {
  /** Path relative to the store folder (where the bad file was), e.g. `packs/ab12….br`. */
  file: string
  reason: string
  /** ISO date the problem was found. */
  at: string
}

/** The name other modules use for a store problem (app state, IPC outputs). */
export type StoreProblem = SnapshotProblem

export interface SnapshotHistoryPoint {
  id: string
  takenAt: string
  /** The record as it was in that snapshot; absent when the model was not in the catalog then. */
  record?: RawModel
  /** Set when that snapshot could not be read, so a chart can show a gap rather than a removal. */
  unavailable?: string
}

export interface SnapshotUsage {
  totalBytes: number
  snapshots: number
  packs: number
}
