import { formatUsd, parsePrice, perMillion, priceUnitOf } from './price'
import { isRecord } from '../is-record'

/**
 * One conditional price tier from `pricing.overrides`. Prices stay raw (as sent) so an effective pricing
 * object has the same shape as the base one and every reader of `pricing` works on it unchanged.
 */
export type PricingOverride = {
  minPromptTokens: number | null
  /** Minutes after 00:00 UTC; the window is [start, end) and wraps past midnight when end <= start. */
  window: { start: number; end: number } | null
  /** True when a condition is present but unreadable: such a tier never applies. */
  malformed: boolean
  prices: Record<string, unknown>
}

export type PricingContext = {
  promptTokens: number
  /** Minutes after 00:00 UTC. Without it, time-window tiers are ignored: base prices are the default. */
  utcMinutes?: number
}

const CONDITION_KEYS = new Set(['min_prompt_tokens', 'utc_start', 'utc_end'])

/** HHMM (1630) to minutes after midnight; 2400 is accepted as the end of the day. */
function hhmmToMinutes(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return null
  const hours = Math.floor(value / 100)
  const minutes = value % 100
  if (minutes >= 60 || hours > 24 || (hours === 24 && minutes > 0)) return null
  return hours * 60 + minutes
}

function readOverride(entry: Record<string, unknown>): PricingOverride {
  let malformed = false
  let minPromptTokens: number | null = null
  if (entry.min_prompt_tokens !== undefined && entry.min_prompt_tokens !== null) {
    if (typeof entry.min_prompt_tokens === 'number' && Number.isFinite(entry.min_prompt_tokens)) {
      minPromptTokens = entry.min_prompt_tokens
    } else malformed = true
  }
  let window: PricingOverride['window'] = null
  const hasStart = entry.utc_start !== undefined && entry.utc_start !== null
  const hasEnd = entry.utc_end !== undefined && entry.utc_end !== null
  if (hasStart || hasEnd) {
    const start = hhmmToMinutes(entry.utc_start)
    const end = hhmmToMinutes(entry.utc_end)
    if (start === null || end === null) malformed = true
    else window = { start, end }
  }
  const prices: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(entry)) if (!CONDITION_KEYS.has(key)) prices[key] = value
  return { minPromptTokens, window, malformed, prices }
}

/** The tiers of a raw pricing object, in API order; entries that are not objects are dropped. */
export function readOverrides(pricing: unknown): PricingOverride[] {
  if (!isRecord(pricing) || !Array.isArray(pricing.overrides)) return []
  return pricing.overrides.filter(isRecord).map(readOverride)
}

function inWindow(minutes: number, window: { start: number; end: number }): boolean {
  const { start, end } = window
  // A window that starts where it ends covers the whole day: the schedule lists all 24 hours.
  if (start === end) return true
  return start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end
}

export function overrideApplies(tier: PricingOverride, context: PricingContext): boolean {
  if (tier.malformed) return false
  if (tier.minPromptTokens !== null && !(context.promptTokens > tier.minPromptTokens)) return false
  if (tier.window !== null) {
    if (context.utcMinutes === undefined) return false
    const minutes = ((Math.floor(context.utcMinutes) % 1440) + 1440) % 1440
    if (!inWindow(minutes, tier.window)) return false
  }
  return true
}

/**
 * The pricing that applies to one request: base prices, then every matching tier in order (later tiers
 * win per key, keys a tier leaves out keep the price below). The result has no `overrides` key.
 */
export function effectivePricing(pricing: unknown, context: PricingContext): Record<string, unknown> {
  if (!isRecord(pricing)) return {}
  const result: Record<string, unknown> = { ...pricing }
  delete result.overrides
  for (const tier of readOverrides(pricing)) {
    if (overrideApplies(tier, context)) Object.assign(result, tier.prices)
  }
  return result
}

/** 200000 → "200K", 2500000 → "2.5M", 131072 → "131,072": exact, since a tier boundary matters to the token. */
export function formatTokenThreshold(tokens: number): string {
  if (tokens >= 1_000_000 && tokens % 10_000 === 0) return `${tokens / 1_000_000}M`
  if (tokens >= 1_000 && tokens % 1_000 === 0) return `${(tokens / 1_000).toLocaleString('en-US')}K`
  return tokens.toLocaleString('en-US')
}

function formatClock(minutes: number): string {
  const m = minutes % 1440
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
}

const OVERRIDE_LABELS: Record<string, string> = {
  input_audio_cache: 'audio cache',
  input_cache_read: 'cache read',
  input_cache_write: 'cache write',
  input_cache_write_1h: 'cache write (1h)',
}

const UNIT_SUFFIX = { token: '/1M', request: '/request', image: '/image', search: '/search' } as const

function describePrice(key: string, value: unknown): string {
  const price = parsePrice(value)
  const label = OVERRIDE_LABELS[key] ?? key.replaceAll('_', ' ')
  if (price.kind === 'variable' || price.kind === 'unknown') return `${label} ${price.kind}`
  const unit = priceUnitOf(key)
  const amount = unit === 'token' ? (perMillion(price) ?? '0') : price.kind === 'fixed' ? price.value : '0'
  return `${label} ${formatUsd(amount, 'compact')}${UNIT_SUFFIX[unit]}`
}

export type OverrideTier = {
  /** "Prompts over 200K tokens", "16:30–00:30 UTC", both joined with ", ", or "Always". */
  condition: string
  /** "prompt $6/1M, completion $22.5/1M" */
  prices: string
  text: string
}

/** Human tiers for the model detail view, in API order. */
export function describeOverrides(pricing: unknown): OverrideTier[] {
  return readOverrides(pricing).map((tier) => {
    const parts: string[] = []
    if (tier.minPromptTokens !== null)
      parts.push(`Prompts over ${formatTokenThreshold(tier.minPromptTokens)} tokens`)
    if (tier.window !== null)
      parts.push(`${formatClock(tier.window.start)}–${formatClock(tier.window.end)} UTC`)
    const condition = tier.malformed ? 'Unreadable condition' : parts.length > 0 ? parts.join(', ') : 'Always'
    const prices = Object.entries(tier.prices)
      .map(([key, value]) => describePrice(key, value))
      .join(', ')
    return { condition, prices, text: `${condition}: ${prices}` }
  })
}
