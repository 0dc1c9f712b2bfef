import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { diffAllowedSets, diffCatalogs, diffRecords, groupOf, toDiffJson, type DiffGroup } from './diff'
import type { RawModel } from './raw'

const fixture = (name: string): RawModel[] =>
  (
    JSON.parse(
      gunzipSync(
        readFileSync(new URL(`../../../test/fixtures/openrouter/${name}`, import.meta.url)),
      ).toString(),
    ) as { data: RawModel[] }
  ).data

const model = (patch: Record<string, unknown> = {}): RawModel => ({
  id: 'openai/gpt-4o',
  name: 'OpenAI: GPT-4o',
  description: 'Omni.',
  context_length: 128000,
  architecture: {
    modality: 'text+image->text',
    input_modalities: ['text', 'image'],
    output_modalities: ['text'],
  },
  pricing: { prompt: '0.0000025', completion: '0.00001' },
  top_provider: { context_length: 128000, max_completion_tokens: 16384, is_moderated: true },
  supported_parameters: ['max_tokens', 'tools'],
  ...patch,
})

describe('diffRecords', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>, string[]]>([
    ['identical', {}, {}, []],
    [
      'trailing zero in a price',
      { pricing: { prompt: '0.0000030' } },
      { pricing: { prompt: '0.000003' } },
      [],
    ],
    [
      'missing price key vs "0"',
      { pricing: { prompt: '1' } },
      { pricing: { prompt: '1', request: '0' } },
      [],
    ],
    ['number vs string price', { pricing: { prompt: 0.000003 } }, { pricing: { prompt: '0.000003' } }, []],
    [
      '-1 vs a real price',
      { pricing: { prompt: '-1' } },
      { pricing: { prompt: '0.000001' } },
      ['pricing.prompt'],
    ],
    ['-1 vs -2 (both variable)', { pricing: { prompt: '-1' } }, { pricing: { prompt: '-2' } }, []],
    [
      'price removed (non-zero)',
      { pricing: { prompt: '1', web_search: '0.01' } },
      { pricing: { prompt: '1' } },
      ['pricing.web_search'],
    ],
    ['discount missing vs 0', { pricing: { prompt: '1' } }, { pricing: { prompt: '1', discount: 0 } }, []],
    ['discount changed', { pricing: { discount: 0 } }, { pricing: { discount: 0.1 } }, ['pricing.discount']],
    [
      'overrides equal by value',
      { pricing: { overrides: [{ min_prompt_tokens: 200000, prompt: '0.0000060' }] } },
      { pricing: { overrides: [{ prompt: 0.000006, min_prompt_tokens: 200000 }] } },
      [],
    ],
    [
      'overrides threshold moved',
      { pricing: { overrides: [{ min_prompt_tokens: 200000, prompt: '0.000006' }] } },
      { pricing: { overrides: [{ min_prompt_tokens: 128000, prompt: '0.000006' }] } },
      ['pricing.overrides'],
    ],
    [
      'overrides appear',
      {},
      { pricing: { prompt: '0.0000025', completion: '0.00001', overrides: [{ prompt: '1' }] } },
      ['pricing.overrides'],
    ],
    ['new unknown field', {}, { brand_new: { x: 1 } }, ['brand_new']],
    ['field removed', { knowledge_cutoff: '2025-01-01' }, {}, ['knowledge_cutoff']],
    ['null vs absent', { knowledge_cutoff: null }, {}, []],
    [
      'modalities reordered',
      {},
      {
        architecture: {
          modality: 'text+image->text',
          input_modalities: ['image', 'text'],
          output_modalities: ['text'],
        },
      },
      [],
    ],
    [
      'modality added',
      {},
      {
        architecture: {
          modality: 'text+image->text',
          input_modalities: ['text', 'image', 'file'],
          output_modalities: ['text'],
        },
      },
      ['architecture.input_modalities'],
    ],
    ['parameters reordered', {}, { supported_parameters: ['tools', 'max_tokens'] }, []],
    ['parameter swapped', {}, { supported_parameters: ['max_tokens', 'seed'] }, ['supported_parameters']],
    [
      'efforts reordered',
      { reasoning: { supported_efforts: ['high', 'low'] } },
      { reasoning: { supported_efforts: ['low', 'high'] } },
      [],
    ],
    [
      'efforts changed',
      { reasoning: { mandatory: false } },
      { reasoning: { mandatory: true } },
      ['reasoning.mandatory'],
    ],
    [
      'ordered arrays stay ordered',
      { benchmarks: { design_arena: [{ rank: 1 }, { rank: 2 }] } },
      { benchmarks: { design_arena: [{ rank: 2 }, { rank: 1 }] } },
      ['benchmarks.design_arena'],
    ],
    [
      'nested context',
      {},
      { top_provider: { context_length: 64000, max_completion_tokens: 16384, is_moderated: true } },
      ['top_provider.context_length'],
    ],
    ['description', {}, { description: 'Omni, updated.' }, ['description']],
    [
      'several at once',
      {},
      { context_length: 1, name: 'x', pricing: { prompt: '0.000001', completion: '0.00001' } },
      ['context_length', 'name', 'pricing.prompt'],
    ],
    ['type change', { created: 1 }, { created: '1' }, ['created']],
  ])('%s', (_name, before, after, paths) => {
    expect(Object.keys(diffRecords(model(before), model(after))).sort()).toEqual(paths)
  })

  it('keeps from/to as sent', () => {
    const fields = diffRecords(
      model({ pricing: { prompt: '-1' } }),
      model({ pricing: { prompt: '0.000001' } }),
    )
    expect(fields['pricing.prompt']).toEqual({ from: '-1', to: '0.000001', group: 'pricing' })
    const added = diffRecords(model(), model({ expiration_date: '2026-12-31' }))
    expect(added.expiration_date).toEqual({ from: undefined, to: '2026-12-31', group: 'dates' })
  })
})

describe('groupOf', () => {
  it.each<[string, DiffGroup]>([
    ['pricing.prompt', 'pricing'],
    ['pricing.overrides', 'pricing'],
    ['context_length', 'context'],
    ['top_provider.context_length', 'context'],
    ['top_provider.max_completion_tokens', 'context'],
    ['per_request_limits', 'context'],
    ['top_provider.is_moderated', 'other'],
    ['architecture.input_modalities', 'modalities'],
    ['architecture.modality', 'modalities'],
    ['architecture.tokenizer', 'other'],
    ['supported_parameters', 'parameters'],
    ['default_parameters.temperature', 'parameters'],
    ['reasoning.supported_efforts', 'reasoning'],
    ['reasoning', 'reasoning'],
    ['created', 'dates'],
    ['knowledge_cutoff', 'dates'],
    ['expiration_date', 'dates'],
    ['description', 'description'],
    ['name', 'other'],
    ['benchmarks.artificial_analysis.coding_index', 'other'],
  ])('%s → %s', (path, group) => {
    expect(groupOf(path)).toBe(group)
  })
})

describe('diffCatalogs', () => {
  it('splits added, removed, changed and unchanged, sorted by id', () => {
    const keep = model({ id: 'a/keep' })
    const gone = model({ id: 'z/gone' })
    const before = [gone, keep, model({ id: 'm/moved', context_length: 1 })]
    const fresh = model({ id: 'b/new' })
    const after = [
      model({ id: 'm/moved', context_length: 2 }),
      fresh,
      model({ id: 'a/keep' }),
      model({ id: 'a/new' }),
    ]
    const diff = diffCatalogs(before, after)
    expect(diff.added.map((m) => m.id)).toEqual(['a/new', 'b/new'])
    expect(diff.added[1]).toBe(fresh)
    expect(diff.removed).toEqual([gone])
    expect(diff.changed).toEqual([
      {
        id: 'm/moved',
        fields: { context_length: { from: 1, to: 2, group: 'context' } },
        groups: ['context'],
      },
    ])
    expect(diff.counts).toEqual({ added: 2, removed: 1, changed: 1, unchanged: 1 })
  })

  it('serialises to the documented JSON', () => {
    const diff = diffCatalogs(
      [
        model({ id: 'x/gone' }),
        model({ id: 'x/same', pricing: { prompt: '1' }, knowledge_cutoff: '2025-01-01' }),
      ],
      [model({ id: 'x/new' }), model({ id: 'x/same', pricing: { prompt: '2' } })],
    )
    expect(toDiffJson(diff)).toBe(
      '{"added":["x/new"],"removed":["x/gone"],"changed":[{"id":"x/same","fields":{' +
        '"knowledge_cutoff":{"from":"2025-01-01","to":null},"pricing.prompt":{"from":"1","to":"2"}}}]}',
    )
  })

  it('is fast on two 10k-model catalogs', () => {
    const real = fixture('models-all-2026-08-19.json.gz')
    // Built through JSON text, as snapshots are read from disk, so objects have the shapes JSON.parse gives.
    const grow = (salt: string): RawModel[] =>
      JSON.parse(
        JSON.stringify(
          Array.from({ length: 10_000 }, (_, i) => {
            const source = real[i % real.length]!
            return {
              ...source,
              id: `${source.id}#${i}`,
              description: `${source.description}${i % 7 === 0 ? salt : ''}`,
            }
          }),
        ),
      ) as RawModel[]
    const before = grow('')
    const after = grow(' (updated)')
    // Best of a few runs: the test machine is shared, and the first run pays for JIT warm-up.
    let best = Infinity
    for (let run = 0; run < 4; run++) {
      const start = performance.now()
      const diff = diffCatalogs(before, after)
      best = Math.min(best, performance.now() - start)
      expect(diff.counts).toEqual({ added: 0, removed: 0, changed: Math.ceil(10_000 / 7), unchanged: 8571 })
    }
    expect(best).toBeLessThan(100)
  })
})

/*
 * The May → Aug 2026 diff checked against a deliberately different method: id sets for added/removed, and
 * for changed a canonical JSON string per record (keys sorted, nulls dropped, prices as numbers with zeros
 * dropped, set-like lists sorted) compared whole. Float parsing is fine here: equal decimal strings give
 * equal doubles, and no two real prices are within float rounding of each other.
 */
describe('diffCatalogs on real snapshots (May → Aug 2026)', () => {
  const may = fixture('models-2026-05-16.json.gz')
  const aug = fixture('models-all-2026-08-19.json.gz')
  const setLike = new Set([
    'input_modalities',
    'output_modalities',
    'supported_parameters',
    'supported_voices',
    'supported_efforts',
  ])

  function canonical(value: unknown, key = '', inPricing = false): unknown {
    if (Array.isArray(value)) {
      const items = value.map((v) => canonical(v, '', key === 'overrides'))
      return setLike.has(key) ? items.map(String).sort() : items
    }
    if (value === null || typeof value !== 'object') {
      const condition = key === 'min_prompt_tokens' || key === 'utc_start' || key === 'utc_end'
      return inPricing && !condition ? Number(value) : value
    }
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k]
      if (v === null || v === undefined) continue
      const c = canonical(v, k, key === 'pricing' ? k !== 'overrides' : inPricing)
      if (key === 'pricing' && c === 0) continue
      out[k] = c
    }
    return out
  }
  const text = (v: unknown) => JSON.stringify(canonical(v)) ?? 'absent'

  const mayById = new Map(may.map((m) => [m.id, m]))
  const augIds = new Set(aug.map((m) => m.id))
  const common = aug.filter((m) => mayById.has(m.id))
  const diff = diffCatalogs(may, aug)

  it('agrees on added and removed ids', () => {
    const added = [...augIds].filter((id) => !mayById.has(id)).sort()
    const removed = [...mayById.keys()].filter((id) => !augIds.has(id)).sort()
    expect(diff.added.map((m) => m.id)).toEqual(added)
    expect(diff.removed.map((m) => m.id)).toEqual(removed)
    expect(diff.counts.unchanged + diff.counts.changed).toBe(common.length)
  })

  it('agrees on which models changed', () => {
    const changed = common.filter((m) => text(m) !== text(mayById.get(m.id))).map((m) => m.id)
    expect(diff.changed.map((c) => c.id)).toEqual(changed.sort())
    expect(diff.counts.changed).toBeGreaterThan(100)
  })

  it('agrees on which top-level fields changed, field by field', () => {
    const fields = new Set([...may, ...aug].flatMap((m) => Object.keys(m)))
    for (const field of fields) {
      const expected = common.filter((m) => text(m[field]) !== text(mayById.get(m.id)![field])).length
      const actual = diff.changed.filter((c) =>
        Object.keys(c.fields).some((p) => p.split('.')[0] === field),
      ).length
      expect({ field, count: actual }).toEqual({ field, count: expected })
    }
  })

  it('agrees on prompt price changes by value', () => {
    const expected = common.filter(
      (m) =>
        Number((m.pricing as { prompt?: string }).prompt ?? 0) !==
        Number((mayById.get(m.id)!.pricing as { prompt?: string }).prompt ?? 0),
    ).length
    expect(diff.changed.filter((c) => 'pricing.prompt' in c.fields).length).toBe(expected)
  })
})

describe('diffAllowedSets', () => {
  it.each<[string, string[], string[], string[], ReturnType<typeof diffAllowedSets>]>([
    ['no change', ['a', 'b'], ['b', 'a'], ['a', 'b'], { entered: [], left: [] }],
    [
      'left but still public, left and withdrawn',
      ['a', 'b', 'c'],
      ['a'],
      ['a', 'b'],
      {
        entered: [],
        left: [
          { id: 'b', public: true },
          { id: 'c', public: false },
        ],
      },
    ],
    [
      'entered',
      ['a'],
      ['z', 'a', 'm'],
      ['a', 'm', 'z'],
      {
        entered: [
          { id: 'm', public: true },
          { id: 'z', public: true },
        ],
        left: [],
      },
    ],
    ['from nothing', [], ['a'], [], { entered: [{ id: 'a', public: false }], left: [] }],
  ])('%s', (_name, before, after, publicIds, expected) => {
    expect(diffAllowedSets(before, after, publicIds)).toEqual(expected)
  })
})
