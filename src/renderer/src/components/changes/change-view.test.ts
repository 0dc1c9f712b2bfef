import { describe, expect, it } from 'vitest'
import type { ChangeEvent } from '../../../../shared/changes/types'
import { describeEvent, feedRows, formatDay, priceText, rangeBounds } from './change-view'

function event(patch: Partial<ChangeEvent>): ChangeEvent {
  return {
    key: `s2/${patch.modelId ?? 'acme/one'}/${patch.kind ?? 'price'}/${patch.field ?? ''}`,
    kind: 'price',
    at: '2026-12-03T06:00:00.000Z',
    snapshotId: 's2',
    previousId: 's1',
    source: 'user',
    region: 'global',
    profile: 'p',
    modelId: 'acme/one',
    name: 'Acme One',
    author: 'acme',
    ...patch,
  }
}

describe('priceText: prices as the API sent them, in $ per 1M tokens for token prices', () => {
  it.each([
    ['0.000003', 'prompt', '$3.00'],
    ['0.0000025', 'completion', '$2.50'],
    ['0.00000008', 'prompt', '$0.08'],
    ['0', 'prompt', '$0'],
    [null, 'prompt', '$0'],
    ['-1', 'prompt', 'variable'],
    ['0.04', 'request', '$0.04'],
    ['0.001', 'image', '$0.001'],
    ['junk', 'prompt', 'unknown'],
  ])('%s (%s) → %s', (value, key, text) => {
    expect(priceText(value, key)).toBe(text)
  })
})

describe('describeEvent: what a feed row says', () => {
  it.each<[string, Partial<ChangeEvent>, Partial<ReturnType<typeof describeEvent>>]>([
    [
      'a price rise is bad news, with from → to and percent',
      { kind: 'price', field: 'prompt', from: '0.000003', to: '0.000006', percent: 100 },
      {
        label: 'Prompt price',
        from: '$3.00',
        to: '$6.00',
        unit: '/ 1M tokens',
        percent: '+100%',
        tone: 'bad',
      },
    ],
    [
      'a price cut is good news',
      { kind: 'price', field: 'completion', from: '0.00001', to: '0.000005', percent: -50 },
      { label: 'Completion price', from: '$10.00', to: '$5.00', percent: '−50%', tone: 'good' },
    ],
    [
      'a price that turned variable has no percent',
      { kind: 'price', field: 'prompt', from: '0.000001', to: '-1', percent: null },
      { from: '$1.00', to: 'variable', percent: null, tone: 'neutral' },
    ],
    [
      'a per-request price keeps its own unit',
      { kind: 'price', field: 'request', from: null, to: '0.02', percent: null },
      { label: 'Per request price', from: '$0', to: '$0.02', unit: '/ request' },
    ],
    [
      'price tiers are named, not quoted',
      { kind: 'price', field: 'overrides', from: null, to: null, percent: null },
      { label: 'Price tiers changed', from: null, to: null, unit: null },
    ],
    [
      'a discount reads as a percent, and a bigger one is good',
      { kind: 'price', field: 'discount', from: null, to: 0.2, percent: null },
      { label: 'Discount', from: '0%', to: '20%', unit: null, tone: 'good' },
    ],
    [
      'the provider’s context is named as such',
      { kind: 'context', field: 'top_provider.context_length', from: 64_000, to: 32_000 },
      { label: 'Provider context length', from: '64K', to: '32K', tone: 'bad' },
    ],
    [
      'more context is good, numbers compact',
      { kind: 'context', field: 'context_length', from: 128_000, to: 1_048_576 },
      { label: 'Context length', from: '128K', to: '1.05M', percent: '+719%', tone: 'good' },
    ],
    [
      'less max output is bad',
      { kind: 'max-output', field: 'top_provider.max_completion_tokens', from: 8192, to: 4096 },
      { label: 'Max output tokens', from: '8.2K', to: '4.1K', percent: '−50%', tone: 'bad' },
    ],
    [
      'a max output that appears has no percent',
      { kind: 'max-output', from: null, to: 4096 },
      { from: '—', to: '4.1K', percent: null },
    ],
    [
      'parameters gained and lost become chips; a loss warns',
      { kind: 'parameters', field: 'supported_parameters', gained: ['tools'], lost: ['seed'] },
      { label: 'Supported parameters', gained: ['tools'], lost: ['seed'], tone: 'warn' },
    ],
    [
      'modalities only gained are good',
      { kind: 'modalities', field: 'architecture.input_modalities', gained: ['image'] },
      { label: 'Input modalities', gained: ['image'], lost: [], tone: 'good' },
    ],
    [
      'an expiration date set warns',
      { kind: 'expiration', field: 'expiration_date', from: null, to: '2027-01-31' },
      { label: 'Expiration date set', from: null, to: '2027-01-31', tone: 'warn' },
    ],
    ['a new model', { kind: 'added' }, { label: 'New in the catalog', tone: 'good' }],
    ['a removed model', { kind: 'removed' }, { label: 'Gone from the catalog', tone: 'bad' }],
    [
      'leaving the allowed set',
      { kind: 'allowed-left' },
      { label: 'Your key may no longer use it', tone: 'warn' },
    ],
  ])('%s', (_, patch, expected) => {
    expect(describeEvent(event(patch))).toMatchObject(expected)
  })
})

describe('feedRows: newest first, a heading before each day', () => {
  const now = new Date('2026-12-03T12:00:00Z')
  const opts = { now, timeZone: 'UTC', locale: 'en-GB' }

  it('labels today, yesterday and older days, with counts, and keeps the events in order', () => {
    const events = [
      event({ key: 'a', at: '2026-12-03T09:30:00Z' }),
      event({ key: 'b', at: '2026-12-03T01:05:00Z' }),
      event({ key: 'c', at: '2026-12-02T23:59:00Z' }),
      event({ key: 'd', at: '2026-11-29T08:00:00Z' }),
    ]
    const rows = feedRows(events, opts)
    expect(rows.map((r) => (r.type === 'day' ? `${r.label} (${r.count})` : `${r.key} ${r.time}`))).toEqual([
      'Today (2)',
      'a 09:30',
      'b 01:05',
      'Yesterday (1)',
      'c 23:59',
      'Sun, 29 Nov 2026 (1)',
      'd 08:00',
    ])
  })

  it('groups by the given time zone’s calendar day', () => {
    const rows = feedRows([event({ key: 'a', at: '2026-12-02T23:30:00Z' })], {
      ...opts,
      timeZone: 'Europe/Berlin',
    })
    expect(rows[0]).toMatchObject({ type: 'day', label: 'Today' })
    expect(rows[1]).toMatchObject({ time: '00:30' })
  })

  it('an empty feed has no rows; a bad date is its own group', () => {
    expect(feedRows([], opts)).toEqual([])
    expect(feedRows([event({ key: 'x', at: 'not a date' })], opts)[0]).toMatchObject({
      label: 'Unknown date',
    })
  })
})

describe('rangeBounds: the query’s since/until', () => {
  const now = new Date('2026-12-03T12:00:00Z')
  it.each([
    ['24h', { since: '2026-12-02T12:00:00.000Z' }],
    ['7d', { since: '2026-11-26T12:00:00.000Z' }],
    ['30d', { since: '2026-11-03T12:00:00.000Z' }],
    ['all', {}],
  ] as const)('%s', (range, expected) => {
    expect(rangeBounds(range, now)).toEqual(expected)
  })

  it('chosen dates are whole local days, both ends included; a missing or bad end is left open', () => {
    const both = rangeBounds('dates', now, { from: '2026-11-01', to: '2026-11-30' })
    expect(new Date(both.since!).getTime()).toBe(new Date(2026, 10, 1, 0, 0, 0, 0).getTime())
    expect(new Date(both.until!).getTime()).toBe(new Date(2026, 10, 30, 23, 59, 59, 999).getTime())
    expect(rangeBounds('dates', now, { from: '', to: 'soon' })).toEqual({})
  })
})

describe('formatDay', () => {
  it('reads as a short date, and says so when it is not one', () => {
    expect(formatDay('2026-12-03T06:00:00Z', 'en-GB', 'UTC')).toBe('3 Dec 2026')
    expect(formatDay('nope')).toBe('unknown date')
  })
})
