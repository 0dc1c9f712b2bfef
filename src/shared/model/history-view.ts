import { formatPrice, perMillion } from '../pricing/price'
import type { SnapshotHistoryPoint } from '../snapshots'
import { formatInteger } from './format'
import { readModelHistory } from './model-history'
import type { NormalisedModel } from './normalise'

export type HistoryStatus = 'present' | 'absent' | 'unavailable'

/** What the history table shows for one snapshot. */
export interface HistoryRow {
  id: string
  takenAt: string
  status: HistoryStatus
  /** Why the snapshot could not be read, when status is unavailable. */
  reason: string | null
  /** Exact USD per 1M tokens; null when absent, variable or unreadable. */
  prompt: string | null
  completion: string | null
  promptText: string
  completionText: string
  context: number | null
  maxOutput: number | null
  contextText: string
  maxOutputText: string
  /** Which of prompt, completion, context and maxOutput differ from the previous (older) snapshot that had the model. */
  changed: ('prompt' | 'completion' | 'context' | 'maxOutput')[]
}

const DASH = '—'

/**
 * The rows of the per-model history table, newest first like the points from main. A snapshot
 * without the model reads "not in catalog"; an unreadable one keeps its reason so it is not mistaken for a removal.
 */
export function historyRows(points: readonly SnapshotHistoryPoint[]): HistoryRow[] {
  return readModelHistory(points).map((entry) => {
    if (entry.status !== 'present') {
      return {
        id: entry.id,
        takenAt: entry.takenAt,
        status: entry.status,
        reason: entry.status === 'unavailable' ? entry.reason : null,
        prompt: null,
        completion: null,
        promptText: '',
        completionText: '',
        context: null,
        maxOutput: null,
        contextText: '',
        maxOutputText: '',
        changed: [],
      }
    }
    const row = figures(entry.model)
    const before = entry.previous && figures(entry.previous)
    const changed = before
      ? (['prompt', 'completion', 'context', 'maxOutput'] as const).filter((key) => row[key] !== before[key])
      : []
    return {
      id: entry.id,
      takenAt: entry.takenAt,
      status: 'present',
      reason: null,
      ...row,
      promptText: formatPrice(entry.model.prices.prompt, 'per-million'),
      completionText: formatPrice(entry.model.prices.completion, 'per-million'),
      contextText: row.context === null ? DASH : formatInteger(row.context),
      maxOutputText: row.maxOutput === null ? DASH : formatInteger(row.maxOutput),
      changed,
    }
  })
}

function figures(model: NormalisedModel) {
  return {
    prompt: perMillion(model.prices.prompt),
    completion: perMillion(model.prices.completion),
    context: model.contextLength,
    maxOutput: model.maxOutput,
  }
}

export interface HistorySeries {
  /** ISO dates, oldest first. */
  dates: string[]
  /** USD per 1M tokens; null leaves a gap (model absent, variable price or unreadable snapshot). */
  prompt: (number | null)[]
  completion: (number | null)[]
  context: (number | null)[]
}

/** The chart's series, oldest first, from table rows. */
export function historySeries(rows: readonly HistoryRow[]): HistorySeries {
  const ordered = [...rows].reverse()
  const amount = (value: string | null): number | null => (value === null ? null : Number(value))
  return {
    dates: ordered.map((r) => r.takenAt),
    prompt: ordered.map((r) => amount(r.prompt)),
    completion: ordered.map((r) => amount(r.completion)),
    context: ordered.map((r) => r.context),
  }
}

/** "3 price changes, 1 context change across 12 snapshots": the history's headline. */
export function historySummary(rows: readonly HistoryRow[]): string {
  const present = rows.filter((r) => r.status === 'present').length
  const priceChanges = rows.filter(
    (r) => r.changed.includes('prompt') || r.changed.includes('completion'),
  ).length
  const contextChanges = rows.filter((r) => r.changed.includes('context')).length
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`
  return `In ${present} of ${plural(rows.length, 'snapshot')}: ${plural(priceChanges, 'price change')}, ${plural(contextChanges, 'context change')}`
}
