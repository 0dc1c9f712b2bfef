import { describe, expect, it } from 'vitest'
import { formatAge, isStale } from './time-ago'

const now = new Date('2026-08-20T12:00:00Z')

describe('formatAge', () => {
  it.each<[string, string]>([
    ['2026-08-20T11:59:30Z', 'just now'],
    ['2026-08-20T12:00:30Z', 'just now'],
    ['2026-08-20T11:55:00Z', '5 min ago'],
    ['2026-08-20T09:00:00Z', '3 h ago'],
    ['2026-08-19T11:00:00Z', '1 day ago'],
    ['2026-08-10T12:00:00Z', '10 days ago'],
    ['2026-04-20T12:00:00Z', '4 months ago'],
    ['2023-08-20T12:00:00Z', '3 years ago'],
    ['2026-08-21T12:00:00Z', 'in the future'],
    ['not a date', 'unknown age'],
  ])('%s → %s', (iso, expected) => {
    expect(formatAge(iso, now)).toBe(expected)
  })
})

describe('isStale', () => {
  it.each<[string, boolean]>([
    ['2026-08-20T11:00:00Z', false],
    ['2026-08-19T12:30:00Z', false],
    ['2026-08-19T11:00:00Z', true],
    ['garbage', false],
  ])('%s → %s', (iso, expected) => {
    expect(isStale(iso, now)).toBe(expected)
  })
})
