import { describe, expect, it } from 'vitest'
import { applyFilter, emptyFilter, filterChips, parseFilter, removeChip, type CatalogFilter } from './filter'
import { normaliseModel } from './normalise'

const model = (id: string, patch: Record<string, unknown> = {}) =>
  normaliseModel({
    id,
    context_length: 128000,
    architecture: { input_modalities: ['text'], output_modalities: ['text'], tokenizer: 'GPT' },
    pricing: { prompt: '0.000003', completion: '0.000015' },
    top_provider: { is_moderated: false },
    supported_parameters: ['max_tokens'],
    ...patch,
  })

const catalog = [
  model('openai/gpt-4o', {
    architecture: {
      input_modalities: ['text', 'image', 'file'],
      output_modalities: ['text'],
      tokenizer: 'GPT',
    },
    top_provider: { is_moderated: true },
    supported_parameters: ['tools', 'max_tokens', 'response_format'],
  }),
  model('anthropic/claude', {
    context_length: 1000000,
    architecture: { input_modalities: ['text', 'image'], output_modalities: ['text'], tokenizer: 'Claude' },
    supported_parameters: ['tools', 'reasoning'],
    reasoning: { mandatory: false },
  }),
  model('meta/llama:free', { pricing: { prompt: '0', completion: '0' }, context_length: 8192 }),
  model('openrouter/auto', { pricing: { prompt: '-1', completion: '-1' }, context_length: 2000000 }),
  model('google/imagen', {
    context_length: 0,
    architecture: { input_modalities: ['text'], output_modalities: ['image'], tokenizer: null },
    pricing: { prompt: '0.0000030', completion: '0.00004', image_output: '0.04' },
    expiration_date: '2026-09-01',
  }),
  model('x/cheap', {
    pricing: { prompt: '0.0000001', completion: '0.0000004' },
    context_length: null,
    expiration_date: '2098-12-31',
  }),
]

const now = new Date('2026-08-20T12:00:00Z')
const ids = (filter: Partial<CatalogFilter>) =>
  applyFilter(catalog, { ...emptyFilter(), ...filter }, now).map((m) => m.id)

describe('applyFilter', () => {
  it.each<[string, Partial<CatalogFilter>, string[]]>([
    ['empty filter keeps all', {}, catalog.map((m) => m.id)],
    ['input all-of', { inputModalities: ['image', 'text'] }, ['openai/gpt-4o', 'anthropic/claude']],
    ['input all-of, stricter', { inputModalities: ['image', 'file'] }, ['openai/gpt-4o']],
    ['output', { outputModalities: ['image'] }, ['google/imagen']],
    [
      'min context excludes unknown',
      { minContext: 128000 },
      ['openai/gpt-4o', 'anthropic/claude', 'openrouter/auto'],
    ],
    [
      'min context 0 keeps 0',
      { minContext: 0 },
      catalog.filter((m) => m.contextLength !== null).map((m) => m.id),
    ],
    [
      'max prompt: exact boundary, variable excluded',
      { maxPromptPerM: 3 },
      ['openai/gpt-4o', 'anthropic/claude', 'meta/llama:free', 'google/imagen', 'x/cheap'],
    ],
    ['max prompt below', { maxPromptPerM: 2.99 }, ['meta/llama:free', 'x/cheap']],
    ['max prompt 0', { maxPromptPerM: 0 }, ['meta/llama:free']],
    [
      'max completion',
      { maxCompletionPerM: 15 },
      ['openai/gpt-4o', 'anthropic/claude', 'meta/llama:free', 'x/cheap'],
    ],
    ['free only', { freeOnly: true }, ['meta/llama:free']],
    [
      'hide variable',
      { hideVariable: true },
      catalog.filter((m) => m.id !== 'openrouter/auto').map((m) => m.id),
    ],
    ['params all', { params: { mode: 'all', values: ['tools', 'reasoning'] } }, ['anthropic/claude']],
    [
      'params any',
      { params: { mode: 'any', values: ['response_format', 'reasoning'] } },
      ['openai/gpt-4o', 'anthropic/claude'],
    ],
    ['authors', { authors: ['openai', 'meta'] }, ['openai/gpt-4o', 'meta/llama:free']],
    ['tokenizers', { tokenizers: ['Claude'] }, ['anthropic/claude']],
    ['moderated', { moderated: true }, ['openai/gpt-4o']],
    ['not moderated', { moderated: false }, catalog.filter((m) => m.id !== 'openai/gpt-4o').map((m) => m.id)],
    ['reasoning', { reasoning: true }, ['anthropic/claude']],
    [
      'no reasoning',
      { reasoning: false },
      catalog.filter((m) => m.id !== 'anthropic/claude').map((m) => m.id),
    ],
    [
      'expiring within 30 days',
      { hideExpiringWithinDays: 30 },
      catalog.filter((m) => m.id !== 'google/imagen').map((m) => m.id),
    ],
    ['expiring within 5 days', { hideExpiringWithinDays: 5 }, catalog.map((m) => m.id)],
    [
      'expiring within 12 days',
      { hideExpiringWithinDays: 12 },
      catalog.filter((m) => m.id !== 'google/imagen').map((m) => m.id),
    ],
    ['combined', { freeOnly: true, minContext: 10000 }, []],
  ])('%s', (_name, filter, expected) => {
    expect(ids(filter)).toEqual(expected)
  })

  it('excludes a model whose long-context tier is variable once a price limit is set', () => {
    const tiered = model('a/tiered', {
      pricing: {
        prompt: '0.000001',
        completion: '0.000001',
        overrides: [{ min_prompt_tokens: 1, prompt: '-1' }],
      },
    })
    expect(applyFilter([tiered], { ...emptyFilter(), maxPromptPerM: 100 }, now)).toEqual([])
    expect(applyFilter([tiered], emptyFilter(), now)).toHaveLength(1)
  })
})

describe('applyFilter with the starred ids', () => {
  const starredIds = (filter: Partial<CatalogFilter>, starred?: string[]) =>
    applyFilter(catalog, { ...emptyFilter(), ...filter }, now, starred && new Set(starred)).map((m) => m.id)

  it.each<[string, Partial<CatalogFilter>, string[] | undefined, string[]]>([
    [
      'starred only keeps the starred, in catalog order',
      { starredOnly: true },
      ['x/cheap', 'openai/gpt-4o'],
      ['openai/gpt-4o', 'x/cheap'],
    ],
    ['starred only with nothing starred shows none', { starredOnly: true }, [], []],
    ['starred only with no ids given shows none', { starredOnly: true }, undefined, []],
    [
      'a starred id not in the catalog adds nothing',
      { starredOnly: true },
      ['gone/model', 'meta/llama:free'],
      ['meta/llama:free'],
    ],
    [
      'with another condition both must hold',
      { starredOnly: true, freeOnly: true },
      ['openai/gpt-4o', 'meta/llama:free'],
      ['meta/llama:free'],
    ],
    ['off: the stars change nothing', {}, ['openai/gpt-4o'], catalog.map((m) => m.id)],
  ])('%s', (_name, filter, starred, expected) => {
    expect(starredIds(filter, starred)).toEqual(expected)
  })
})

describe('filterChips / removeChip', () => {
  const full: CatalogFilter = {
    inputModalities: ['image'],
    outputModalities: ['text'],
    minContext: 128000,
    maxPromptPerM: 3,
    maxCompletionPerM: 22.5,
    freeOnly: true,
    params: { mode: 'any', values: ['tools', 'seed'] },
    authors: ['openai'],
    tokenizers: ['GPT'],
    moderated: false,
    reasoning: true,
    hideExpiringWithinDays: 30,
    hideVariable: true,
    starredOnly: true,
  }

  it('labels every active condition', () => {
    expect(filterChips(full)).toEqual([
      { key: 'starredOnly', label: 'Starred only' },
      { key: 'inputModalities:image', label: 'Input: image' },
      { key: 'outputModalities:text', label: 'Output: text' },
      { key: 'minContext', label: 'Context ≥ 128K' },
      { key: 'maxPromptPerM', label: 'Prompt ≤ $3/1M' },
      { key: 'maxCompletionPerM', label: 'Completion ≤ $22.5/1M' },
      { key: 'freeOnly', label: 'Free only' },
      { key: 'params:tools', label: 'Any parameter: tools' },
      { key: 'params:seed', label: 'Any parameter: seed' },
      { key: 'authors:openai', label: 'Author: openai' },
      { key: 'tokenizers:GPT', label: 'Tokenizer: GPT' },
      { key: 'moderated', label: 'Not moderated' },
      { key: 'reasoning', label: 'Reasoning' },
      { key: 'hideExpiringWithinDays', label: 'Hide expiring within 30 days' },
      { key: 'hideVariable', label: 'Hide variable price' },
    ])
    expect(filterChips(emptyFilter())).toEqual([])
  })

  it.each<[string, Partial<CatalogFilter>]>([
    ['inputModalities:image', { inputModalities: [] }],
    ['outputModalities:text', { outputModalities: [] }],
    ['minContext', { minContext: null }],
    ['maxPromptPerM', { maxPromptPerM: null }],
    ['maxCompletionPerM', { maxCompletionPerM: null }],
    ['freeOnly', { freeOnly: false }],
    ['params:tools', { params: { mode: 'any', values: ['seed'] } }],
    ['authors:openai', { authors: [] }],
    ['tokenizers:GPT', { tokenizers: [] }],
    ['moderated', { moderated: null }],
    ['reasoning', { reasoning: null }],
    ['hideExpiringWithinDays', { hideExpiringWithinDays: null }],
    ['hideVariable', { hideVariable: false }],
    ['starredOnly', { starredOnly: false }],
    ['nonsense', {}],
    ['authors:nobody', {}],
  ])('removing %s changes only that', (key, change) => {
    const before = structuredClone(full)
    expect(removeChip(full, key)).toEqual({ ...full, ...change })
    expect(full).toEqual(before)
  })

  it('removing every chip leaves an empty filter', () => {
    const cleared = filterChips(full).reduce((f, chip) => removeChip(f, chip.key), full)
    expect(filterChips(cleared)).toEqual([])
    expect(cleared).toEqual({ ...emptyFilter(), params: { mode: 'any', values: [] } })
  })
})

describe('parseFilter', () => {
  it.each<[string, unknown, CatalogFilter]>([
    ['nothing', undefined, emptyFilter()],
    [
      'a full filter',
      { ...emptyFilter(), minContext: 1000, authors: ['x'] },
      { ...emptyFilter(), minContext: 1000, authors: ['x'] },
    ],
    [
      'broken parts fall back',
      { minContext: -5, authors: 'x', params: { mode: 'some' }, freeOnly: 'yes' },
      emptyFilter(),
    ],
    ['unknown keys dropped', { surprise: 1, hideVariable: true }, { ...emptyFilter(), hideVariable: true }],
    [
      'a view saved before stars keeps its conditions, starred off',
      { freeOnly: true, authors: ['x'] },
      { ...emptyFilter(), freeOnly: true, authors: ['x'] },
    ],
    ['starred only read back', { starredOnly: true }, { ...emptyFilter(), starredOnly: true }],
    ['a broken starred flag is off', { starredOnly: 'yes' }, emptyFilter()],
  ])('%s', (_name, input, expected) => {
    expect(parseFilter(input)).toEqual(expected)
  })
})
