import type { SnapshotMeta } from '../../src/shared/snapshots'

/** A complete SnapshotMeta for pure-logic tests: only what a case is about needs to be given. */
export function snapshotMeta(patch: Partial<SnapshotMeta> = {}): SnapshotMeta {
  const takenAt = patch.takenAt ?? '2026-08-19T10:00:00Z'
  return {
    id: 's1',
    takenAt,
    checkedAt: takenAt,
    source: 'all',
    region: 'global',
    profile: 'default',
    modelCount: 10,
    skipped: 0,
    contentHash: 'h',
    sizeBytes: 1,
    storedBytes: 1,
    appVersion: '0',
    origin: 'fetch',
    note: '',
    pinned: false,
    ...patch,
  }
}
