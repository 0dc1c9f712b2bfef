import { Dec } from '../pricing/decimal'
import { PRICE_KEYS, priceEquals, type Price, type PriceKey } from '../pricing/price'
import { PRICE_LABELS, formatPriceAmount, priceUnitText } from './compare-rows'
import type { NormalisedModel } from './normalise'
import type { SnapshotHistoryPoint } from '../snapshots'
import { readModelHistory } from './model-history'

/**
 * `added` / `removed`: the key was listed on one side only. `unknown`: a variable or unreadable price on one
 * side, so no direction can be told.
 */
export type ChangeDirection = 'up' | 'down' | 'same' | 'added' | 'removed' | 'unknown'

export type Change = {
  direction: ChangeDirection
  /** "+25%", "−10.5%", "0%"; null when no ratio exists (from free, or unknown). */
  percent: string | null
}

export type PriceDelta = {
  key: PriceKey
  label: string
  unit: string
  before: string
  after: string
  change: Change
}

export type NumberDelta = {
  before: number | null
  after: number | null
  /** after − before when both are known. */
  difference: number | null
  change: Change
}

export type ModelDelta =
  | { id: string; status: 'absent' }
  | {
      id: string
      status: 'present'
      prices: PriceDelta[]
      context: NumberDelta
      maxOutput: NumberDelta
      /** Anything above moved. */
      changed: boolean
    }

const MINUS = '\u2212'

/** Percent change from `before` to `after`, one decimal at most: "+25%", "−10.5%", "0%". */
export function percentChange(before: Dec | string | number, after: Dec | string | number): string | null {
  const from = new Dec(before)
  if (from.isZero()) return null
  const percent = new Dec(after).minus(from).div(from.abs()).times(100).toDecimalPlaces(1)
  if (percent.isZero()) return '0%'
  const sign = percent.isNegative() ? MINUS : '+'
  return `${sign}${percent.abs().toFixed()}%`
}

function amount(price: Price): Dec | null {
  if (price.kind === 'free') return new Dec(0)
  return price.kind === 'fixed' ? new Dec(price.value) : null
}

/** `null` on a side means the key was not listed there. */
export function priceChange(before: Price | null, after: Price | null): Change {
  if (before === null && after === null) return { direction: 'same', percent: null }
  if (before === null) return { direction: 'added', percent: null }
  if (after === null) return { direction: 'removed', percent: null }
  if (priceEquals(before, after)) return { direction: 'same', percent: '0%' }
  const from = amount(before)
  const to = amount(after)
  if (from === null || to === null) return { direction: 'unknown', percent: null }
  const direction = to.gt(from) ? 'up' : to.lt(from) ? 'down' : 'same'
  return { direction, percent: percentChange(from, to) }
}

export function numberChange(before: number | null, after: number | null): NumberDelta {
  if (before === null || after === null) {
    const direction: ChangeDirection = before === after ? 'same' : before === null ? 'added' : 'removed'
    return { before, after, difference: null, change: { direction, percent: null } }
  }
  const direction = after > before ? 'up' : after < before ? 'down' : 'same'
  return {
    before,
    after,
    difference: after - before,
    change: { direction, percent: percentChange(before, after) },
  }
}

const REQUIRED: ReadonlySet<PriceKey> = new Set(['prompt', 'completion'])

function listedPrice(model: NormalisedModel, key: PriceKey): Price | null {
  return REQUIRED.has(key) || model.pricedKeys.includes(key) ? model.prices[key] : null
}

/**
 * How one model moved between an older snapshot (`before`, null when it was not in that catalog) and now.
 * Prompt and completion are always listed; other prices only where either side lists them.
 */
export function modelDelta(before: NormalisedModel | null, after: NormalisedModel): ModelDelta {
  if (before === null) return { id: after.id, status: 'absent' }
  const prices: PriceDelta[] = []
  for (const key of PRICE_KEYS) {
    const from = listedPrice(before, key)
    const to = listedPrice(after, key)
    if (from === null && to === null) continue
    prices.push({
      key,
      label: PRICE_LABELS[key],
      unit: priceUnitText(key),
      before: from === null ? '—' : formatPriceAmount(from, key),
      after: to === null ? '—' : formatPriceAmount(to, key),
      change: priceChange(from, to),
    })
  }
  const context = numberChange(before.contextLength, after.contextLength)
  const maxOutput = numberChange(before.maxOutput, after.maxOutput)
  const changed = [...prices.map((p) => p.change), context.change, maxOutput.change].some(
    (c) => c.direction !== 'same',
  )
  return { id: after.id, status: 'present', prices, context, maxOutput, changed }
}

export type TimelineRow =
  | { id: string; takenAt: string; status: 'absent' }
  | { id: string; takenAt: string; status: 'unavailable'; reason: string }
  | {
      id: string
      takenAt: string
      status: 'present'
      prompt: string
      completion: string
      context: number | null
      /** Against the next older snapshot that had the model; null for the oldest such one. */
      promptChange: Change | null
      completionChange: Change | null
      contextChange: Change | null
    }

/** One model across snapshots, newest first (as the store lists them), each row against the one before it. */
export function modelTimeline(points: readonly SnapshotHistoryPoint[]): TimelineRow[] {
  return readModelHistory(points).map((entry): TimelineRow => {
    if (entry.status !== 'present') return entry
    const { model, previous } = entry
    return {
      id: entry.id,
      takenAt: entry.takenAt,
      status: 'present',
      prompt: formatPriceAmount(model.prices.prompt, 'prompt'),
      completion: formatPriceAmount(model.prices.completion, 'completion'),
      context: model.contextLength,
      promptChange: previous && priceChange(previous.prices.prompt, model.prices.prompt),
      completionChange: previous && priceChange(previous.prices.completion, model.prices.completion),
      contextChange: previous && numberChange(previous.contextLength, model.contextLength).change,
    }
  })
}
