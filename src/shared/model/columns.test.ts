import { describe, expect, it } from 'vitest'
import { columnHeader, columnOrder, columns, isColumnId, type ColumnId } from './columns'
import { normaliseModel } from './normalise'

const sonnet = normaliseModel({
  id: 'anthropic/claude-sonnet-4.6',
  name: 'Anthropic: Claude Sonnet 4.6',
  created: 1771342990,
  context_length: 1000000,
  architecture: { input_modalities: ['text', 'image'], output_modalities: ['text'], tokenizer: 'Claude' },
  pricing: {
    prompt: '0.000003',
    completion: '0.000015',
    input_cache_read: '0.0000003',
    web_search: '0.01',
    request: '0',
  },
  top_provider: { max_completion_tokens: 128000, is_moderated: true },
  supported_parameters: ['tools', 'reasoning'],
  reasoning: { mandatory: false },
  knowledge_cutoff: '2025-08-31',
  benchmarks: { artificial_analysis: { intelligence_index: 51.66, coding_index: null, agentic_index: 60 } },
})
const free = normaliseModel({
  id: 'meta/llama:free',
  pricing: { prompt: '0', completion: '0' },
  context_length: 0,
})
const router = normaliseModel({
  id: 'openrouter/auto',
  pricing: { prompt: '-1', completion: '-1' },
  reasoning: { mandatory: true },
})

describe('columns', () => {
  it.each<[ColumnId, string, string | number | null, string]>([
    ['name', 'Name', 'Anthropic: Claude Sonnet 4.6', 'Anthropic: Claude Sonnet 4.6'],
    ['id', 'ID', 'anthropic/claude-sonnet-4.6', 'anthropic/claude-sonnet-4.6'],
    ['author', 'Author', 'anthropic', 'anthropic'],
    ['created', 'Added', 1771342990, '2026-02-17'],
    ['context', 'Context tokens', 1000000, '1,000,000'],
    ['maxOutput', 'Max output tokens', 128000, '128,000'],
    ['prompt', 'Prompt $/1M', '0.000003', '$3.00'],
    ['completion', 'Completion $/1M', '0.000015', '$15.00'],
    ['cacheRead', 'Cache read $/1M', '0.0000003', '$0.30'],
    ['cacheWrite', 'Cache write $/1M', null, '—'],
    ['reasoningPrice', 'Reasoning $/1M', null, '—'],
    ['image', 'Image $/image', null, '—'],
    ['request', 'Request $/request', '0', '$0'],
    ['webSearch', 'Web search $/search', '0.01', '$0.01'],
    ['inputModalities', 'Input', 2, 'text, image'],
    ['outputModalities', 'Output', 1, 'text'],
    ['tokenizer', 'Tokenizer', 'Claude', 'Claude'],
    ['moderated', 'Moderated', 1, 'yes'],
    ['supportedParameters', 'Parameters', 2, 'tools, reasoning'],
    ['reasoning', 'Reasoning', 1, 'optional'],
    ['knowledgeCutoff', 'Knowledge cutoff', '2025-08-31', '2025-08-31'],
    ['expirationDate', 'Expires', null, '—'],
    ['intelligenceIndex', 'Intelligence', 51.66, '51.7'],
    ['codingIndex', 'Coding', null, '—'],
    ['agenticIndex', 'Agentic', 60, '60'],
  ])('%s', (id, header, sortValue, display) => {
    expect(columnHeader(id)).toBe(header)
    expect(columns[id].sortValue(sonnet)).toEqual(sortValue)
    expect(columns[id].display(sonnet)).toBe(display)
  })

  it.each<[ColumnId, typeof free, string | number | null, string]>([
    ['prompt', free, '0', 'free'],
    ['completion', free, '0', 'free'],
    ['context', free, 0, '0'],
    ['prompt', router, null, 'variable'],
    ['completion', router, null, 'variable'],
    ['reasoning', router, 2, 'always on'],
    ['moderated', router, null, '—'],
    ['tokenizer', router, null, '—'],
    ['inputModalities', router, 0, '—'],
  ])('%s of %o', (id, model, sortValue, display) => {
    expect(columns[id].sortValue(model)).toEqual(sortValue)
    expect(columns[id].display(model)).toBe(display)
  })

  it('lists every column once, in order', () => {
    expect(columnOrder).toHaveLength(25)
    expect(new Set(columnOrder).size).toBe(25)
    for (const id of columnOrder) expect(columns[id].id).toBe(id)
    expect(isColumnId('prompt')).toBe(true)
    expect(isColumnId('toString')).toBe(false)
  })
})
