import type { ChangeEvent, ChangeKind } from '../../../../shared/changes/types'
import { fieldLabel, formatPercent } from '../../../../shared/model/diff-view'
import { formatTokensShort } from '../../../../shared/model/format'
import {
  PRICE_LABELS,
  formatUsd,
  parsePrice,
  perMillion,
  priceUnitOf,
  type PriceKey,
} from '../../../../shared/pricing/price'

/**
 * How the "What's new" view words and groups change events. Pure, so the wording is tested with
 * tables of cases and the components only lay it out.
 */

export const KIND_LABELS: Readonly<Record<ChangeKind, string>> = {
  added: 'Added',
  removed: 'Removed',
  're-added': 'Re-added',
  price: 'Price',
  context: 'Context',
  'max-output': 'Max output',
  parameters: 'Parameters',
  modalities: 'Modalities',
  expiration: 'Expiration',
  'allowed-entered': 'Now allowed',
  'allowed-left': 'No longer allowed',
}

export type Tone = 'good' | 'bad' | 'warn' | 'neutral'

/** The badge colour of each kind: what a user paying for and relying on a model would feel about it. */
export const KIND_TONES: Readonly<Record<ChangeKind, Tone>> = {
  added: 'good',
  removed: 'bad',
  're-added': 'good',
  price: 'neutral',
  context: 'neutral',
  'max-output': 'neutral',
  parameters: 'neutral',
  modalities: 'neutral',
  expiration: 'warn',
  'allowed-entered': 'good',
  'allowed-left': 'warn',
}

/** One event as a line of the feed: what changed, and from → to or what was gained and lost. */
export interface ChangeLine {
  /** "Prompt price", "Context length", "Supported parameters", or a sentence for the model-level kinds. */
  label: string
  from: string | null
  to: string | null
  /** The unit after the numbers ("/ 1M tokens"), when they have one. */
  unit: string | null
  /** "+100%", "−50%"; null when not meaningful (variable, from zero, not a number). */
  percent: string | null
  tone: Tone
  gained: string[]
  lost: string[]
}

const SENTENCES: Partial<Record<ChangeKind, string>> = {
  added: 'New in the catalog',
  removed: 'Gone from the catalog',
  're-added': 'Back in the catalog',
  'allowed-entered': 'Your key may now use it',
  'allowed-left': 'Your key may no longer use it',
}

const UNIT_TEXT = {
  token: '/ 1M tokens',
  request: '/ request',
  image: '/ image',
  search: '/ search',
} as const

/** A price as the API sent it, in $ per 1M for token prices: "$3.00", "$0", "variable". */
export function priceText(value: string | number | null | undefined, key: string): string {
  const price = parsePrice(value ?? undefined)
  // An absent key is a price of 0 ("not offered" in 2026 data): "free" would promise more. As the CLI says.
  if (price.kind === 'free') return '$0'
  if (price.kind !== 'fixed') return price.kind
  const amount = priceUnitOf(key) === 'token' ? (perMillion(price) ?? price.value) : price.value
  return formatUsd(amount)
}

function numberText(value: string | number | null | undefined): string {
  const n = typeof value === 'string' ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) ? formatTokensShort(n) : '—'
}

/** A discount as the API sends it (a fraction): "20%"; absent is none. */
function fractionText(value: string | number | null | undefined): string {
  const n = Number(value ?? 0)
  return Number.isFinite(n) ? `${Math.round(n * 1000) / 10}%` : '—'
}

function numberPercent(from: unknown, to: unknown): number | null {
  const a = Number(from)
  const b = Number(to)
  if (from === null || to === null || !Number.isFinite(a) || !Number.isFinite(b) || a === 0) return null
  return ((b - a) / a) * 100
}

/** Up or down is good or bad depending on what moved: a price rise costs, more context helps. */
function toneOf(percent: number | null, higherIsBetter: boolean): Tone {
  if (percent === null || percent === 0) return 'neutral'
  return percent > 0 === higherIsBetter ? 'good' : 'bad'
}

export function describeEvent(event: ChangeEvent): ChangeLine {
  const line: ChangeLine = {
    label: SENTENCES[event.kind] ?? (event.field ? fieldLabel(event.field) : KIND_LABELS[event.kind]),
    from: null,
    to: null,
    unit: null,
    percent: null,
    tone: KIND_TONES[event.kind],
    gained: event.gained ?? [],
    lost: event.lost ?? [],
  }
  switch (event.kind) {
    case 'price': {
      const key = event.field ?? 'prompt'
      const percent = event.percent ?? null
      // Tiers are a structure, not an amount; the detail panel shows them.
      if (key === 'overrides') return { ...line, label: 'Price tiers changed' }
      if (key === 'discount')
        return {
          ...line,
          label: 'Discount',
          from: fractionText(event.from),
          to: fractionText(event.to),
          tone: toneOf(Number(event.to ?? 0) - Number(event.from ?? 0), true),
        }
      return {
        ...line,
        label: `${PRICE_LABELS[key as PriceKey] ?? fieldLabel(`pricing.${key}`)} price`,
        from: priceText(event.from, key),
        to: priceText(event.to, key),
        unit: UNIT_TEXT[priceUnitOf(key)],
        percent: percent === null ? null : formatPercent(percent),
        tone: toneOf(percent, false),
      }
    }
    case 'context':
    case 'max-output': {
      const percent = numberPercent(event.from, event.to)
      return {
        ...line,
        label: event.field
          ? fieldLabel(event.field)
          : event.kind === 'context'
            ? 'Context length'
            : 'Max output tokens',
        from: numberText(event.from),
        to: numberText(event.to),
        unit: 'tokens',
        percent: percent === null ? null : formatPercent(percent),
        tone: toneOf(percent, true),
      }
    }
    case 'expiration':
      return {
        ...line,
        label: event.to ? 'Expiration date set' : 'Expiration date cleared',
        from: event.from ? String(event.from) : null,
        to: event.to ? String(event.to) : null,
        tone: event.to ? 'warn' : 'good',
      }
    case 'parameters':
    case 'modalities':
      return { ...line, tone: line.lost.length > 0 ? 'warn' : line.gained.length > 0 ? 'good' : 'neutral' }
    default:
      return line
  }
}

export type FeedRow =
  | { type: 'day'; key: string; label: string; count: number }
  | { type: 'event'; key: string; event: ChangeEvent; time: string }

export interface DayOptions {
  now: Date
  /** Tests pin these; the app shows the user's own. */
  timeZone?: string
  locale?: string
}

function dayKeyFormat(timeZone?: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
}

/** The events (newest first) with a heading row before each day's first: "Today", "Yesterday", "Tue, 1 Dec 2026". */
export function feedRows(events: readonly ChangeEvent[], opts: DayOptions): FeedRow[] {
  const keyOf = dayKeyFormat(opts.timeZone)
  const dayLabel = new Intl.DateTimeFormat(opts.locale, {
    timeZone: opts.timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  })
  const timeOf = new Intl.DateTimeFormat(opts.locale, {
    timeZone: opts.timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
  const today = keyOf.format(opts.now)
  const yesterday = keyOf.format(new Date(opts.now.getTime() - 86_400_000))
  const rows: FeedRow[] = []
  let current: { type: 'day'; key: string; label: string; count: number } | null = null
  for (const event of events) {
    const at = new Date(event.at)
    const valid = !Number.isNaN(at.getTime())
    const day = valid ? keyOf.format(at) : 'unknown'
    if (current?.key !== `day:${day}`) {
      const label = !valid
        ? 'Unknown date'
        : day === today
          ? 'Today'
          : day === yesterday
            ? 'Yesterday'
            : dayLabel.format(at)
      current = { type: 'day', key: `day:${day}`, label, count: 0 }
      rows.push(current)
    }
    current.count++
    rows.push({ type: 'event', key: event.key, event, time: valid ? timeOf.format(at) : '' })
  }
  return rows
}

export const RANGES = ['24h', '7d', '30d', 'all', 'dates'] as const
export type FeedRange = (typeof RANGES)[number]

export const RANGE_LABELS: Readonly<Record<FeedRange, string>> = {
  '24h': '24 h',
  '7d': '7 days',
  '30d': '30 days',
  all: 'All',
  dates: 'Dates',
}

const RANGE_MS: Partial<Record<FeedRange, number>> = {
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

/** A local calendar date's start (or end) as an ISO instant; null for a date that is not one. */
function localDayBound(date: string, end: boolean): string | null {
  if (!DATE.test(date)) return null
  const d = new Date(`${date}T${end ? '23:59:59.999' : '00:00:00.000'}`)
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}

/** The query's since/until for a range: relative to now, or the chosen local dates (both ends inclusive). */
export function rangeBounds(
  range: FeedRange,
  now: Date,
  dates: { from: string; to: string } = { from: '', to: '' },
): { since?: string; until?: string } {
  const ms = RANGE_MS[range]
  if (ms !== undefined) return { since: new Date(now.getTime() - ms).toISOString() }
  if (range !== 'dates') return {}
  const since = localDayBound(dates.from, false)
  const until = localDayBound(dates.to, true)
  return { ...(since ? { since } : {}), ...(until ? { until } : {}) }
}

/** "3 Dec 2026" for the archive's dates. */
export function formatDay(iso: string, locale?: string, timeZone?: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return 'unknown date'
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(d)
}
