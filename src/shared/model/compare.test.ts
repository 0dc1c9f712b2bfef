import { describe, expect, it } from 'vitest'
import {
  bestWorst,
  multipleOfCheapest,
  rankByCost,
  workloadCost,
  type CompareValue,
  type Workload,
} from './compare'
import { normaliseModel } from './normalise'

const model = (id: string, pricing: unknown, extra: Record<string, unknown> = {}) =>
  normaliseModel({ id, pricing, ...extra })

const workload = (patch: Partial<Workload> = {}): Workload => ({
  inputTokens: 1000,
  outputTokens: 500,
  cachedReadTokens: 0,
  reasoningTokens: 0,
  requestsPerDay: 100,
  ...patch,
})

const sonnet = model('anthropic/claude-sonnet', {
  prompt: '0.000003',
  completion: '0.000015',
  input_cache_read: '0.0000003',
  overrides: [{ min_prompt_tokens: 200000, prompt: '0.000006', completion: '0.0000225' }],
})
const nightly = model('x/nightly', {
  prompt: '0.000002',
  completion: '0.000004',
  overrides: [{ utc_start: 1630, utc_end: 30, prompt: '0.000001', completion: '0.000002' }],
})
const free = model('meta/llama:free', { prompt: '0', completion: '0' })
const router = model('openrouter/auto', { prompt: '-1', completion: '-1' })
const reasoner = model('x/reasoner', {
  prompt: '0.000001',
  completion: '0.000004',
  internal_reasoning: '0.000002',
  request: '0.005',
})

describe('workloadCost', () => {
  it.each<[string, ReturnType<typeof model>, Partial<Workload>, string | null]>([
    ['base prices', sonnet, {}, '0.0105'], // 1000×3e-6 + 500×15e-6
    ['cached reads at the cache price', sonnet, { cachedReadTokens: 10000 }, '0.0135'],
    [
      'cached reads count toward the long-context tier',
      sonnet,
      { inputTokens: 150000, cachedReadTokens: 60000 },
      '0.92925',
    ],
    ['exactly at the threshold stays base', sonnet, { inputTokens: 200000 }, '0.6075'],
    ['just over the threshold', sonnet, { inputTokens: 200001 }, '1.211256'],
    [
      'no cache price: cached reads at the prompt price',
      reasoner,
      { inputTokens: 0, cachedReadTokens: 1000, outputTokens: 0 },
      '0.006',
    ],
    ['reasoning at internal_reasoning, plus the request fee', reasoner, { reasoningTokens: 1000 }, '0.01'],
    [
      'reasoning falls back to completion',
      sonnet,
      { inputTokens: 0, outputTokens: 0, reasoningTokens: 1000 },
      '0.015',
    ],
    ['time window applies with a clock', nightly, { utcMinutes: 23 * 60 }, '0.002'],
    ['time window outside', nightly, { utcMinutes: 12 * 60 }, '0.004'],
    ['no clock: default prices', nightly, {}, '0.004'],
    ['free model', free, { reasoningTokens: 5000 }, '0'],
    ['missing keys read as zero', model('x/sparse', { prompt: '0.000001' }), {}, '0.001'],
    ['variable price', router, {}, null],
    [
      'variable price unused by the workload',
      model('x/half', { prompt: '0.000001', completion: '-1' }),
      { outputTokens: 0 },
      '0.001',
    ],
    ['unreadable price', model('x/bad', { prompt: 'n/a', completion: '0.000001' }), {}, null],
    ['no pricing', normaliseModel({ id: 'x/none' }), {}, null],
  ])('%s', (_name, m, patch, perRequest) => {
    const cost = workloadCost(m, workload(patch))
    if (perRequest === null) expect(cost.kind).toBe('unknown')
    else expect(cost).toMatchObject({ kind: 'known', perRequest })
  })

  it('scales per day and per 30-day month exactly', () => {
    expect(workloadCost(sonnet, workload({ requestsPerDay: 333 }))).toMatchObject({
      perRequest: '0.0105',
      perDay: '3.4965',
      perMonth: '104.895',
      breakdown: { input: '0.003', cachedRead: '0', output: '0.0075', reasoning: '0', request: '0' },
    })
  })

  it('stays exact where floats drift', () => {
    const cost = workloadCost(
      model('x/tiny', { prompt: '0.0000001', completion: '0.0000002' }),
      workload({ inputTokens: 3, outputTokens: 0, requestsPerDay: 1 }),
    )
    expect(cost).toMatchObject({ perRequest: '0.0000003' }) // 3 × 0.1e-6 is 3.0000000000000004e-7 in floats
  })

  it('applies a discount fraction', () => {
    const discounted = model('x/discount', { prompt: '0.000002', completion: '0', discount: 0.25 })
    expect(workloadCost(discounted, workload({ outputTokens: 0 }))).toMatchObject({ perRequest: '0.0015' })
  })

  it('reports why a cost is unknown', () => {
    expect(workloadCost(router, workload())).toEqual({ kind: 'unknown', reason: 'variable price' })
  })
})

describe('rankByCost', () => {
  it('orders cheapest first with unknown costs last in their original order', () => {
    const ranked = rankByCost([router, sonnet, normaliseModel({ id: 'x/none' }), free, reasoner], workload())
    expect(ranked.map((r) => r.model.id)).toEqual([
      'meta/llama:free',
      'x/reasoner',
      'anthropic/claude-sonnet',
      'openrouter/auto',
      'x/none',
    ])
  })

  it('ranks by the tier the workload falls in', () => {
    const flat = model('x/flat', { prompt: '0.000005', completion: '0.000015' })
    expect(rankByCost([flat, sonnet], workload({ inputTokens: 1000 })).map((r) => r.model.id)).toEqual([
      'anthropic/claude-sonnet',
      'x/flat',
    ])
    expect(rankByCost([flat, sonnet], workload({ inputTokens: 300000 })).map((r) => r.model.id)).toEqual([
      'x/flat',
      'anthropic/claude-sonnet',
    ])
  })
})

describe('bestWorst', () => {
  it.each<[string, CompareValue[], 'lower' | 'higher', { best: number[]; worst: number[] }]>([
    ['lower is better', [3, 1, 2], 'lower', { best: [1], worst: [0] }],
    ['higher is better', [3, 1, 2], 'higher', { best: [0], worst: [1] }],
    ['ties share the mark', [1, 3, 1, 3], 'lower', { best: [0, 2], worst: [1, 3] }],
    ['all equal: all best, none worst', [2, 2], 'lower', { best: [0, 1], worst: [] }],
    ['single known value', [null, 5, undefined], 'higher', { best: [1], worst: [] }],
    ['nothing known', [null, { kind: 'variable' }, { kind: 'unknown' }], 'lower', { best: [], worst: [] }],
    [
      'prices by exact value, variable ignored',
      [{ kind: 'fixed', value: '0.000003' }, { kind: 'variable' }, { kind: 'free' }, '0.0000030'],
      'lower',
      { best: [2], worst: [0, 3] },
    ],
    [
      'decimal strings beyond float precision',
      ['0.10000000000000000001', '0.1'],
      'lower',
      { best: [1], worst: [0] },
    ],
    ['negative strings are variable', ['-1', '0.5'], 'lower', { best: [1], worst: [] }],
    ['NaN is unknown', [Number.NaN, 4], 'lower', { best: [1], worst: [] }],
  ])('%s', (_name, values, better, expected) => {
    expect(bestWorst(values, better)).toEqual(expected)
  })
})

describe('multipleOfCheapest', () => {
  it.each<[CompareValue, CompareValue, string | null]>([
    ['0.000016', '0.000005', '3.2x'],
    ['0.000005', '0.000005', '1x'],
    ['0.0000075', '0.000005', '1.5x'],
    ['0.00006', '0.000005', '12x'],
    ['0.0000624', '0.000005', '12x'],
    [{ kind: 'fixed', value: '0.000003' }, { kind: 'fixed', value: '0.000002' }, '1.5x'],
    [1.05, 1, '1.1x'],
    [{ kind: 'free' }, { kind: 'free' }, '1x'],
    ['0.000001', { kind: 'free' }, null],
    [{ kind: 'variable' }, '0.000001', null],
    ['0.000001', null, null],
  ])('%j vs %j → %s', (value, cheapest, expected) => {
    expect(multipleOfCheapest(value, cheapest)).toBe(expected)
  })
})
