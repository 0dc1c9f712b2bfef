import { describe, expect, it } from 'vitest'
import { readModelHistory } from './model-history'
import { historyRows } from './history-view'
import { modelTimeline } from './compare-delta'
import type { SnapshotHistoryPoint } from '../snapshots'
import type { RawModel } from './raw'

const rec = (
  prompt: string | undefined,
  context: number | undefined,
  extra: Partial<RawModel> = {},
): RawModel => ({
  id: 'acme/m',
  name: 'M',
  ...(context === undefined ? {} : { context_length: context }),
  pricing: prompt === undefined ? { completion: '0.000002' } : { prompt, completion: '0.000002' },
  ...extra,
})
const at = (day: number) => `2026-08-${String(day).padStart(2, '0')}T00:00:00.000Z`
const point = (day: number, record?: RawModel, unavailable?: string): SnapshotHistoryPoint => ({
  id: `s${day}`,
  takenAt: at(day),
  ...(record ? { record } : {}),
  ...(unavailable ? { unavailable } : {}),
})

/** Which snapshots each screen marks as a prompt or context change, newest first. */
function marks(points: SnapshotHistoryPoint[]) {
  const history = historyRows(points).map(
    (r) =>
      `${r.id}:${r.status}:${[...r.changed]
        .filter((c) => c !== 'completion' && c !== 'maxOutput')
        .sort()
        .join('+')}`,
  )
  const timeline = modelTimeline(points).map((r) => {
    if (r.status !== 'present') return `${r.id}:${r.status}:`
    const changed = [
      ...(r.contextChange && r.contextChange.direction !== 'same' ? ['context'] : []),
      ...(r.promptChange && r.promptChange.direction !== 'same' ? ['prompt'] : []),
    ]
    return `${r.id}:${r.status}:${changed.join('+')}`
  })
  return { history, timeline }
}

describe('one reading of a model across snapshots', () => {
  it.each<[string, SnapshotHistoryPoint[], string[]]>([
    [
      'a price written two ways is one price; a real change is one',
      [point(3, rec('0.000004', 8192)), point(2, rec('0.0000030', 8192)), point(1, rec('0.000003', 8192))],
      ['s3:present:prompt', 's2:present:', 's1:present:'],
    ],
    [
      'a gap (absent) compares with the last snapshot that had the model',
      [point(3, rec('0.000003', 16384)), point(2), point(1, rec('0.000003', 8192))],
      ['s3:present:context', 's2:absent:', 's1:present:'],
    ],
    [
      'an unreadable snapshot is neither a removal nor anyone’s previous',
      [point(3, rec('0.000005', 8192)), point(2, undefined, 'pack missing'), point(1, rec('0.000003', 8192))],
      ['s3:present:prompt', 's2:unavailable:', 's1:present:'],
    ],
    [
      'a missing prompt key is $0: a change from $3',
      [point(2, rec(undefined, 8192)), point(1, rec('0.000003', 8192))],
      ['s2:present:prompt', 's1:present:'],
    ],
    [
      'points out of order are read by date',
      [point(1, rec('0.000003', 8192)), point(2, rec('0.000006', 8192))],
      ['s2:present:prompt', 's1:present:'],
    ],
  ])('%s', (_, points, expected) => {
    const { history, timeline } = marks(points)
    expect(history).toEqual(expected)
    // Snapshots' history and Compare's across-time view say the same about every snapshot.
    expect(timeline).toEqual(expected)
  })

  it('gives each present entry the normalised model and the one before it', () => {
    const entries = readModelHistory([point(2, rec('0.000006', 8192)), point(1, rec('0.000003', 4096))])
    expect(entries.map((e) => e.status)).toEqual(['present', 'present'])
    const [newest, oldest] = entries as Extract<(typeof entries)[number], { status: 'present' }>[]
    expect(newest!.model.contextLength).toBe(8192)
    expect(newest!.previous?.contextLength).toBe(4096)
    expect(oldest!.previous).toBeNull()
  })
})
