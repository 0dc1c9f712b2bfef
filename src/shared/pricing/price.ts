import { Dec, toDecimal } from './decimal'
import { isRecord } from '../is-record'

/**
 * One price as the app understands it. `fixed.value` is an exact, canonical decimal string (no exponent,
 * no trailing zeros) of USD per unit, so equal prices have equal strings. `variable` is the API's negative
 * sentinel (router models) and must never enter arithmetic; `unknown` is a value we could not read.
 */
export type Price =
  { kind: 'free' } | { kind: 'fixed'; value: string } | { kind: 'variable' } | { kind: 'unknown' }

/** Every pricing key that holds a price (discount is a fraction and overrides are tiers, see overrides.ts). */
export const PRICE_KEYS = [
  'prompt',
  'completion',
  'request',
  'image',
  'image_token',
  'image_output',
  'audio',
  'audio_output',
  'input_audio_cache',
  'web_search',
  'internal_reasoning',
  'input_cache_read',
  'input_cache_write',
  'input_cache_write_1h',
] as const
export type PriceKey = (typeof PRICE_KEYS)[number]

/** How each price is named on screen and in exports; one table so every view says the same. */
export const PRICE_LABELS: Readonly<Record<PriceKey, string>> = {
  prompt: 'Prompt',
  completion: 'Completion',
  request: 'Per request',
  image: 'Image input',
  image_token: 'Image tokens',
  image_output: 'Image output',
  audio: 'Audio input',
  audio_output: 'Audio output',
  input_audio_cache: 'Audio cache',
  web_search: 'Web search',
  internal_reasoning: 'Reasoning tokens',
  input_cache_read: 'Cache read',
  input_cache_write: 'Cache write',
  input_cache_write_1h: 'Cache write (1 h)',
}

export type PriceUnit = 'token' | 'request' | 'image' | 'search'

const UNIT_BY_KEY: Partial<Record<string, PriceUnit>> = {
  request: 'request',
  image: 'image',
  image_output: 'image',
  web_search: 'search',
}

/** What one unit of this key is: everything not listed is per token, including keys the API adds later. */
export function priceUnitOf(key: string): PriceUnit {
  return UNIT_BY_KEY[key] ?? 'token'
}

export const FREE: Price = { kind: 'free' }
export const VARIABLE: Price = { kind: 'variable' }
const UNKNOWN: Price = { kind: 'unknown' }

const PLAIN_DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?$/

/**
 * The API's usual form, a plain decimal string such as "0.0000030", read exactly with string work
 * alone: loading a catalog reads 14 prices per model, and going through Decimal for each was most
 * of the time it takes. Anything else (exponents, numbers, junk) is left to Decimal; null means that.
 */
function parsePlainPrice(value: string): Price | null {
  const m = PLAIN_DECIMAL.exec(value)
  if (!m) return null
  const whole = m[2]!.replace(/^0+(?=\d)/, '')
  const fraction = (m[3] ?? '').replace(/0+$/, '')
  if (whole === '0' && fraction === '') return FREE
  if (m[1] === '-') return VARIABLE
  return { kind: 'fixed', value: fraction ? `${whole}.${fraction}` : whole }
}

/** Reads one raw price value. `undefined` is a missing key, which the API uses for zero. */
export function parsePrice(value: unknown): Price {
  if (value === undefined) return FREE
  const plain = typeof value === 'string' ? parsePlainPrice(value) : null
  if (plain) return plain
  const d = toDecimal(value)
  if (d === null) return UNKNOWN
  if (d.lt(0)) return VARIABLE
  if (d.isZero()) return FREE
  return { kind: 'fixed', value: d.toFixed() }
}

/** The price under `key` in a raw `pricing` object; a pricing that is not an object yields unknown. */
export function readPrice(pricing: unknown, key: string): Price {
  return isRecord(pricing) ? parsePrice(pricing[key]) : UNKNOWN
}

/** Whether the API listed this key at all (2026 data drops zero keys, so absence often means "not offered"). */
export function hasPrice(pricing: unknown, key: string): boolean {
  return isRecord(pricing) && pricing[key] !== undefined
}

/** The exact amount as a Decimal, or null when the price must not be used in arithmetic. */
export function priceAmount(price: Price): Dec | null {
  if (price.kind === 'free') return new Dec(0)
  if (price.kind === 'fixed') return new Dec(price.value)
  return null
}

const CANONICAL = /^(\d+)(?:\.(\d+))?$/

/** A canonical decimal string times 10^places, exactly, by moving the point: "0.0000025" → "2.5". */
function shiftPoint(value: string, places: number): string | null {
  const m = CANONICAL.exec(value)
  if (!m) return null
  const digits = (m[2] ?? '').padEnd(places, '0')
  const whole = `${m[1]}${digits.slice(0, places)}`.replace(/^0+(?=\d)/, '')
  const fraction = digits.slice(places).replace(/0+$/, '')
  return fraction ? `${whole}.${fraction}` : whole
}

/** Exact USD per million units as a decimal string; null for variable or unknown. */
export function perMillion(price: Price): string | null {
  if (price.kind === 'free') return '0'
  const shifted = price.kind === 'fixed' ? shiftPoint(price.value, 6) : null
  if (shifted !== null) return shifted
  const amount = priceAmount(price)
  return amount === null ? null : amount.times(1_000_000).toFixed()
}

/**
 * Display rounding for an exact USD amount. `table`: two decimals from $1 up, otherwise three significant
 * digits but never fewer than two decimals ($3.00, $0.15, $0.0786). `compact` drops trailing zeros ($22.5).
 */
export function formatUsd(value: string, style: 'table' | 'compact' = 'table', significant = 3): string {
  const d = new Dec(value)
  const abs = d.abs()
  let text: string
  if (abs.isZero()) text = '0'
  else if (abs.gte(1)) text = d.toFixed(2)
  else {
    const rounded = d.toSignificantDigits(significant)
    text = rounded.decimalPlaces() < 2 ? rounded.toFixed(2) : rounded.toFixed()
  }
  if (style === 'compact' && text.includes('.')) text = text.replace(/\.?0+$/, '')
  else if (style === 'table' && text === '0') text = '0.00'
  return text.startsWith('-') ? `-$${text.slice(1)}` : `$${text}`
}

/**
 * formatUsd with the thousands grouped ("$3,000,000.00"), for sums read on screen such as a month
 * of a workload. Prices and exports keep formatUsd: a spreadsheet reads "$1234.57" as a number.
 */
export function formatUsdGrouped(
  value: string,
  style: 'table' | 'compact' = 'table',
  significant = 3,
): string {
  return formatUsd(value, style, significant).replace(
    /^(-?\$)(\d+)/,
    (_, sign: string, whole: string) => sign + whole.replace(/\B(?=(\d{3})+$)/g, ','),
  )
}

export type PriceFormat = 'per-token' | 'per-million' | 'per-request' | 'per-image' | 'per-search'

const SUFFIX: Record<PriceFormat, string> = {
  'per-token': ' / token',
  'per-million': ' / 1M tokens',
  'per-request': ' / request',
  'per-image': ' / image',
  'per-search': ' / search',
}

/** "$3.00 / 1M tokens", "$0.000003 / token", "free", "variable" or "unknown". */
export function formatPrice(price: Price, format: PriceFormat): string {
  if (price.kind !== 'fixed') return price.kind
  if (format === 'per-million') return formatUsd(perMillion(price) ?? '0') + SUFFIX[format]
  // Per-token amounts are tiny; four significant digits keep real prices like $0.0000000786 legible.
  return formatUsd(price.value, 'table', format === 'per-token' ? 4 : 3) + SUFFIX[format]
}

/** The natural display format for a key: per 1M for token prices, per unit otherwise. */
export function formatFor(key: string): PriceFormat {
  const unit = priceUnitOf(key)
  return unit === 'token' ? 'per-million' : unit === 'request' ? 'per-request' : `per-${unit}`
}

const RANK: Record<Price['kind'], number> = { free: 0, fixed: 0, variable: 1, unknown: 2 }

/** Orders by value (free is 0); variable, then unknown, sort after every real price. */
export function comparePrices(a: Price, b: Price): number {
  const byRank = RANK[a.kind] - RANK[b.kind]
  if (byRank !== 0) return Math.sign(byRank)
  if (a.kind === 'fixed' && b.kind === 'fixed')
    return a.value === b.value ? 0 : new Dec(a.value).comparedTo(b.value)
  // Same rank, not both fixed: equal kinds tie, otherwise free (0) is below any fixed price.
  if (a.kind === b.kind) return 0
  return a.kind === 'free' ? -1 : 1
}

export function priceEquals(a: Price, b: Price): boolean {
  if (a.kind !== b.kind) return false
  return a.kind !== 'fixed' || a.value === (b as { value: string }).value
}
