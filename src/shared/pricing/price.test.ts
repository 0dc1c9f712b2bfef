import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import {
  comparePrices,
  formatFor,
  formatPrice,
  formatUsd,
  formatUsdGrouped,
  hasPrice,
  parsePrice,
  perMillion,
  priceEquals,
  priceUnitOf,
  readPrice,
  type Price,
} from './price'
import { Dec } from './decimal'

const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/openrouter')

const fixed = (value: string): Price => ({ kind: 'fixed', value })

describe('parsePrice', () => {
  it.each<[unknown, Price]>([
    [undefined, { kind: 'free' }],
    ['0', { kind: 'free' }],
    ['0.000', { kind: 'free' }],
    ['-0', { kind: 'free' }],
    [0, { kind: 'free' }],
    ['0.000003', fixed('0.000003')],
    ['0.0000030', fixed('0.000003')],
    ['3e-6', fixed('0.000003')],
    [0.000003, fixed('0.000003')],
    [3e-7, fixed('0.0000003')],
    [' 0.5 ', fixed('0.5')],
    ['0.000000078596', fixed('0.000000078596')],
    ['-1', { kind: 'variable' }],
    ['-0.5', { kind: 'variable' }],
    ['-0.000', { kind: 'free' }],
    ['007.50', fixed('7.5')],
    ['5.', fixed('5')],
    ['+0.1', fixed('0.1')],
    ['.5', fixed('0.5')],
    ['1.5E-7', fixed('0.00000015')],
    ['1..5', { kind: 'unknown' }],
    ['1.5.', { kind: 'unknown' }],
    [-1, { kind: 'variable' }],
    ['', { kind: 'unknown' }],
    ['abc', { kind: 'unknown' }],
    ['0x10', { kind: 'unknown' }],
    ['Infinity', { kind: 'unknown' }],
    ['NaN', { kind: 'unknown' }],
    [Number.NaN, { kind: 'unknown' }],
    [null, { kind: 'unknown' }],
    [{}, { kind: 'unknown' }],
    [true, { kind: 'unknown' }],
  ])('%j → %j', (value, expected) => {
    expect(parsePrice(value)).toEqual(expected)
  })
})

// parsePrice and perMillion read the API's plain decimal strings with string work alone; Decimal is the
// reference they must agree with, on every price of the recorded catalogs and on awkward spellings.
describe('the string fast path agrees with Decimal', () => {
  const recorded = readdirSync(FIXTURES)
    .filter((f) => f.startsWith('models-') && f.endsWith('.json.gz'))
    .flatMap((f) => {
      const body = JSON.parse(gunzipSync(readFileSync(join(FIXTURES, f))).toString('utf8')) as {
        data: { pricing?: Record<string, unknown> }[]
      }
      return body.data.flatMap((m) => Object.values(m.pricing ?? {}).filter((v) => typeof v === 'string'))
    })
  const awkward = [
    '0',
    '00',
    '0.0',
    '-0',
    '-0.0001',
    '1',
    '10',
    '100.000',
    '0.10',
    '000.000001',
    '12345678901234567890.5',
  ]
  const values = [...new Set([...recorded, ...awkward])] as string[]

  it('covers the recorded prices', () => {
    expect(recorded.length).toBeGreaterThan(1000)
  })

  it('parsePrice and perMillion give what Decimal gives, for every distinct value', () => {
    for (const value of values) {
      const d = new Dec(value)
      const expected: Price = d.lt(0)
        ? { kind: 'variable' }
        : d.isZero()
          ? { kind: 'free' }
          : fixed(d.toFixed())
      const price = parsePrice(value)
      expect(price, value).toEqual(expected)
      expect(perMillion(price), value).toBe(price.kind === 'variable' ? null : d.times(1_000_000).toFixed())
    }
  })
})

describe('readPrice / hasPrice', () => {
  it.each<[unknown, string, Price, boolean]>([
    [{ prompt: '0.000003' }, 'prompt', fixed('0.000003'), true],
    [{ prompt: '0.000003' }, 'completion', { kind: 'free' }, false],
    [{ request: '0' }, 'request', { kind: 'free' }, true],
    [{ prompt: '-1' }, 'prompt', { kind: 'variable' }, true],
    [null, 'prompt', { kind: 'unknown' }, false],
    ['0.1', 'prompt', { kind: 'unknown' }, false],
    [[], 'prompt', { kind: 'unknown' }, false],
  ])('%j[%s]', (pricing, key, price, present) => {
    expect(readPrice(pricing, key)).toEqual(price)
    expect(hasPrice(pricing, key)).toBe(present)
  })
})

describe('perMillion', () => {
  it.each<[Price, string | null]>([
    [fixed('0.000003'), '3'],
    [fixed('0.0000225'), '22.5'],
    [fixed('0.000000078596'), '0.078596'],
    [fixed('0.00000000000000000001'), '0.00000000000001'],
    [fixed('123456789.123456789'), '123456789123456.789'],
    [{ kind: 'free' }, '0'],
    [{ kind: 'variable' }, null],
    [{ kind: 'unknown' }, null],
  ])('%j → %s', (price, expected) => {
    expect(perMillion(price)).toBe(expected)
  })
})

describe('formatUsd', () => {
  it.each<[string, 'table' | 'compact', string]>([
    ['3', 'table', '$3.00'],
    ['22.5', 'table', '$22.50'],
    ['0.15', 'table', '$0.15'],
    ['0.5', 'table', '$0.50'],
    ['0.375', 'table', '$0.375'],
    ['0.078596', 'table', '$0.0786'],
    ['1234.567', 'table', '$1234.57'],
    ['0', 'table', '$0.00'],
    ['-2', 'table', '-$2.00'],
    ['6', 'compact', '$6'],
    ['22.5', 'compact', '$22.5'],
    ['0.078596', 'compact', '$0.0786'],
    ['0.10', 'compact', '$0.1'],
    ['0', 'compact', '$0'],
  ])('%s (%s) → %s', (value, style, expected) => {
    expect(formatUsd(value, style)).toBe(expected)
  })
})

describe('formatUsdGrouped', () => {
  it.each<[string, 'table' | 'compact', string]>([
    ['3000000', 'table', '$3,000,000.00'],
    ['1234.567', 'table', '$1,234.57'],
    ['999.5', 'table', '$999.50'],
    ['100000', 'compact', '$100,000'],
    ['-12345.5', 'compact', '-$12,345.5'],
    ['0.078596', 'table', '$0.0786'],
    ['0', 'table', '$0.00'],
  ])('%s (%s) → %s', (value, style, expected) => {
    expect(formatUsdGrouped(value, style)).toBe(expected)
  })
})

describe('formatPrice', () => {
  it.each<[Price, Parameters<typeof formatPrice>[1], string]>([
    [fixed('0.000003'), 'per-million', '$3.00 / 1M tokens'],
    [fixed('0.000003'), 'per-token', '$0.000003 / token'],
    [fixed('0.000000078596'), 'per-token', '$0.0000000786 / token'],
    [fixed('0.000000078596'), 'per-million', '$0.0786 / 1M tokens'],
    [fixed('0.01'), 'per-request', '$0.01 / request'],
    [fixed('0.04'), 'per-image', '$0.04 / image'],
    [fixed('0.005'), 'per-search', '$0.005 / search'],
    [{ kind: 'free' }, 'per-million', 'free'],
    [{ kind: 'variable' }, 'per-million', 'variable'],
    [{ kind: 'unknown' }, 'per-token', 'unknown'],
  ])('%j %s → %s', (price, unit, expected) => {
    expect(formatPrice(price, unit)).toBe(expected)
  })
})

describe('units', () => {
  it.each([
    ['prompt', 'token', 'per-million'],
    ['image_token', 'token', 'per-million'],
    ['request', 'request', 'per-request'],
    ['image', 'image', 'per-image'],
    ['image_output', 'image', 'per-image'],
    ['web_search', 'search', 'per-search'],
    ['some_future_key', 'token', 'per-million'],
  ])('%s is per %s', (key, unit, format) => {
    expect(priceUnitOf(key)).toBe(unit)
    expect(formatFor(key)).toBe(format)
  })
})

describe('comparePrices / priceEquals', () => {
  it.each<[string, Price, Price, number]>([
    ['trailing zero', parsePrice('0.0000030'), parsePrice('0.000003'), 0],
    ['missing vs "0"', parsePrice(undefined), parsePrice('0'), 0],
    ['number vs string', parsePrice(0.000003), parsePrice('0.000003'), 0],
    ['by value not text', fixed('0.00001'), fixed('0.000009'), 1],
    ['beyond float precision', fixed('0.10000000000000000001'), fixed('0.1'), 1],
    ['free before fixed', { kind: 'free' }, fixed('0.000001'), -1],
    ['variable after fixed', { kind: 'variable' }, fixed('1000'), 1],
    ['unknown after variable', { kind: 'unknown' }, { kind: 'variable' }, 1],
    ['variable equals variable', { kind: 'variable' }, { kind: 'variable' }, 0],
  ])('%s', (_name, a, b, expected) => {
    expect(comparePrices(a, b)).toBe(expected)
    expect(comparePrices(b, a)).toBe(-expected || 0)
    expect(priceEquals(a, b)).toBe(expected === 0)
  })
})
