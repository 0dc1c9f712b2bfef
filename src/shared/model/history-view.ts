import { formatPrice, perMillion, readPrice } from '../pricing/price'
import type { SnapshotHistoryPoint } from '../snapshots'
import { formatInteger } from './format'
import { asRecord } from '../is-record'

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

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

/**
 * The rows of the per-model history table, newest first like the points from main. A snapshot
 * without the model reads "not in catalog"; an unreadable one keeps its reason so it is not mistaken for a removal.
 */
export function historyRows(points: readonly SnapshotHistoryPoint[]): HistoryRow[] {
  const rows: HistoryRow[] = points.map((point) => {
    const record = point.record
    const status: HistoryStatus = point.unavailable ? 'unavailable' : record ? 'present' : 'absent'
    const empty = status === 'present' ? DASH : ''
    if (!record || status !== 'present')
      return {
        id: point.id,
        takenAt: point.takenAt,
        status,
        reason: point.unavailable ?? null,
        prompt: null,
        completion: null,
        promptText: empty,
        completionText: empty,
        context: null,
        maxOutput: null,
        contextText: empty,
        maxOutputText: empty,
        changed: [],
      }
    const prompt = readPrice(record.pricing, 'prompt')
    const completion = readPrice(record.pricing, 'completion')
    const context = num(record.context_length)
    const maxOutput = num(asRecord(record.top_provider)?.max_completion_tokens)
    return {
      id: point.id,
      takenAt: point.takenAt,
      status,
      reason: null,
      prompt: perMillion(prompt),
      completion: perMillion(completion),
      promptText: formatPrice(prompt, 'per-million'),
      completionText: formatPrice(completion, 'per-million'),
      context,
      maxOutput,
      contextText: context === null ? DASH : formatInteger(context),
      maxOutputText: maxOutput === null ? DASH : formatInteger(maxOutput),
      changed: [],
    }
  })
  // Walk oldest to newest, comparing each present row with the last present one before it.
  let previous: HistoryRow | null = null
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i]!
    if (row.status !== 'present') continue
    if (previous) {
      for (const key of ['prompt', 'completion', 'context', 'maxOutput'] as const)
        if (row[key] !== previous[key]) row.changed.push(key)
    }
    previous = row
  }
  return rows
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
