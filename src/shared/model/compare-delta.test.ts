import { describe, expect, it } from 'vitest'
import {
  modelDelta,
  modelTimeline,
  numberChange,
  percentChange,
  priceChange,
  type Change,
} from './compare-delta'
import { normaliseModel } from './normalise'
import type { Price } from '../pricing/price'

const fixed = (value: string): Price => ({ kind: 'fixed', value })
const FREE: Price = { kind: 'free' }
const VARIABLE: Price = { kind: 'variable' }

describe('percentChange', () => {
  it.each<[string, string, string | null]>([
    ['0.000002', '0.0000025', '+25%'],
    ['0.000003', '0.000002', '\u221233.3%'],
    ['10', '10', '0%'],
    ['3', '4', '+33.3%'],
    ['0.1', '0.30000000000000000001', '+200%'],
    ['0', '1', null],
    ['1', '0', '\u2212100%'],
  ])('%s → %s is %s', (before, after, expected) => {
    expect(percentChange(before, after)).toBe(expected)
  })
})

describe('priceChange', () => {
  it.each<[string, Price | null, Price | null, Change]>([
    ['up', fixed('0.000002'), fixed('0.0000025'), { direction: 'up', percent: '+25%' }],
    ['down', fixed('0.000004'), fixed('0.000001'), { direction: 'down', percent: '\u221275%' }],
    ['same', fixed('0.000001'), fixed('0.000001'), { direction: 'same', percent: '0%' }],
    ['became paid: no ratio from free', FREE, fixed('0.000001'), { direction: 'up', percent: null }],
    ['became free', fixed('0.000001'), FREE, { direction: 'down', percent: '\u2212100%' }],
    ['free stays free', FREE, FREE, { direction: 'same', percent: '0%' }],
    ['to variable: unknown', fixed('0.000001'), VARIABLE, { direction: 'unknown', percent: null }],
    ['variable both sides', VARIABLE, VARIABLE, { direction: 'same', percent: '0%' }],
    ['newly listed key', null, fixed('0.01'), { direction: 'added', percent: null }],
    ['key dropped', fixed('0.01'), null, { direction: 'removed', percent: null }],
  ])('%s', (_name, before, after, expected) => {
    expect(priceChange(before, after)).toEqual(expected)
  })
})

describe('numberChange', () => {
  it.each<[number | null, number | null, ReturnType<typeof numberChange>]>([
    [
      128000,
      200000,
      { before: 128000, after: 200000, difference: 72000, change: { direction: 'up', percent: '+56.3%' } },
    ],
    [
      200000,
      128000,
      {
        before: 200000,
        after: 128000,
        difference: -72000,
        change: { direction: 'down', percent: '\u221236%' },
      },
    ],
    [
      null,
      8000,
      { before: null, after: 8000, difference: null, change: { direction: 'added', percent: null } },
    ],
    [
      8000,
      null,
      { before: 8000, after: null, difference: null, change: { direction: 'removed', percent: null } },
    ],
    [
      null,
      null,
      { before: null, after: null, difference: null, change: { direction: 'same', percent: null } },
    ],
  ])('%s → %s', (before, after, expected) => {
    expect(numberChange(before, after)).toEqual(expected)
  })
})

describe('modelDelta', () => {
  const then = normaliseModel({
    id: 'x/m',
    context_length: 128000,
    pricing: { prompt: '0.000002', completion: '0.000008', input_cache_read: '0.0000005' },
  })
  const now = normaliseModel({
    id: 'x/m',
    context_length: 256000,
    pricing: { prompt: '0.0000025', completion: '0.000008', web_search: '0.01' },
  })

  it('is absent when the older snapshot did not have the model', () => {
    expect(modelDelta(null, now)).toEqual({ id: 'x/m', status: 'absent' })
  })

  it('lists every price either side lists, with direction and percent', () => {
    const delta = modelDelta(then, now)
    if (delta.status !== 'present') throw new Error('expected present')
    expect(delta.prices.map((p) => [p.key, p.before, p.after, p.change.direction, p.change.percent])).toEqual(
      [
        ['prompt', '$2.00', '$2.50', 'up', '+25%'],
        ['completion', '$8.00', '$8.00', 'same', '0%'],
        ['web_search', '—', '$0.01', 'added', null],
        ['input_cache_read', '$0.50', '—', 'removed', null],
      ],
    )
    expect(delta.context).toMatchObject({ difference: 128000, change: { direction: 'up', percent: '+100%' } })
    expect(delta.changed).toBe(true)
  })

  it('reports no change for the same record', () => {
    const delta = modelDelta(now, now)
    expect(delta).toMatchObject({ status: 'present', changed: false })
  })
})

describe('modelTimeline', () => {
  it('compares each snapshot with the previous one that had the model, newest first', () => {
    const record = (prompt: string, context: number) => ({
      id: 'x/m',
      context_length: context,
      pricing: { prompt, completion: '0.000001' },
    })
    const rows = modelTimeline([
      { id: 's4', takenAt: '2026-04-01T00:00:00Z', record: record('0.000003', 256000) },
      { id: 's3', takenAt: '2026-03-01T00:00:00Z', unavailable: 'pack missing' },
      { id: 's2', takenAt: '2026-02-01T00:00:00Z' },
      { id: 's1', takenAt: '2026-01-01T00:00:00Z', record: record('0.000002', 128000) },
    ])
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      ['s4', 'present'],
      ['s3', 'unavailable'],
      ['s2', 'absent'],
      ['s1', 'present'],
    ])
    expect(rows[0]).toMatchObject({
      prompt: '$3.00',
      promptChange: { direction: 'up', percent: '+50%' },
      completionChange: { direction: 'same' },
      contextChange: { direction: 'up', percent: '+100%' },
    })
    expect(rows[3]).toMatchObject({ promptChange: null, contextChange: null })
  })
})
