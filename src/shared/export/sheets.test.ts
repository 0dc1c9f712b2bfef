import { describe, expect, it } from 'vitest'
import { columnOrder } from '../model/columns'
import { diffCatalogs, type CatalogDiff } from '../model/diff'
import { normaliseModel } from '../model/normalise'
import { catalogSheet, compareSheet, exportCell, exportColumns, exportHeader } from './catalog-sheet'
import { diffSheets, diffValueCell } from './diff-sheets'
import { exportFileName, snapshotStamps } from './file-name'
import { rawModelsJson, rowsJson } from './json'
import { numberText } from './sheet'

const gpt = normaliseModel({
  id: 'openai/gpt-4o',
  name: 'OpenAI: GPT-4o',
  created: 1715558400,
  context_length: 128000,
  architecture: { input_modalities: ['text', 'image'], output_modalities: ['text'], tokenizer: 'GPT' },
  top_provider: { max_completion_tokens: 16384, is_moderated: true },
  pricing: { prompt: '0.0000025', completion: '0.00001', request: '0.005', web_search: '0.01' },
  supported_parameters: ['tools', 'max_tokens'],
  benchmarks: { artificial_analysis: { intelligence_index: 29.5 } },
})

describe('exportHeader', () => {
  it.each<[Parameters<typeof exportHeader>[0], 'per-token' | 'per-million', string]>([
    ['prompt', 'per-million', 'Prompt ($/1M tokens)'],
    ['prompt', 'per-token', 'Prompt ($/token)'],
    ['cacheRead', 'per-million', 'Cache read ($/1M tokens)'],
    ['request', 'per-million', 'Request ($/request)'],
    ['request', 'per-token', 'Request ($/request)'],
    ['webSearch', 'per-token', 'Web search ($/search)'],
    ['image', 'per-million', 'Image ($/image)'],
    ['context', 'per-million', 'Context (tokens)'],
    ['name', 'per-million', 'Name'],
  ])('%s in %s → %s', (id, unit, expected) => {
    expect(exportHeader(id, unit)).toBe(expected)
  })
})

describe('exportCell', () => {
  it.each<[Parameters<typeof exportCell>[1], unknown]>([
    ['id', 'openai/gpt-4o'],
    ['author', 'openai'],
    ['created', '2024-05-13'],
    ['context', 128000],
    ['maxOutput', 16384],
    ['prompt', 2.5],
    ['completion', 10],
    ['request', 0.005],
    ['webSearch', 0.01],
    ['cacheRead', null],
    ['inputModalities', 'text, image'],
    ['supportedParameters', 'tools, max_tokens'],
    ['moderated', true],
    ['reasoning', null],
    ['intelligenceIndex', 29.5],
    ['codingIndex', null],
  ])('%s', (id, expected) => {
    expect(exportCell(gpt, id, 'per-million')).toEqual(expected)
  })

  it('gives prices per token without float noise and variable prices as a word', () => {
    expect(exportCell(gpt, 'prompt', 'per-token')).toBe(0.0000025)
    const auto = normaliseModel({ id: 'openrouter/auto', pricing: { prompt: '-1', completion: '-1' } })
    expect(exportCell(auto, 'prompt', 'per-million')).toBe('variable')
    const odd = normaliseModel({ id: 'x/odd', pricing: { prompt: 'n/a', completion: '0' } })
    expect(exportCell(odd, 'prompt', 'per-million')).toBe('unknown')
    expect(exportCell(odd, 'completion', 'per-million')).toBe(0)
  })
})

describe('exportColumns', () => {
  it.each<[string[] | null, string[]]>([
    [null, [...columnOrder]],
    [[], [...columnOrder]],
    [['nope'], [...columnOrder]],
    [
      ['prompt', 'id', 'prompt', 'bogus'],
      ['prompt', 'id'],
    ],
  ])('%j', (requested, expected) => {
    expect(exportColumns(requested)).toEqual(expected)
  })
})

describe('catalogSheet and compareSheet', () => {
  const claude = normaliseModel({
    id: 'anthropic/claude',
    name: 'Claude',
    pricing: { prompt: '0.000003', completion: '0.000015' },
  })

  it('has one row per model in the given order', () => {
    const sheet = catalogSheet([claude, gpt], ['id', 'prompt'], 'per-million')
    expect(sheet.columns.map((c) => [c.header, c.numeric])).toEqual([
      ['ID', false],
      ['Prompt ($/1M tokens)', true],
    ])
    expect(sheet.rows).toEqual([
      ['anthropic/claude', 3],
      ['openai/gpt-4o', 2.5],
    ])
  })

  it('compare: one row per field, one column per model', () => {
    const sheet = compareSheet([gpt, claude], ['name', 'prompt', 'context'], 'per-million')
    expect(sheet.columns.map((c) => c.header)).toEqual(['Field', 'openai/gpt-4o', 'anthropic/claude'])
    expect(sheet.rows).toEqual([
      ['Name', 'OpenAI: GPT-4o', 'Claude'],
      ['Prompt ($/1M tokens)', 2.5, 3],
      ['Context (tokens)', 128000, null],
    ])
  })
})

describe('diffSheets', () => {
  const before = [
    { id: 'a/kept', name: 'Kept', pricing: { prompt: '0.000001' }, supported_parameters: ['tools'] },
    { id: 'a/gone', name: 'Gone' },
  ]
  const after = [
    { id: 'a/kept', name: 'Kept', pricing: { prompt: '0.000002' }, supported_parameters: ['tools', 'seed'] },
    { id: 'a/new', name: 'New' },
  ]
  const diff: CatalogDiff = diffCatalogs(before, after)

  it('lists each changed field with its from and to, and added and removed models', () => {
    const sheets = diffSheets(diff, new Map([['a/kept', 'Kept']]))
    expect(sheets.changes.rows).toEqual([
      ['a/kept', 'Kept', 'pricing.prompt', 'pricing', '0.000001', '0.000002'],
      ['a/kept', 'Kept', 'supported_parameters', 'parameters', '["tools"]', '["tools","seed"]'],
    ])
    expect(sheets.added.rows).toEqual([['a/new', 'New']])
    expect(sheets.removed.rows).toEqual([['a/gone', 'Gone']])
    expect(sheets.combined.columns.map((c) => c.key)).toEqual([
      'change',
      'id',
      'name',
      'field',
      'group',
      'from',
      'to',
    ])
    expect(sheets.combined.rows.map((r) => [r[0], r[1], r[3]])).toEqual([
      ['added', 'a/new', null],
      ['removed', 'a/gone', null],
      ['changed', 'a/kept', 'pricing.prompt'],
      ['changed', 'a/kept', 'supported_parameters'],
    ])
  })

  it.each<[unknown, unknown]>([
    [undefined, null],
    [null, null],
    ['0.000003', '0.000003'],
    [128000, 128000],
    [false, false],
    [['text', 'image'], '["text","image"]'],
    [{ a: 1 }, '{"a":1}'],
  ])('diffValueCell(%j) → %j', (value, expected) => {
    expect(diffValueCell(value)).toEqual(expected)
  })
})

describe('json', () => {
  it('raw JSON is a /models body holding the very records', () => {
    const records = [{ id: 'x/y', unknown_future_field: { deep: [1, 2] } }]
    expect(JSON.parse(rawModelsJson(records))).toEqual({ data: records })
  })

  it('rows JSON keys cells by column id and states the unit', () => {
    const doc = JSON.parse(
      rowsJson(catalogSheet([gpt], ['id', 'prompt', 'cacheRead'], 'per-token'), 'per-token'),
    )
    expect(doc.unit).toBe('per-token')
    expect(doc.rows).toEqual([{ id: 'openai/gpt-4o', prompt: 0.0000025, cacheRead: null }])
    expect(doc.columns[1]).toEqual({ id: 'prompt', header: 'Prompt ($/token)' })
  })
})

describe('numberText', () => {
  it.each<[number, string]>([
    [0, '0'],
    [-1, '-1'],
    [2.5, '2.5'],
    [1.5e-7, '0.00000015'],
    [7.86e-8, '0.0000000786'],
    [1e21, '1000000000000000000000'],
  ])('%d → %s', (n, text) => {
    expect(numberText(n)).toBe(text)
  })
})

describe('exportFileName', () => {
  it.each<[Parameters<typeof exportFileName>[0], string]>([
    [
      { what: 'catalog', format: 'csv', takenAt: '2026-11-26T10:00:00.000Z' },
      'openrouter-models-2026-11-26.csv',
    ],
    [
      { what: 'selection', format: 'json', takenAt: '2026-11-26T10:00:00Z' },
      'openrouter-selection-2026-11-26.json',
    ],
    [
      { what: 'snapshot', format: 'xlsx', takenAt: '2026-08-19T10:00:00Z' },
      'openrouter-snapshot-2026-08-19.xlsx',
    ],
    [
      { what: 'diff', format: 'md', takenAt: '2026-08-19T10:00:00Z', againstTakenAt: '2026-05-16T09:00:00Z' },
      'openrouter-diff-2026-05-16-2026-08-19.md',
    ],
    [
      {
        what: 'compare',
        format: 'xlsx',
        takenAt: '2026-08-19T10:00:00Z',
        modelIds: ['openai/gpt-4o', 'anthropic/claude-sonnet-4'],
      },
      'openrouter-compare-gpt-4o-vs-claude-sonnet-4-2026-08-19.xlsx',
    ],
    [
      {
        what: 'compare',
        format: 'csv',
        takenAt: '2026-08-19T10:00:00Z',
        modelIds: ['a/one', 'b/two', 'c/three', 'd/four', 'e/five'],
      },
      'openrouter-compare-one-vs-two-vs-three-and-2-more-2026-08-19.csv',
    ],
    [
      { what: 'compare', format: 'md', takenAt: '2026-08-19T10:00:00Z', modelIds: ['~weird/../../etc:free'] },
      'openrouter-compare-etc-free-2026-08-19.md',
    ],
  ])('%j', (opts, name) => {
    expect(exportFileName(opts)).toBe(name)
  })

  it('adds the time when both sides of a diff are from the same day', () => {
    expect(snapshotStamps('2026-08-19T09:05:00Z', '2026-08-19T17:30:00Z')).toEqual([
      '2026-08-19-0905',
      '2026-08-19-1730',
    ])
  })
})
