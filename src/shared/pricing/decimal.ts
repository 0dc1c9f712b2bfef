import Decimal from 'decimal.js'

/**
 * Our own Decimal constructor so app-wide settings never leak into or out of other users of decimal.js.
 * 40 significant digits keep token counts × per-token prices × days exact; the exponent limits stop
 * toString() from switching to 1e-7 notation, so values stay readable decimal strings.
 */
export const Dec = Decimal.clone({
  precision: 40,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -40,
  toExpPos: 40,
})
export type Dec = InstanceType<typeof Dec>

// Decimal itself also accepts hex, binary, "Infinity" and "NaN", none of which is a price.
const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i

/** A finite decimal from a JSON string or number, or null for anything else. */
export function toDecimal(value: unknown): Dec | null {
  if (typeof value === 'number') return Number.isFinite(value) ? new Dec(value) : null
  if (typeof value !== 'string') return null
  const text = value.trim()
  return DECIMAL_TEXT.test(text) ? new Dec(text) : null
}
