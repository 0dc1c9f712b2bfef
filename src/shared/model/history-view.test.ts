import { describe, expect, it } from 'vitest'
import type { SnapshotHistoryPoint } from '../snapshots'
import { historyRows, historySeries, historySummary } from './history-view'

const point = (
  id: string,
  pricing: Record<string, unknown> | null,
  context = 128000,
  extra: Partial<SnapshotHistoryPoint> = {},
): SnapshotHistoryPoint => ({
  id,
  takenAt: `2026-0${id}-01T00:00:00.000Z`,
  ...(pricing
    ? {
        record: {
          id: 'x/y',
          pricing,
          context_length: context,
          top_provider: { max_completion_tokens: 4096 },
        },
      }
    : {}),
  ...extra,
})

// Newest first, as main returns them.
const points: SnapshotHistoryPoint[] = [
  point('6', { prompt: '0.000003', completion: '0.000015' }, 200000),
  point('5', null, 0, { unavailable: 'pack damaged' }),
  point('4', { prompt: '0.000003', completion: '0.000015' }),
  point('3', null),
  point('2', { prompt: '0.0000025', completion: '0.000015' }),
  point('1', { prompt: '-1', completion: '0.000015' }),
]

describe('historyRows', () => {
  const rows = historyRows(points)

  it('keeps one row per snapshot, newest first', () => {
    expect(rows.map((r) => r.id)).toEqual(['6', '5', '4', '3', '2', '1'])
  })

  it.each<[string, string, string, string, string]>([
    ['6', 'present', '$3.00 / 1M tokens', '$15.00 / 1M tokens', '200,000'],
    ['5', 'unavailable', '', '', ''],
    ['3', 'absent', '', '', ''],
    ['2', 'present', '$2.50 / 1M tokens', '$15.00 / 1M tokens', '128,000'],
    ['1', 'present', 'variable', '$15.00 / 1M tokens', '128,000'],
  ])('row %s reads %s', (id, status, prompt, completion, context) => {
    const row = rows.find((r) => r.id === id)!
    expect([row.status, row.promptText, row.completionText, row.contextText]).toEqual([
      status,
      prompt,
      completion,
      context,
    ])
  })

  it('marks what changed since the last snapshot that had the model, skipping gaps', () => {
    const changed = Object.fromEntries(rows.map((r) => [r.id, r.changed]))
    expect(changed).toEqual({ '6': ['context'], '5': [], '4': ['prompt'], '3': [], '2': ['prompt'], '1': [] })
  })

  it('keeps the reason a snapshot could not be read', () => {
    expect(rows[1]!.reason).toBe('pack damaged')
  })

  it('plots oldest first with gaps where there is no real price', () => {
    const series = historySeries(rows)
    expect(series.dates[0]).toBe('2026-01-01T00:00:00.000Z')
    expect(series.prompt).toEqual([null, 2.5, null, 3, null, 3])
    expect(series.completion).toEqual([15, 15, null, 15, null, 15])
    expect(series.context).toEqual([128000, 128000, null, 128000, null, 200000])
  })

  it('summarises the history', () => {
    expect(historySummary(rows)).toBe('In 4 of 6 snapshots: 2 price changes, 1 context change')
    expect(historySummary([])).toBe('In 0 of 0 snapshots: 0 price changes, 0 context changes')
  })
})
