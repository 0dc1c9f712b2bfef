import { describe, expect, it } from 'vitest'
import { buildCompareGroups, summariseProviders, visibleGroups, type CompareRow } from './compare-rows'
import { normaliseEndpoint } from './endpoint'
import { normaliseModel } from './normalise'

const model = (id: string, extra: Record<string, unknown> = {}) =>
  normaliseModel({ id, name: id.toUpperCase(), ...extra })

const sonnet = model('anthropic/sonnet', {
  context_length: 200000,
  top_provider: { max_completion_tokens: 64000, is_moderated: true },
  pricing: {
    prompt: '0.000003',
    completion: '0.000015',
    input_cache_read: '0.0000003',
    overrides: [{ min_prompt_tokens: 200000, prompt: '0.000006' }],
  },
  supported_parameters: ['tools', 'temperature', 'reasoning'],
  reasoning: { mandatory: false, default_enabled: false, supported_efforts: ['high', 'low'] },
  benchmarks: { artificial_analysis: { intelligence_index: 61.2, coding_index: 55 } },
})
const mini = model('openai/mini', {
  context_length: 128000,
  top_provider: { max_completion_tokens: 64000, is_moderated: false },
  pricing: { prompt: '0.0000006', completion: '0.0000024', web_search: '0.01' },
  supported_parameters: ['tools', 'temperature', 'seed'],
  benchmarks: { artificial_analysis: { intelligence_index: 48 } },
})
const free = model('meta/llama:free', {
  context_length: 128000,
  pricing: { prompt: '0', completion: '0' },
  supported_parameters: ['temperature'],
})
const router = model('openrouter/auto', {
  context_length: 2000000,
  pricing: { prompt: '-1', completion: '-1' },
})

function rowOf(models: ReturnType<typeof model>[], id: string): CompareRow {
  const found = buildCompareGroups(models)
    .flatMap((g) => g.rows)
    .find((r) => r.id === id)
  if (!found) throw new Error(`no row ${id}`)
  return found
}

describe('buildCompareGroups', () => {
  it('groups rows in display order, skipping groups with nothing to show', () => {
    const ids = buildCompareGroups([sonnet, mini]).map((g) => g.id)
    expect(ids).toEqual([
      'identity',
      'limits',
      'pricing',
      'modalities',
      'parameters',
      'reasoning',
      'moderation',
      'dates',
      'benchmarks',
      'providers',
    ])
    expect(buildCompareGroups([model('x/bare'), model('y/bare')]).map((g) => g.id)).not.toContain(
      'parameters',
    )
  })

  it.each<[string, ReturnType<typeof model>[], string, { text: string[]; best: number[]; worst: number[] }]>([
    [
      'prompt: cheapest best',
      [sonnet, mini],
      'price:prompt',
      { text: ['$3.00', '$0.60'], best: [1], worst: [0] },
    ],
    ['free is cheapest', [sonnet, free], 'price:prompt', { text: ['$3.00', 'free'], best: [1], worst: [0] }],
    [
      'variable takes no part',
      [sonnet, mini, router],
      'price:completion',
      { text: ['$15.00', '$2.40', 'variable'], best: [1], worst: [0] },
    ],
    [
      'a key one model lacks reads "—", not $0',
      [sonnet, mini],
      'price:input_cache_read',
      { text: ['$0.30', '—'], best: [], worst: [] },
    ],
    [
      'per-unit price keeps its unit',
      [sonnet, mini],
      'price:web_search',
      { text: ['—', '$0.01'], best: [], worst: [] },
    ],
    [
      'longer context is better',
      [sonnet, mini],
      'context',
      { text: ['200,000', '128,000'], best: [0], worst: [1] },
    ],
    [
      'equal values mark nothing',
      [sonnet, mini],
      'maxOutput',
      { text: ['64,000', '64,000'], best: [], worst: [] },
    ],
    [
      'higher index is better',
      [sonnet, mini],
      'bench:intelligence',
      { text: ['61.2', '48'], best: [0], worst: [1] },
    ],
    ['missing score ignored', [sonnet, mini], 'bench:coding', { text: ['55', '—'], best: [], worst: [] }],
    ['moderation unknown', [sonnet, free], 'moderated', { text: ['yes', 'unknown'], best: [], worst: [] }],
  ])('%s', (_name, models, id, expected) => {
    const row = rowOf(models, id)
    expect(row.cells.map((c) => c.text)).toEqual(expected.text)
    expect({ best: row.best, worst: row.worst }).toEqual({ best: expected.best, worst: expected.worst })
  })

  it.each<[string, ReturnType<typeof model>[], string, (string | null)[] | null]>([
    ['multiple of the cheapest', [sonnet, mini], 'price:prompt', ['5x', '1x']],
    ['no multiple of free', [sonnet, free], 'price:prompt', [null, '1x']],
    ['variable has no multiple', [sonnet, mini, router], 'price:completion', ['6.3x', '1x', null]],
    ['one known price: no multiples', [sonnet, router], 'price:prompt', null],
    ['equal prices: no multiples', [free, free], 'price:prompt', null],
  ])('%s', (_name, models, id, expected) => {
    expect(rowOf(models, id).multiples).toEqual(expected)
  })

  it('shows prices per 1M with the exact per-token price as a note', () => {
    const row = rowOf([sonnet, mini], 'price:prompt')
    expect(row.unit).toBe('per 1M tokens')
    expect(row.cells[0]!.note).toBe('$0.000003 per token')
    expect(rowOf([sonnet, mini], 'price:web_search').unit).toBe('per search')
  })

  it('lists conditional price tiers only when a model has them', () => {
    expect(rowOf([sonnet, mini], 'price:tiers').cells.map((c) => c.text)).toEqual([
      'Prompts over 200K tokens: prompt $6/1M',
      'none',
    ])
    expect(buildCompareGroups([mini, free]).flatMap((g) => g.rows.map((r) => r.id))).not.toContain(
      'price:tiers',
    )
  })

  it('builds the parameter matrix from the union of parameters', () => {
    const rows = buildCompareGroups([sonnet, mini, free]).find((g) => g.id === 'parameters')!.rows
    expect(rows.map((r) => r.label)).toEqual(['reasoning', 'seed', 'temperature', 'tools'])
    expect(rows.map((r) => r.cells.map((c) => c.tick))).toEqual([
      [true, false, false],
      [false, true, false],
      [true, true, true],
      [true, true, false],
    ])
    expect(rows.map((r) => r.identical)).toEqual([false, false, true, false])
  })

  it.each<[string, ReturnType<typeof model>[], string, boolean]>([
    ['same max output', [sonnet, mini], 'maxOutput', true],
    ['different context', [sonnet, mini], 'context', false],
    ['both lack a knowledge cutoff', [sonnet, mini], 'knowledgeCutoff', true],
    ['one model is never identical', [sonnet], 'maxOutput', false],
    [
      'modalities compared as sets',
      [
        model('a/x', { architecture: { input_modalities: ['text', 'image'] } }),
        model('b/y', { architecture: { input_modalities: ['image', 'text'] } }),
      ],
      'inputModalities',
      true,
    ],
    ['free equals free', [free, free], 'price:prompt', true],
    ['unlisted differs from free', [free, mini], 'price:web_search', false],
  ])('identical: %s', (_name, models, id, identical) => {
    expect(rowOf(models, id).identical).toBe(identical)
  })

  it('says "not fetched" until providers are known, then marks them', () => {
    const before = rowOf([sonnet, mini], 'providers:count')
    expect(before.cells.map((c) => c.text)).toEqual(['not fetched', 'not fetched'])
    const rows = buildCompareGroups(
      [sonnet, mini],
      [
        {
          count: 3,
          cheapest: { provider: 'A', promptPerM: '3', completionPerM: '15', totalPerM: '18' },
          bestUptime: { provider: 'B', uptime: 99.9 },
        },
        {
          count: 1,
          cheapest: { provider: 'C', promptPerM: '0.6', completionPerM: '2.4', totalPerM: '3' },
          bestUptime: { provider: 'C', uptime: 97 },
        },
      ],
    ).find((g) => g.id === 'providers')!.rows
    expect(rows.map((r) => [r.cells.map((c) => c.text), r.best, r.worst])).toEqual([
      [['3', '1'], [0], [1]],
      [['A', 'C'], [1], [0]],
      [['99.9%', '97%'], [0], [1]],
    ])
    expect(rows[1]!.cells[1]!.note).toBe('$0.60 in · $2.40 out per 1M')
  })
})

describe('visibleGroups', () => {
  it('drops identical rows and groups left empty', () => {
    const groups = buildCompareGroups([free, free])
    const visible = visibleGroups(groups, true)
    expect(visible.flatMap((g) => g.rows).every((r) => !r.identical)).toBe(true)
    expect(visible.flatMap((g) => g.rows).length).toBeLessThan(groups.flatMap((g) => g.rows).length)
    expect(visibleGroups(groups, false)).toEqual(groups)
  })
})

const endpoint = (
  provider: string,
  prompt: string,
  completion: string,
  extra: Record<string, unknown> = {},
) =>
  normaliseEndpoint({
    provider_name: provider,
    tag: provider.toLowerCase(),
    pricing: { prompt, completion },
    ...extra,
  })

describe('summariseProviders', () => {
  it.each<[string, ReturnType<typeof endpoint>[], ReturnType<typeof summariseProviders>]>([
    ['no endpoints', [], { count: 0, cheapest: null, bestUptime: null }],
    [
      'cheapest by input + output, best uptime by day',
      [
        endpoint('A', '0.000001', '0.000004', { uptime_last_1d: 99.1 }),
        endpoint('B', '0.000002', '0.000002', { uptime_last_1d: 99.8 }),
      ],
      {
        count: 2,
        cheapest: { provider: 'B', promptPerM: '2', completionPerM: '2', totalPerM: '4' },
        bestUptime: { provider: 'B', uptime: 99.8 },
      },
    ],
    [
      'degraded endpoints are not the cheapest while others serve',
      [
        endpoint('Cheap', '0', '0', { status: -2, uptime_last_30m: 50 }),
        endpoint('Steady', '0.000001', '0.000001', { uptime_last_30m: 98 }),
      ],
      {
        count: 2,
        cheapest: { provider: 'Steady', promptPerM: '1', completionPerM: '1', totalPerM: '2' },
        bestUptime: { provider: 'Steady', uptime: 98 },
      },
    ],
    [
      'variable prices are skipped; one provider with two quantizations counts once',
      [
        endpoint('Router', '-1', '-1'),
        endpoint('Q', '0.000001', '0.000001', { tag: 'q/fp8' }),
        endpoint('Q', '0.000002', '0.000001', { tag: 'q/bf16' }),
      ],
      {
        count: 2,
        cheapest: { provider: 'Q', promptPerM: '1', completionPerM: '1', totalPerM: '2' },
        bestUptime: null,
      },
    ],
  ])('%s', (_name, rows, expected) => {
    expect(summariseProviders(rows)).toEqual(expected)
  })
})
