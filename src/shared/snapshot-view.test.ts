import { describe, expect, it } from 'vitest'
import type { SnapshotMeta } from './snapshots'
import { snapshotMeta } from '../../test/helpers/snapshot-meta'
import {
  defaultDiffPair,
  formatBytes,
  formatDateTime,
  latestIds,
  previousOf,
  sourceLabel,
} from './snapshot-view'

describe('formatBytes', () => {
  it.each<[number, string]>([
    [0, '0 B'],
    [512, '512 B'],
    [1024, '1 KB'],
    [3174, '3.1 KB'],
    [153_600, '150 KB'],
    [1_572_864, '1.5 MB'],
    [5 * 1024 ** 3, '5 GB'],
    [-1, '—'],
    [Number.NaN, '—'],
  ])('%d → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text))
})

describe('sourceLabel', () => {
  it('names the allowed and public catalogs', () => {
    expect([sourceLabel('user'), sourceLabel('all')]).toEqual(['Allowed', 'Public'])
  })
})

let seq = 0
const meta = (takenAt: string, patch: Partial<SnapshotMeta> = {}): SnapshotMeta =>
  snapshotMeta({ id: `s${++seq}`, takenAt, ...patch })

describe('previousOf and defaultDiffPair', () => {
  it('pairs the newest snapshot with the previous one of the same catalog', () => {
    const list = [
      meta('2026-08-19T10:00:00Z', { id: 'new-all' }),
      meta('2026-08-18T10:00:00Z', { id: 'old-eu', region: 'eu' }),
      meta('2026-08-17T10:00:00Z', { id: 'old-all' }),
    ]
    expect(previousOf(list, 'new-all')?.id).toBe('old-all')
    expect(previousOf(list, 'old-all')).toBeNull()
    expect(previousOf(list, 'missing')).toBeNull()
    expect(defaultDiffPair(list)).toEqual({ a: 'old-all', b: 'new-all' })
  })

  it('prefers the allowed catalog from the same refresh', () => {
    const list = [
      meta('2026-08-19T10:00:02Z', { id: 'all-2' }),
      meta('2026-08-19T10:00:00Z', { id: 'user-2', source: 'user' }),
      meta('2026-08-18T10:00:02Z', { id: 'all-1' }),
      meta('2026-08-18T10:00:00Z', { id: 'user-1', source: 'user' }),
    ]
    expect(defaultDiffPair(list)).toEqual({ a: 'user-1', b: 'user-2' })
  })

  it('takes a newer public pair over an old allowed one', () => {
    const list = [
      meta('2026-08-19T10:00:00Z', { id: 'all-2' }),
      meta('2026-08-18T10:00:00Z', { id: 'all-1' }),
      meta('2026-05-02T10:00:00Z', { id: 'user-2', source: 'user' }),
      meta('2026-05-01T10:00:00Z', { id: 'user-1', source: 'user' }),
    ]
    expect(defaultDiffPair(list)).toEqual({ a: 'all-1', b: 'all-2' })
  })

  it('skips unreadable snapshots and gives null without a pair', () => {
    const list = [
      meta('2026-08-19T10:00:00Z', { id: 'new' }),
      meta('2026-08-18T10:00:00Z', { id: 'broken', unavailable: 'pack missing' }),
      meta('2026-08-17T10:00:00Z', { id: 'old' }),
    ]
    expect(defaultDiffPair(list)).toEqual({ a: 'old', b: 'new' })
    expect(defaultDiffPair([list[0]!])).toBeNull()
    expect(defaultDiffPair([])).toBeNull()
  })

  it('finds the newest snapshot of each catalog', () => {
    const list = [
      meta('2026-08-19T10:00:00Z', { id: 'a2' }),
      meta('2026-08-19T09:00:00Z', { id: 'u1', source: 'user' }),
      meta('2026-08-18T10:00:00Z', { id: 'a1' }),
    ]
    expect([...latestIds(list)].sort()).toEqual(['a2', 'u1'])
  })
})

describe('formatDateTime', () => {
  it('formats in the given locale and zone, and passes unreadable text through', () => {
    expect(formatDateTime('2026-08-19T10:15:00Z', 'en-GB', 'UTC')).toBe('19 Aug 2026, 10:15')
    expect(formatDateTime('2026-08-19T10:15:00Z', 'en-US', 'America/New_York')).toBe('Aug 19, 2026, 6:15 AM')
    expect(formatDateTime('soon')).toBe('soon')
  })
})
