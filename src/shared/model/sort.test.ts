import { describe, expect, it } from 'vitest'
import { normaliseModel } from './normalise'
import { sortModels, type SortSpec } from './sort'

const model = (id: string, patch: Record<string, unknown>) => normaliseModel({ id, ...patch })

const catalog = [
  model('a/three', {
    name: 'Model 3',
    pricing: { prompt: '0.000003', completion: '0.00001' },
    context_length: 8000,
    created: 30,
  }),
  model('b/free', {
    name: 'model 10',
    pricing: { prompt: '0', completion: '0' },
    context_length: 8000,
    created: 10,
  }),
  model('c/router', {
    name: 'Router',
    pricing: { prompt: '-1', completion: '-1' },
    context_length: null,
    created: 20,
  }),
  model('d/exact', {
    name: 'Model 2',
    pricing: { prompt: '0.0000030000000000000001', completion: '0.00001' },
    context_length: 128000,
    created: 40,
  }),
  model('e/nodata', { name: 'Zeta' }),
  model('f/cheap', {
    name: 'alpha',
    pricing: { prompt: '0.00000015', completion: '0.0000006' },
    context_length: 0,
    created: 50,
  }),
]

const order = (spec: SortSpec) => sortModels(catalog, spec).map((m) => m.id)

describe('sortModels', () => {
  it.each<[string, SortSpec, string[]]>([
    ['no spec keeps order', [], ['a/three', 'b/free', 'c/router', 'd/exact', 'e/nodata', 'f/cheap']],
    [
      'name asc, natural and case-insensitive',
      [{ column: 'name', dir: 'asc' }],
      ['f/cheap', 'd/exact', 'a/three', 'b/free', 'c/router', 'e/nodata'],
    ],
    [
      'prompt asc: exact beyond floats, variable and unknown last',
      [{ column: 'prompt', dir: 'asc' }],
      ['b/free', 'f/cheap', 'a/three', 'd/exact', 'c/router', 'e/nodata'],
    ],
    [
      'prompt desc: variable and unknown still last',
      [{ column: 'prompt', dir: 'desc' }],
      ['d/exact', 'a/three', 'f/cheap', 'b/free', 'c/router', 'e/nodata'],
    ],
    [
      'context desc: nulls last, 0 is a value',
      [{ column: 'context', dir: 'desc' }],
      ['d/exact', 'a/three', 'b/free', 'f/cheap', 'c/router', 'e/nodata'],
    ],
    [
      'context asc: nulls last',
      [{ column: 'context', dir: 'asc' }],
      ['f/cheap', 'a/three', 'b/free', 'd/exact', 'c/router', 'e/nodata'],
    ],
    [
      'secondary key breaks ties',
      [
        { column: 'context', dir: 'asc' },
        { column: 'created', dir: 'desc' },
      ],
      ['f/cheap', 'a/three', 'b/free', 'd/exact', 'c/router', 'e/nodata'],
    ],
    [
      'secondary key, other direction',
      [
        { column: 'context', dir: 'asc' },
        { column: 'created', dir: 'asc' },
      ],
      ['f/cheap', 'b/free', 'a/three', 'd/exact', 'c/router', 'e/nodata'],
    ],
    [
      'created desc',
      [{ column: 'created', dir: 'desc' }],
      ['f/cheap', 'd/exact', 'a/three', 'c/router', 'b/free', 'e/nodata'],
    ],
  ])('%s', (_name, spec, expected) => {
    expect(order(spec)).toEqual(expected)
  })

  it.each([
    [
      ['Claude 4.10', 'Claude 4.6', 'claude 4.7', 'Claude 3'],
      ['Claude 3', 'Claude 4.6', 'claude 4.7', 'Claude 4.10'],
    ],
    [
      ['b', 'B', 'a', 'A'],
      ['a', 'A', 'b', 'B'],
    ],
    [
      ['Qwen3 235B', 'Qwen3 30B', 'Qwen2.5 72B'],
      ['Qwen2.5 72B', 'Qwen3 30B', 'Qwen3 235B'],
    ],
  ])('orders names naturally, ignoring case: %j', (names, expected) => {
    const models = names.map((name, i) => normaliseModel({ id: `x/${i}`, name }))
    expect(sortModels(models, [{ column: 'name', dir: 'asc' }]).map((m) => m.name)).toEqual(expected)
  })

  it('returns a copy and ignores unknown columns', () => {
    const result = sortModels(catalog, [{ column: 'nope' as never, dir: 'asc' }])
    expect(result).not.toBe(catalog)
    expect(result).toEqual(catalog)
  })

  it('sorts 100k models fast', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => catalog[i % catalog.length]!)
    const start = performance.now()
    sortModels(many, [
      { column: 'prompt', dir: 'asc' },
      { column: 'name', dir: 'asc' },
    ])
    expect(performance.now() - start).toBeLessThan(1000)
  })
})
