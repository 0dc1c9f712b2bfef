import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { normaliseModel, authorOf, type NormalisedModel } from './normalise'
import { parseModelsBody } from './parse'
import type { RawModel } from './raw'

const fixture = (name: string): unknown =>
  JSON.parse(
    gunzipSync(
      readFileSync(new URL(`../../../test/fixtures/openrouter/${name}`, import.meta.url)),
    ).toString(),
  )

const base: RawModel = {
  id: 'anthropic/claude-sonnet-4.6',
  canonical_slug: 'anthropic/claude-4.6-sonnet-20260217',
  hugging_face_id: '',
  name: 'Anthropic: Claude Sonnet 4.6 ',
  created: 1771342990,
  description: 'Sonnet.',
  context_length: 1000000,
  architecture: {
    modality: 'text+image+file->text',
    input_modalities: ['text', 'image', 'file'],
    output_modalities: ['text'],
    tokenizer: 'Claude',
    instruct_type: null,
  },
  pricing: {
    prompt: '0.000003',
    completion: '0.000015',
    web_search: '0.01',
    input_cache_read: '0.0000003',
    input_cache_write: '0.00000375',
    overrides: [{ min_prompt_tokens: 200000, prompt: '0.000006', completion: '0.0000225' }],
  },
  top_provider: { context_length: 1000000, max_completion_tokens: 128000, is_moderated: true },
  per_request_limits: null,
  supported_parameters: ['include_reasoning', 'max_tokens', 'reasoning', 'tools'],
  default_parameters: {},
  knowledge_cutoff: '2025-08-31',
  expiration_date: null,
  links: { details: '/api/v1/models/anthropic/claude-4.6-sonnet-20260217/endpoints' },
  reasoning: { mandatory: false, default_enabled: false, supported_efforts: ['high', 'medium', 'low'] },
  benchmarks: {
    design_arena: [],
    artificial_analysis: { intelligence_index: 51.7, coding_index: null, agentic_index: 60 },
  },
}

describe('normaliseModel', () => {
  it('flattens a full record', () => {
    const m = normaliseModel(base)
    expect(m).toMatchObject<Partial<NormalisedModel>>({
      id: 'anthropic/claude-sonnet-4.6',
      name: 'Anthropic: Claude Sonnet 4.6',
      author: 'anthropic',
      created: 1771342990,
      contextLength: 1000000,
      maxOutput: 128000,
      inputModalities: ['text', 'image', 'file'],
      outputModalities: ['text'],
      modality: 'text+image+file->text',
      tokenizer: 'Claude',
      instructType: null,
      moderated: true,
      reasoning: {
        mandatory: false,
        defaultEnabled: false,
        efforts: ['high', 'medium', 'low'],
        defaultEffort: null,
      },
      knowledgeCutoff: '2025-08-31',
      expirationDate: null,
      isFree: false,
      isVariable: false,
      hasOverrides: true,
      benchmarks: { intelligence: 51.7, coding: null, agentic: 60 },
      aliasTarget: null,
      canonicalSlug: 'anthropic/claude-4.6-sonnet-20260217',
      endpointsPath: '/models/anthropic/claude-4.6-sonnet-20260217/endpoints',
      huggingFaceId: null,
    })
    expect(m.prices.prompt).toEqual({ kind: 'fixed', value: '0.000003' })
    expect(m.prices.image).toEqual({ kind: 'free' })
    expect(m.pricedKeys).toEqual([
      'prompt',
      'completion',
      'web_search',
      'input_cache_read',
      'input_cache_write',
    ])
    expect(m.raw).toBe(base)
  })

  it.each<[string, Record<string, unknown>, Partial<NormalisedModel>]>([
    ['free model', { pricing: { prompt: '0', completion: '0' } }, { isFree: true, isVariable: false }],
    ['free by missing keys', { pricing: {} }, { isFree: true }],
    ['router sentinel', { pricing: { prompt: '-1', completion: '-1' } }, { isFree: false, isVariable: true }],
    [
      'negative price in a tier',
      { pricing: { prompt: '0', completion: '0', overrides: [{ prompt: '-1' }] } },
      { isFree: false, isVariable: true },
    ],
    ['no pricing at all', { pricing: undefined }, { isFree: false, isVariable: false, pricedKeys: [] }],
    ['empty overrides', { pricing: { prompt: '1', overrides: [] } }, { hasOverrides: false }],
    ['context 0 kept', { context_length: 0 }, { contextLength: 0 }],
    ['context null', { context_length: null }, { contextLength: null }],
    ['name missing falls back to id', { name: undefined }, { name: 'anthropic/claude-sonnet-4.6' }],
    ['name blank falls back to id', { name: '   ' }, { name: 'anthropic/claude-sonnet-4.6' }],
    ['hugging face id kept', { hugging_face_id: 'Qwen/Qwen3-8B' }, { huggingFaceId: 'Qwen/Qwen3-8B' }],
    ['hugging face null', { hugging_face_id: null }, { huggingFaceId: null }],
    ['moderation unknown', { top_provider: null }, { moderated: null, maxOutput: null }],
    [
      'reasoning only in parameters (May 2026)',
      { reasoning: undefined },
      { reasoning: { mandatory: false, defaultEnabled: null, efforts: null, defaultEffort: null } },
    ],
    ['no reasoning', { reasoning: undefined, supported_parameters: ['tools'] }, { reasoning: null }],
    [
      'mandatory reasoning',
      { reasoning: { mandatory: true, supported_efforts: null, default_effort: 'medium' } },
      { reasoning: { mandatory: true, defaultEnabled: null, efforts: null, defaultEffort: 'medium' } },
    ],
    ['benchmarks without AA', { benchmarks: { design_arena: [] } }, { benchmarks: null }],
    [
      'benchmarks all null',
      { benchmarks: { artificial_analysis: { intelligence_index: null } } },
      { benchmarks: null },
    ],
    [
      'alias target',
      { alias_target: { slug: 'deepseek/deepseek-v4-flash-0731', name: 'DeepSeek V4' } },
      { aliasTarget: { slug: 'deepseek/deepseek-v4-flash-0731', name: 'DeepSeek V4' } },
    ],
    [
      'links missing: derived from canonical slug',
      { links: undefined },
      { endpointsPath: '/models/anthropic/claude-4.6-sonnet-20260217/endpoints' },
    ],
    [
      'links and slug missing: derived from id',
      { links: undefined, canonical_slug: undefined },
      { endpointsPath: '/models/anthropic/claude-sonnet-4.6/endpoints' },
    ],
    [
      'links without the API prefix kept',
      { links: { details: '/models/x/y/endpoints' } },
      { endpointsPath: '/models/x/y/endpoints' },
    ],
    ['discount', { pricing: { prompt: '1', discount: 0.25 } }, { discount: 0.25 }],
    [
      'modalities with junk entries',
      { architecture: { input_modalities: ['text', 3, null] } },
      { inputModalities: ['text'], outputModalities: [] },
    ],
  ])('%s', (_name, patch, expected) => {
    expect(normaliseModel({ ...base, ...patch })).toMatchObject(expected)
  })

  it.each([
    ['openai/gpt-4o', 'openai'],
    ['~anthropic/claude-sonnet-latest', 'anthropic'],
    ['openai/gpt-4:free', 'openai'],
    ['openrouter/auto', 'openrouter'],
    ['solo', 'solo'],
    ['solo:free', 'solo'],
    ['/odd', '/odd'],
  ])('author of %s is %s', (id, author) => {
    expect(authorOf(id)).toBe(author)
  })

  it('normalises every real record (Aug 2026)', () => {
    const { models } = parseModelsBody(fixture('models-all-2026-08-19.json.gz'))
    const normalised = models.map(normaliseModel)
    expect(
      normalised
        .filter((m) => m.isVariable)
        .map((m) => m.id)
        .sort(),
    ).toEqual([
      'openrouter/auto',
      'openrouter/auto-beta',
      'openrouter/bodybuilder',
      'openrouter/fusion',
      'openrouter/pareto-code',
    ])
    expect(normalised.filter((m) => m.contextLength === 0).length).toBe(54)
    expect(normalised.every((m) => m.endpointsPath?.startsWith('/models/'))).toBe(true)
    expect(normalised.every((m) => m.name === m.name.trim())).toBe(true)
  })
})

describe('normaliseModel never throws', () => {
  const anyValue = fc.oneof(fc.anything(), fc.jsonValue())
  const text = fc.option(fc.string(), { nil: null })
  const num = fc.option(fc.oneof(fc.integer(), fc.double()), { nil: null })
  const flag = fc.option(fc.boolean(), { nil: null })
  const price = fc.oneof(fc.string(), fc.double(), fc.constantFrom('-1', '0', '0.000003', '1e-7', ' 2 '))
  const loose = <T>(shape: { [K in keyof T]: fc.Arbitrary<T[K]> }) =>
    fc
      .tuple(fc.record(shape, { requiredKeys: [] }), fc.dictionary(fc.string(), anyValue, { maxKeys: 2 }))
      .map(([known, extra]) => ({ ...extra, ...known }))
  const priceKeys = [
    'prompt',
    'completion',
    'request',
    'image',
    'input_cache_read',
    'internal_reasoning',
    'discount',
  ] as const

  // Records with the types parseModelsBody accepts and arbitrary values inside them, so most are kept.
  const keptShape = fc
    .tuple(
      fc.record(
        {
          id: fc.string({ minLength: 1 }),
          name: fc.string(),
          canonical_slug: text,
          hugging_face_id: text,
          created: num,
          description: text,
          context_length: num,
          architecture: loose({
            modality: text,
            input_modalities: fc.array(fc.string()),
            output_modalities: fc.array(fc.string()),
            tokenizer: text,
            instruct_type: text,
          }),
          pricing: fc
            .tuple(
              fc.dictionary(fc.constantFrom(...priceKeys), price),
              fc.option(
                fc.array(
                  loose({
                    min_prompt_tokens: num,
                    utc_start: num,
                    utc_end: num,
                    prompt: price,
                    completion: price,
                  }),
                ),
                { nil: undefined },
              ),
            )
            .map(([prices, overrides]) => (overrides === undefined ? prices : { ...prices, overrides })),
          top_provider: fc.option(
            loose({ is_moderated: flag, context_length: num, max_completion_tokens: num }),
          ),
          supported_parameters: fc.option(fc.array(fc.string())),
          knowledge_cutoff: text,
          expiration_date: text,
          links: fc.option(loose({ details: text })),
          reasoning: fc.option(
            loose({
              mandatory: flag,
              default_enabled: flag,
              supported_efforts: fc.option(fc.array(fc.string())),
              default_effort: text,
            }),
          ),
          benchmarks: fc.option(
            loose({
              artificial_analysis: fc.option(
                loose({ intelligence_index: num, coding_index: num, agentic_index: num }),
              ),
            }),
          ),
          alias_target: fc.option(loose({ slug: text, name: text })),
        },
        { requiredKeys: ['id'] },
      ),
      fc.dictionary(fc.string(), anyValue, { maxKeys: 3 }),
    )
    .map(([known, extra]) => ({ ...extra, ...known }) as RawModel)

  const knownKeys = ['name', 'created', 'context_length', 'architecture', 'pricing', 'top_provider', 'links']
  const anyShape = fc
    .tuple(
      fc.string({ minLength: 1 }),
      fc.dictionary(
        fc.oneof(fc.string(), fc.constantFrom(...knownKeys, 'reasoning', 'benchmarks')),
        anyValue,
      ),
    )
    .map(([id, rest]) => ({ ...rest, id }) as RawModel)

  it('on records parseModelsBody keeps (typed fields, arbitrary values)', () => {
    let kept = 0
    fc.assert(
      fc.property(fc.array(keptShape, { maxLength: 4 }), (records) => {
        for (const model of parseModelsBody({ data: records }).models) {
          kept++
          normaliseModel(model)
        }
      }),
      { numRuns: 400 },
    )
    // Guards the guard: a generator whose records all get skipped would prove nothing.
    expect(kept).toBeGreaterThan(300)
  })

  it('even on records parseModelsBody would skip', () => {
    fc.assert(
      fc.property(anyShape, (record) => {
        normaliseModel(record)
      }),
      { numRuns: 500 },
    )
  })
})
