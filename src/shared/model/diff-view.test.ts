import { describe, expect, it } from 'vitest'
import { parsePrice, type Price } from '../pricing/price'
import { diffCatalogs, type ChangedModel, type DiffGroup, type FieldChange } from './diff'
import {
  describeChange,
  describeModelChanges,
  fieldLabel,
  filterChanged,
  filterRecords,
  formatPercent,
  formatValue,
  groupCounts,
  percentChange,
  recordPriceSummary,
} from './diff-view'
import type { RawModel } from './raw'

const change = (from: unknown, to: unknown, group: DiffGroup): FieldChange => ({ from, to, group })

describe('percentChange', () => {
  it.each<[string, unknown, unknown, number | null]>([
    ['a rise', '0.0000025', '0.000003', 20],
    ['a cut', '0.000003', '0.000002', -33.33333333333333],
    ['same value, different text', '0.0000030', '0.000003', 0],
    ['from free', '0', '0.000001', null],
    ['to free', '0.000001', '0', -100],
    ['from a missing key', undefined, '0.000001', null],
    ['variable', '-1', '0.000001', null],
    ['unreadable', 'abc', '0.000001', null],
  ])('%s', (_name, from, to, expected) => {
    const result = percentChange(parsePrice(from), parsePrice(to))
    if (expected === null) expect(result).toBeNull()
    else expect(result).toBeCloseTo(expected, 10)
  })

  it('is exact where floating point is not', () => {
    const from: Price = { kind: 'fixed', value: '0.0000001' }
    const to: Price = { kind: 'fixed', value: '0.0000003' }
    expect(percentChange(from, to)).toBe(200)
  })
})

describe('formatPercent', () => {
  it.each<[number, string]>([
    [20, '+20%'],
    [-33.333, '−33%'],
    [2.5, '+2.5%'],
    [-2.04, '−2%'],
    [0.04, '0%'],
    [0, '0%'],
    [-100, '−100%'],
    [150.4, '+150%'],
  ])('%d → %s', (value, text) => expect(formatPercent(value)).toBe(text))
})

describe('fieldLabel', () => {
  it.each<[string, string]>([
    ['pricing.prompt', 'Prompt price'],
    ['pricing.input_cache_read', 'Cache read price'],
    ['pricing.some_new_key', 'Price: some_new_key'],
    ['top_provider.max_completion_tokens', 'Max output tokens'],
    ['default_parameters.top_p', 'Default top p'],
    ['reasoning.supported_efforts', 'Reasoning: supported efforts'],
    ['brand_new.field', 'brand_new.field'],
    ['brand_new_field', 'Brand new field'],
    ['reasoning', 'Reasoning'],
  ])('%s → %s', (path, label) => expect(fieldLabel(path)).toBe(label))
})

describe('formatValue', () => {
  it.each<[unknown, string, string]>([
    [undefined, '', '—'],
    [null, '', 'null'],
    [true, '', 'yes'],
    [128000, 'context_length', '128,000'],
    [0.7, 'default_parameters.temperature', '0.7'],
    [1715558400, 'created', '2024-05-13'],
    ['2026-09-01', 'expiration_date', '2026-09-01'],
    [['text', 'image'], '', 'text, image'],
    [[], '', '(none)'],
    [{ mandatory: true, effort: 'high' }, 'reasoning', 'mandatory: yes, effort: high'],
    [{ a: { b: 1 } }, '', '{"a":{"b":1}}'],
    [{}, '', '{}'],
  ])('%j → %s', (value, path, text) => expect(formatValue(value, path)).toBe(text))
})

describe('describeChange', () => {
  it('shows prices per 1M tokens with the % change and a bad tone for a rise', () => {
    const view = describeChange('pricing.prompt', change('0.0000025', '0.000003', 'pricing'))
    expect(view).toMatchObject({
      label: 'Prompt price',
      kind: 'price',
      from: '$2.50 / 1M tokens',
      to: '$3.00 / 1M tokens',
      tone: 'bad',
    })
    expect(view.percent).toBeCloseTo(20, 10)
  })

  it.each<[string, string, unknown, unknown, string, string, 'good' | 'bad' | 'neutral']>([
    ['a cut is good', 'prompt', '0.00001', '0.000005', '$10.00 / 1M tokens', '$5.00 / 1M tokens', 'good'],
    [
      'per-request prices keep their unit',
      'request',
      '0.005',
      '0.01',
      '$0.005 / request',
      '$0.01 / request',
      'bad',
    ],
    ['web search is per search', 'web_search', '0.01', '0.02', '$0.01 / search', '$0.02 / search', 'bad'],
    [
      'a key that disappeared reads as free',
      'completion',
      '0.000001',
      undefined,
      '$1.00 / 1M tokens',
      '— (free)',
      'good',
    ],
    ['a router becoming variable', 'prompt', '0.000001', '-1', '$1.00 / 1M tokens', 'variable', 'neutral'],
  ])('%s', (_name, key, from, to, fromText, toText, tone) => {
    const view = describeChange(`pricing.${key}`, change(from, to, 'pricing'))
    expect([view.from, view.to, view.tone]).toEqual([fromText, toText, tone])
  })

  it('describes price tiers in words', () => {
    const tiers = [{ min_prompt_tokens: 200000, prompt: '0.000006' }]
    const view = describeChange('pricing.overrides', change(undefined, tiers, 'pricing'))
    expect(view.from).toBe('—')
    expect(view.to).toBe('Prompts over 200K tokens: prompt $6/1M')
  })

  it('lists the items added to and removed from a set', () => {
    const view = describeChange(
      'supported_parameters',
      change(['tools', 'logprobs', 'seed'], ['seed', 'tools', 'structured_outputs'], 'parameters'),
    )
    expect(view).toMatchObject({ kind: 'list', added: ['structured_outputs'], removed: ['logprobs'] })
  })

  it('treats a list appearing as every item added', () => {
    const view = describeChange(
      'architecture.input_modalities',
      change(undefined, ['text', 'audio'], 'modalities'),
    )
    expect(view).toMatchObject({ kind: 'list', added: ['text', 'audio'], removed: [] })
  })

  it('gives context changes a % and a good tone when the window grows', () => {
    const view = describeChange('context_length', change(128000, 200000, 'context'))
    expect(view).toMatchObject({
      kind: 'number',
      from: '128,000',
      to: '200,000',
      percent: 56.25,
      tone: 'good',
    })
  })

  it('marks descriptions and long strings as text to expand', () => {
    expect(describeChange('description', change('Old.', 'New.', 'description')).kind).toBe('text')
    expect(describeChange('name', change('a'.repeat(200), 'b', 'other')).kind).toBe('text')
    expect(describeChange('name', change('A', 'B', 'other')).kind).toBe('value')
  })
})

describe('describeModelChanges', () => {
  it('orders fields by group, then by path', () => {
    const model: ChangedModel = {
      id: 'x/y',
      groups: ['description', 'pricing', 'context'],
      fields: {
        description: change('a', 'b', 'description'),
        'pricing.prompt': change('1', '2', 'pricing'),
        'pricing.completion': change('1', '2', 'pricing'),
        context_length: change(1, 2, 'context'),
      },
    }
    expect(describeModelChanges(model).map((v) => v.path)).toEqual([
      'pricing.completion',
      'pricing.prompt',
      'context_length',
      'description',
    ])
  })
})

const record = (id: string, patch: Record<string, unknown> = {}): RawModel => ({
  id,
  name: id.toUpperCase(),
  description: 'd',
  context_length: 1000,
  pricing: { prompt: '0.000001', completion: '0.000002' },
  ...patch,
})

describe('filterChanged', () => {
  const before = [record('a/one'), record('b/two'), record('c/three')]
  const after = [
    record('a/one', { pricing: { prompt: '0.000002', completion: '0.000002' }, description: 'new' }),
    record('b/two', { context_length: 2000 }),
    record('c/three', { name: 'Special Name' }),
  ]
  const { changed } = diffCatalogs(before, after)
  const names = new Map(after.map((m) => [m.id, m.name as string]))

  it.each<[string, DiffGroup[], string, string[]]>([
    ['no filter keeps all', [], '', ['a/one', 'b/two', 'c/three']],
    ['one group', ['pricing'], '', ['a/one']],
    ['two groups', ['pricing', 'context'], '', ['a/one', 'b/two']],
    ['text on id', [], 'TWO', ['b/two']],
    ['text on name', [], 'special', ['c/three']],
    ['group and text', ['context'], 'one', []],
  ])('%s', (_name, groups, text, ids) => {
    expect(filterChanged(changed, { groups, text }, names).map((m) => m.id)).toEqual(ids)
  })

  it('keeps only the fields of the chosen groups', () => {
    const [one] = filterChanged(changed, { groups: ['pricing'], text: '' })
    expect(Object.keys(one!.fields)).toEqual(['pricing.prompt'])
    expect(one!.groups).toEqual(['pricing'])
  })

  it('counts models per group', () => {
    expect(groupCounts(changed)).toMatchObject({ pricing: 1, description: 1, context: 1, other: 1, dates: 0 })
  })
})

describe('filterRecords', () => {
  it('matches id or name, case-insensitively', () => {
    const records = [record('openai/gpt-4o', { name: 'GPT-4o' }), record('x/y', { name: 'Mistral' })]
    expect(filterRecords(records, 'mistral').map((m) => m.id)).toEqual(['x/y'])
    expect(filterRecords(records, 'OPENAI').map((m) => m.id)).toEqual(['openai/gpt-4o'])
    expect(filterRecords(records, '  ')).toHaveLength(2)
  })
})

describe('recordPriceSummary', () => {
  it.each<[Record<string, unknown>, string]>([
    [{ prompt: '0.000003', completion: '0.000015' }, '$3.00 / 1M tokens in · $15.00 / 1M tokens out'],
    [{ prompt: '0', completion: '0' }, 'free'],
    [{ prompt: '-1', completion: '-1' }, 'variable in · variable out'],
  ])('%j', (pricing, text) => expect(recordPriceSummary(record('a/b', { pricing }))).toBe(text))
})
