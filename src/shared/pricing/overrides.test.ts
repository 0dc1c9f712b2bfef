import { describe, expect, it } from 'vitest'
import { describeOverrides, effectivePricing, formatTokenThreshold, readOverrides } from './overrides'

const longContext = {
  prompt: '0.000003',
  completion: '0.000015',
  input_cache_read: '0.0000003',
  overrides: [{ min_prompt_tokens: 200000, prompt: '0.000006', completion: '0.0000225' }],
}

// Shape of a real time-of-day schedule (Aug 2026 data), plus a tier that only changes one key.
const schedule = {
  prompt: '0.00000066',
  completion: '0.00000198',
  overrides: [
    { utc_start: 1630, utc_end: 30, prompt: '0.00000033', completion: '0.00000099' },
    { utc_start: 30, utc_end: 1630, prompt: '0.00000066', completion: '0.00000198' },
    { utc_start: 1700, utc_end: 1800, completion: '0.000001' },
  ],
}

const at = (hh: number, mm: number) => hh * 60 + mm

describe('effectivePricing', () => {
  it.each<[string, unknown, Parameters<typeof effectivePricing>[1], Record<string, unknown>]>([
    [
      'below threshold keeps base',
      longContext,
      { promptTokens: 200000 },
      { prompt: '0.000003', completion: '0.000015' },
    ],
    [
      'strictly above threshold',
      longContext,
      { promptTokens: 200001 },
      { prompt: '0.000006', completion: '0.0000225' },
    ],
    ['keys left out inherit', longContext, { promptTokens: 300000 }, { input_cache_read: '0.0000003' }],
    ['no clock: windows ignored', schedule, { promptTokens: 10 }, { prompt: '0.00000066' }],
    [
      'window wraps midnight (late)',
      schedule,
      { promptTokens: 10, utcMinutes: at(23, 0) },
      { prompt: '0.00000033' },
    ],
    [
      'window wraps midnight (early)',
      schedule,
      { promptTokens: 10, utcMinutes: at(0, 29) },
      { prompt: '0.00000033' },
    ],
    [
      'window end is exclusive',
      schedule,
      { promptTokens: 10, utcMinutes: at(0, 30) },
      { prompt: '0.00000066' },
    ],
    [
      'window start is inclusive',
      schedule,
      { promptTokens: 10, utcMinutes: at(16, 30) },
      { prompt: '0.00000033' },
    ],
    [
      'later tier wins per key',
      schedule,
      { promptTokens: 10, utcMinutes: at(17, 15) },
      { prompt: '0.00000033', completion: '0.000001' },
    ],
    [
      'minutes wrap around the day',
      schedule,
      { promptTokens: 10, utcMinutes: 1440 + at(1, 0) },
      { prompt: '0.00000066' },
    ],
    [
      'both conditions must hold',
      { prompt: '1', overrides: [{ min_prompt_tokens: 100, utc_start: 0, utc_end: 600, prompt: '2' }] },
      { promptTokens: 500, utcMinutes: at(7, 0) },
      { prompt: '1' },
    ],
    [
      'start equal to end is all day',
      { prompt: '1', overrides: [{ utc_start: 0, utc_end: 0, prompt: '2' }] },
      { promptTokens: 1, utcMinutes: at(12, 0) },
      { prompt: '2' },
    ],
    [
      'malformed conditions never apply',
      {
        prompt: '1',
        overrides: [
          { min_prompt_tokens: '5', prompt: '2' },
          { utc_start: 2500, utc_end: 100, prompt: '3' },
        ],
      },
      { promptTokens: 1000, utcMinutes: at(1, 0) },
      { prompt: '1' },
    ],
    ['no overrides', { prompt: '1' }, { promptTokens: 1 }, { prompt: '1' }],
    ['overrides not an array', { prompt: '1', overrides: 'x' }, { promptTokens: 1 }, { prompt: '1' }],
    ['pricing not an object', null, { promptTokens: 1 }, {}],
  ])('%s', (_name, pricing, context, expected) => {
    const result = effectivePricing(pricing, context)
    expect(result).toMatchObject(expected)
    expect(result).not.toHaveProperty('overrides')
  })

  it('does not mutate the input', () => {
    const copy = structuredClone(longContext)
    effectivePricing(copy, { promptTokens: 1e6 })
    expect(copy).toEqual(longContext)
  })
})

describe('describeOverrides', () => {
  it.each<[string, unknown, string[]]>([
    ['long context', longContext, ['Prompts over 200K tokens: prompt $6/1M, completion $22.5/1M']],
    [
      'time windows',
      schedule,
      [
        '16:30–00:30 UTC: prompt $0.33/1M, completion $0.99/1M',
        '00:30–16:30 UTC: prompt $0.66/1M, completion $1.98/1M',
        '17:00–18:00 UTC: completion $1/1M',
      ],
    ],
    [
      'cache keys and odd thresholds',
      {
        overrides: [{ min_prompt_tokens: 131072, input_cache_read: '0.0000006', input_cache_write_1h: '-1' }],
      },
      ['Prompts over 131,072 tokens: cache read $0.6/1M, cache write (1h) variable'],
    ],
    [
      'both conditions',
      { overrides: [{ min_prompt_tokens: 1000000, utc_start: 2200, utc_end: 2400, request: '0.01' }] },
      ['Prompts over 1M tokens, 22:00–00:00 UTC: request $0.01/request'],
    ],
    ['unconditional', { overrides: [{ prompt: '0' }] }, ['Always: prompt $0/1M']],
    [
      'malformed',
      { overrides: [{ utc_start: 'noon', prompt: '0.000001' }] },
      ['Unreadable condition: prompt $1/1M'],
    ],
    ['none', { prompt: '1' }, []],
  ])('%s', (_name, pricing, expected) => {
    expect(describeOverrides(pricing).map((tier) => tier.text)).toEqual(expected)
  })

  it('splits condition and prices', () => {
    expect(describeOverrides(longContext)[0]).toEqual({
      condition: 'Prompts over 200K tokens',
      prices: 'prompt $6/1M, completion $22.5/1M',
      text: 'Prompts over 200K tokens: prompt $6/1M, completion $22.5/1M',
    })
  })
})

describe('readOverrides', () => {
  it('skips entries that are not objects and keeps unknown price keys', () => {
    const tiers = readOverrides({ overrides: [1, null, { min_prompt_tokens: 10, future_key: '0.1' }] })
    expect(tiers).toEqual([
      { minPromptTokens: 10, window: null, malformed: false, prices: { future_key: '0.1' } },
    ])
  })
})

describe('formatTokenThreshold', () => {
  it.each([
    [200000, '200K'],
    [128000, '128K'],
    [1000000, '1M'],
    [2500000, '2.5M'],
    [1050000, '1.05M'],
    [1234000, '1,234K'],
    [131072, '131,072'],
    [512, '512'],
  ])('%d → %s', (tokens, expected) => {
    expect(formatTokenThreshold(tokens)).toBe(expected)
  })
})
