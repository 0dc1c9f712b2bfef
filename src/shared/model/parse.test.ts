import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { parseEndpointsBody, parseModelsBody } from './parse'

const fixture = (name: string): unknown =>
  JSON.parse(
    gunzipSync(
      readFileSync(new URL(`../../../test/fixtures/openrouter/${name}`, import.meta.url)),
    ).toString(),
  )

const good = {
  id: 'openai/gpt-4o',
  name: 'OpenAI: GPT-4o',
  pricing: { prompt: '0.0000025', completion: '0.00001' },
}

describe('parseModelsBody: body shape', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['an array', [good]],
    ['a string', 'data'],
    ['no data', { models: [good] }],
    ['data not an array', { data: { 0: good } }],
    ['an error body', { error: { code: 401, message: 'Missing Authentication header' } }],
  ])('throws on %s', (_name, body) => {
    expect(() => parseModelsBody(body)).toThrow(/"data" array/)
  })

  it.each<[string, unknown, number | null]>([
    ['data only (May 2026 shape)', { data: [good] }, null],
    ['with total_count and links', { data: [good], total_count: 1, links: { next: null } }, 1],
    ['total_count of the wrong type', { data: [good], total_count: '1' }, null],
  ])('accepts %s', (_name, body, totalCount) => {
    const parsed = parseModelsBody(body)
    expect(parsed.models).toHaveLength(1)
    expect(parsed.totalCount).toBe(totalCount)
  })
})

describe('parseModelsBody: records', () => {
  it.each<[string, unknown, string]>([
    ['not an object', 'openai/gpt-4o', '#0: not an object'],
    ['null', null, '#0: not an object'],
    ['an array', [good], '#0: not an object'],
    ['no id', { name: 'x' }, '#0: id: '],
    ['empty id', { id: '' }, '#0: id: expected a non-empty id'],
    ['numeric id', { id: 42 }, '#0: id: '],
    ['name not a string', { id: 'a/b', name: 7 }, '#0 (a/b): name: '],
    ['pricing not an object', { id: 'a/b', pricing: '0.1' }, '#0 (a/b): pricing: '],
    ['price null', { id: 'a/b', pricing: { prompt: null } }, '#0 (a/b): pricing.prompt: expected a price'],
    ['price an object', { id: 'a/b', pricing: { completion: { usd: 1 } } }, '#0 (a/b): pricing.completion: '],
    [
      'override price bad',
      { id: 'a/b', pricing: { overrides: [{ prompt: [] }] } },
      '#0 (a/b): pricing.overrides.0.prompt',
    ],
    ['overrides not an array', { id: 'a/b', pricing: { overrides: {} } }, '#0 (a/b): pricing.overrides: '],
    ['context_length a string', { id: 'a/b', context_length: '128000' }, '#0 (a/b): context_length: '],
    ['architecture a string', { id: 'a/b', architecture: 'text->text' }, '#0 (a/b): architecture: '],
    [
      'modality not strings',
      { id: 'a/b', architecture: { input_modalities: [1] } },
      'architecture.input_modalities.0',
    ],
    [
      'parameters not an array',
      { id: 'a/b', supported_parameters: 'tools' },
      '#0 (a/b): supported_parameters',
    ],
    ['moderated a string', { id: 'a/b', top_provider: { is_moderated: 'no' } }, 'top_provider.is_moderated'],
    ['reasoning a boolean', { id: 'a/b', reasoning: true }, '#0 (a/b): reasoning: '],
  ])('skips a record that is %s', (_name, record, reason) => {
    const parsed = parseModelsBody({ data: [record] })
    expect(parsed.models).toEqual([])
    expect(parsed.skipped).toBe(1)
    expect(parsed.skippedReasons[0]).toContain(reason)
  })

  it.each<[string, Record<string, unknown>]>([
    ['unknown fields', { ...good, brand_new: { nested: [1, 2] } }],
    ['numeric prices', { id: 'a/b', pricing: { prompt: 0.000001, completion: 0 } }],
    ['the -1 sentinel', { id: 'openrouter/auto', pricing: { prompt: '-1', completion: '-1' } }],
    ['context_length 0', { id: 'a/b', context_length: 0 }],
    ['context_length null', { id: 'a/b', context_length: null }],
    ['empty hugging_face_id', { id: 'a/b', hugging_face_id: '' }],
    ['new modality values', { id: 'a/b', architecture: { output_modalities: ['decisions'] } }],
    ['unknown pricing keys of any type', { id: 'a/b', pricing: { future: { tiers: [] } } }],
    ['only an id', { id: 'a/b' }],
    [
      'Dec 2025 zero keys',
      { id: 'a/b', pricing: { prompt: '0', completion: '0', request: '0', image: '0' } },
    ],
  ])('keeps a record with %s, as the same object', (_name, record) => {
    const parsed = parseModelsBody({ data: [record] })
    expect(parsed.skipped).toBe(0)
    expect(parsed.models[0]).toBe(record)
  })

  it('keeps the first of duplicate ids and reports the rest', () => {
    const first = { id: 'a/b', name: 'first' }
    const parsed = parseModelsBody({ data: [first, { id: 'c/d' }, { id: 'a/b', name: 'second' }] })
    expect(parsed.models.map((m) => m.id)).toEqual(['a/b', 'c/d'])
    expect(parsed.models[0]).toBe(first)
    expect(parsed.skippedReasons).toEqual(['#2 (a/b): duplicate id, first one kept'])
  })

  it('reports every skipped record and keeps the good ones in order', () => {
    const parsed = parseModelsBody({ data: [1, good, { id: 'x/y', name: null }, { id: 'z/z' }] })
    expect(parsed.models.map((m) => m.id)).toEqual(['openai/gpt-4o', 'z/z'])
    expect(parsed.skipped).toBe(2)
    expect(parsed.skippedReasons).toEqual([
      '#0: not an object',
      '#2 (x/y): name: expected string, received null',
    ])
  })

  it.each([
    ['models-all-2026-08-19.json.gz', 549, 549],
    ['models-2026-05-16.json.gz', 356, null],
  ])('reads the real snapshot %s in full', (name, count, totalCount) => {
    const parsed = parseModelsBody(fixture(name))
    expect(parsed.skippedReasons).toEqual([])
    expect(parsed.models).toHaveLength(count)
    expect(parsed.totalCount).toBe(totalCount)
  })
})

type EndpointsFixture = { data: { modelId: string; endpointCount: number; response: unknown }[] }

describe('parseEndpointsBody', () => {
  const endpoint = {
    provider_name: 'OpenAI',
    tag: 'openai',
    pricing: { prompt: '0.000001', completion: '0.000002' },
  }

  it.each<[string, unknown]>([
    ['null', null],
    ['no data', { endpoints: [] }],
    ['data an array', { data: [] }],
    ['no endpoints', { data: { id: 'a/b' } }],
    ['endpoints not an array', { data: { id: 'a/b', endpoints: {} } }],
  ])('throws on %s', (_name, body) => {
    expect(() => parseEndpointsBody(body)).toThrow(/endpoints/)
  })

  it.each<[string, unknown, string]>([
    ['not an object', 'openai', '#0: not an object'],
    ['bad price', { ...endpoint, pricing: { prompt: null } }, '#0 (openai): pricing.prompt'],
    ['uptime a string', { ...endpoint, uptime_last_30m: '99' }, '#0 (openai): uptime_last_30m'],
    ['latency not an object', { ...endpoint, latency_last_30m: 5 }, '#0 (openai): latency_last_30m'],
    ['status a string', { ...endpoint, status: 'ok' }, '#0 (openai): status'],
  ])('skips an endpoint that is %s', (_name, record, reason) => {
    const parsed = parseEndpointsBody({ data: { id: 'a/b', name: 'A: B', endpoints: [record, endpoint] } })
    expect(parsed.endpoints).toEqual([endpoint])
    expect(parsed.skippedReasons).toEqual([expect.stringContaining(reason)])
  })

  it('keeps endpoints as received and tolerates a missing id or name', () => {
    const record = { ...endpoint, brand_new: true }
    const parsed = parseEndpointsBody({ data: { endpoints: [record] } })
    expect(parsed.endpoints[0]).toBe(record)
    expect(parsed).toMatchObject({ id: null, name: null, skipped: 0 })
  })

  it('reads every real endpoints body (May 2026)', () => {
    const wrapper = fixture('endpoints-2026-05-16.json.gz') as EndpointsFixture
    let endpoints = 0
    for (const row of wrapper.data) {
      const parsed = parseEndpointsBody(row.response)
      expect(parsed.skippedReasons).toEqual([])
      expect(parsed.endpoints).toHaveLength(row.endpointCount)
      endpoints += parsed.endpoints.length
    }
    expect(endpoints).toBe(927)
  })
})
