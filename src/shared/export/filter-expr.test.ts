import { describe, expect, it } from 'vitest'
import { applyFilter, emptyFilter, type CatalogFilter } from '../model/filter'
import { normaliseModel } from '../model/normalise'
import { FilterExprError, parseFilterExpr } from './filter-expr'

const withFilter = (patch: Partial<CatalogFilter>): CatalogFilter => ({ ...emptyFilter(), ...patch })

describe('parseFilterExpr', () => {
  it.each<[string, CatalogFilter]>([
    ['', emptyFilter()],
    ['   ', emptyFilter()],
    ['free', withFilter({ freeOnly: true })],
    ['FREE', withFilter({ freeOnly: true })],
    ['context>=128000', withFilter({ minContext: 128000 })],
    ['context >= 128k', withFilter({ minContext: 128000 })],
    ['context>=1m', withFilter({ minContext: 1_000_000 })],
    ['context>=1.5M', withFilter({ minContext: 1_500_000 })],
    ['context>200000', withFilter({ minContext: 200001 })],
    ['context>=128k, context>=200k', withFilter({ minContext: 200000 })],
    ['prompt<=5', withFilter({ maxPromptPerM: 5 })],
    ['prompt<=$0.5', withFilter({ maxPromptPerM: 0.5 })],
    ['prompt<=5 and prompt<=3', withFilter({ maxPromptPerM: 3 })],
    ['completion<=15', withFilter({ maxCompletionPerM: 15 })],
    ['param:tools', withFilter({ params: { mode: 'all', values: ['tools'] } })],
    [
      'param:tools, param:response_format, param:tools',
      withFilter({ params: { mode: 'all', values: ['tools', 'response_format'] } }),
    ],
    ['input:image', withFilter({ inputModalities: ['image'] })],
    ['output:Image', withFilter({ outputModalities: ['image'] })],
    ['author:anthropic', withFilter({ authors: ['anthropic'] })],
    ['author: openai, author:google', withFilter({ authors: ['openai', 'google'] })],
    ['tokenizer:Claude', withFilter({ tokenizers: ['Claude'] })],
    ['reasoning', withFilter({ reasoning: true })],
    ['no-reasoning', withFilter({ reasoning: false })],
    ['moderated', withFilter({ moderated: true })],
    ['unmoderated', withFilter({ moderated: false })],
    ['fixed-price', withFilter({ hideVariable: true })],
    ['hide-expiring:30', withFilter({ hideExpiringWithinDays: 30 })],
    [
      'free, context>=128000 and param:tools AND input:image',
      withFilter({
        freeOnly: true,
        minContext: 128000,
        params: { mode: 'all', values: ['tools'] },
        inputModalities: ['image'],
      }),
    ],
  ])('%j', (expr, expected) => {
    expect(parseFilterExpr(expr)).toEqual(expected)
  })

  it.each<[string, RegExp]>([
    ['cheap', /Unknown filter term "cheap"/],
    ['free, nonsense', /Unknown filter term "nonsense"/],
    ['context<=128000', /context supports >= or > only/],
    ['prompt>=5', /prompt supports <= only/],
    ['price<=5', /Unknown filter term "price<=5"/],
    ['context>=lots', /not a token count/],
    ['prompt<=five', /not a price/],
    ['hide-expiring:soon', /not a whole number of days/],
    ['author:', /a value is missing/],
    ['colour:red', /Unknown filter term "colour:red"/],
    ['free,,moderated', /empty term/],
    ['free and', /empty term|Unknown/],
  ])('rejects %j', (expr, message) => {
    expect(() => parseFilterExpr(expr)).toThrow(FilterExprError)
    expect(() => parseFilterExpr(expr)).toThrow(message)
  })

  // Names of Object.prototype's members, in every place a term's name is looked up.
  const PROTOTYPE_NAMES = [
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'valueOf',
    'hasOwnProperty',
    'isPrototypeOf',
    'propertyIsEnumerable',
    'toLocaleString',
    '__defineGetter__',
    '__lookupSetter__',
  ]
  it.each(
    PROTOTYPE_NAMES.flatMap((name) => [
      [name, name],
      [`${name}:x`, `${name}:x`],
      [`free, ${name.toLowerCase()}`, name.toLowerCase()],
      [`${name.toLowerCase()}:tools`, `${name.toLowerCase()}:tools`],
    ]),
  )('rejects %j as an unknown term, naming it', (expr, term) => {
    expect(() => parseFilterExpr(expr)).toThrow(FilterExprError)
    expect(() => parseFilterExpr(expr)).toThrow(`Unknown filter term "${term}".`)
  })

  it.each(['context>=1__proto__', 'context>=1constructor', 'context>=1tostring'])(
    'rejects %j as a bad token count, not a suffix from the prototype',
    (expr) => {
      expect(() => parseFilterExpr(expr)).toThrow(/not a token count/)
    },
  )

  it('keeps a prototype name as a plain value where values are free text', () => {
    expect(parseFilterExpr('param:__proto__, author:constructor')).toEqual(
      withFilter({ params: { mode: 'all', values: ['__proto__'] }, authors: ['constructor'] }),
    )
    expect(Object.getPrototypeOf(emptyFilter())).toBe(Object.prototype)
  })

  it('selects the same models as the catalog filter it stands for', () => {
    const models = [
      {
        id: 'anthropic/claude',
        context_length: 200000,
        pricing: { prompt: '0.000003', completion: '0.000015' },
      },
      {
        id: 'anthropic/haiku',
        context_length: 200000,
        pricing: { prompt: '0.000001', completion: '0.000005' },
      },
      { id: 'openai/gpt', context_length: 128000, pricing: { prompt: '0.0000025', completion: '0.00001' } },
      { id: 'meta/llama:free', context_length: 8192, pricing: { prompt: '0', completion: '0' } },
    ].map(normaliseModel)
    const ids = (expr: string) => applyFilter(models, parseFilterExpr(expr), new Date()).map((m) => m.id)
    expect(ids('author:anthropic and prompt<=2')).toEqual(['anthropic/haiku'])
    expect(ids('context>=128k')).toEqual(['anthropic/claude', 'anthropic/haiku', 'openai/gpt'])
    expect(ids('free')).toEqual(['meta/llama:free'])
  })
})
