import type { SnapshotHistoryPoint } from '../snapshots'
import { normaliseModel, type NormalisedModel } from './normalise'

/** One snapshot's view of one model, with the last older snapshot that had it. */
export type HistoryEntry =
  | { id: string; takenAt: string; status: 'absent' }
  | { id: string; takenAt: string; status: 'unavailable'; reason: string }
  | {
      id: string
      takenAt: string
      status: 'present'
      model: NormalisedModel
      /** The model in the next older snapshot that had it; null for the oldest such one. */
      previous: NormalisedModel | null
    }

/**
 * The one reading of "a model across snapshots": Snapshots' history table and chart and Compare's
 * across-time view both start here, so they always agree on what a snapshot held and what changed.
 * Newest first, as the store lists them; records go through normaliseModel like everywhere else;
 * an unreadable snapshot is kept apart from a removal and never becomes anyone's `previous`.
 */
export function readModelHistory(points: readonly SnapshotHistoryPoint[]): HistoryEntry[] {
  const chronological = [...points].sort((a, b) => a.takenAt.localeCompare(b.takenAt))
  let previous: NormalisedModel | null = null
  const entries: HistoryEntry[] = []
  for (const point of chronological) {
    const base = { id: point.id, takenAt: point.takenAt }
    if (point.unavailable !== undefined)
      entries.push({ ...base, status: 'unavailable', reason: point.unavailable })
    else if (point.record === undefined) entries.push({ ...base, status: 'absent' })
    else {
      const model = normaliseModel(point.record)
      entries.push({ ...base, status: 'present', model, previous })
      previous = model
    }
  }
  return entries.reverse()
}
