import { Dec } from '../pricing/decimal'
import { effectivePricing } from '../pricing/overrides'
import { hasPrice, parsePrice, priceAmount, type Price } from '../pricing/price'
import type { NormalisedModel } from './normalise'
import { isRecord } from '../is-record'

/** A cell in the compare grid: a plain number, an exact decimal string, a Price, or nothing known. */
export type CompareValue = number | string | Price | null | undefined

function amountOf(value: CompareValue): Dec | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') return Number.isFinite(value) ? new Dec(value) : null
  if (typeof value === 'string') {
    const price = parsePrice(value)
    return price.kind === 'variable' ? null : priceAmount(price)
  }
  return priceAmount(value)
}

/**
 * Which cells to mark best and worst. Unknown and variable values take no part; ties share the mark. When
 * every known value is equal there is nothing to tell apart: all are best and none is worst.
 */
export function bestWorst(
  values: readonly CompareValue[],
  better: 'lower' | 'higher',
): { best: number[]; worst: number[] } {
  const known = values.map(amountOf)
  let min: Dec | null = null
  let max: Dec | null = null
  for (const v of known) {
    if (v === null) continue
    if (min === null || v.lt(min)) min = v
    if (max === null || v.gt(max)) max = v
  }
  if (min === null || max === null) return { best: [], worst: [] }
  const [bestValue, worstValue] = better === 'lower' ? [min, max] : [max, min]
  const at = (target: Dec) => known.flatMap((v, i) => (v !== null && v.eq(target) ? [i] : []))
  return { best: at(bestValue), worst: min.eq(max) ? [] : at(worstValue) }
}

/** "3.2x" how many times the cheapest this is; "1x" for the cheapest. Null when no ratio exists (free, variable). */
export function multipleOfCheapest(value: CompareValue, cheapest: CompareValue): string | null {
  const v = amountOf(value)
  const c = amountOf(cheapest)
  if (v === null || c === null) return null
  if (c.isZero()) return v.isZero() ? '1x' : null
  const ratio = v.div(c)
  const shown = ratio.gte(10) ? ratio.toDecimalPlaces(0) : ratio.toDecimalPlaces(1)
  return `${shown.toFixed()}x`
}

export type Workload = {
  /** Uncached prompt tokens per request. */
  inputTokens: number
  /** Completion tokens per request, not counting reasoning. */
  outputTokens: number
  /** Prompt tokens per request served from the provider's cache. */
  cachedReadTokens: number
  reasoningTokens: number
  requestsPerDay: number
  /** Minutes after 00:00 UTC, for models priced by time of day; without it their default prices apply. */
  utcMinutes?: number
}

export type CostBreakdown = {
  input: string
  cachedRead: string
  output: string
  reasoning: string
  request: string
}

export type WorkloadCost =
  | { kind: 'known'; perRequest: string; perDay: string; perMonth: string; breakdown: CostBreakdown }
  | { kind: 'unknown'; reason: string }

const DAYS_PER_MONTH = 30

/**
 * USD for a workload, exact. The long-context tier is picked by the whole prompt (fresh + cached tokens),
 * as providers count it. Cached reads fall back to the prompt price when the model lists no cache price;
 * reasoning tokens to the completion price. A `discount` fraction, when set, applies to the total.
 */
export function workloadCost(model: NormalisedModel, workload: Workload): WorkloadCost {
  const pricing = model.raw.pricing
  if (!isRecord(pricing)) return { kind: 'unknown', reason: 'no pricing' }
  const context = {
    promptTokens: workload.inputTokens + workload.cachedReadTokens,
    utcMinutes: workload.utcMinutes,
  }
  const effective = effectivePricing(pricing, context)
  const priceOf = (key: string, fallback?: string): Price =>
    fallback !== undefined && !hasPrice(effective, key)
      ? parsePrice(effective[fallback])
      : parsePrice(effective[key])

  const parts: [keyof CostBreakdown, Price, number][] = [
    ['input', priceOf('prompt'), workload.inputTokens],
    ['cachedRead', priceOf('input_cache_read', 'prompt'), workload.cachedReadTokens],
    ['output', priceOf('completion'), workload.outputTokens],
    ['reasoning', priceOf('internal_reasoning', 'completion'), workload.reasoningTokens],
    ['request', priceOf('request'), 1],
  ]
  const breakdown = {} as Record<keyof CostBreakdown, Dec>
  let total = new Dec(0)
  for (const [name, price, quantity] of parts) {
    // A variable price only matters if the workload uses it.
    const amount = quantity === 0 ? new Dec(0) : priceAmount(price)
    if (amount === null)
      return { kind: 'unknown', reason: price.kind === 'variable' ? 'variable price' : 'unreadable price' }
    breakdown[name] = amount.times(quantity)
    total = total.plus(breakdown[name])
  }
  const discount = model.discount
  const factor = discount !== null && discount > 0 && discount <= 1 ? new Dec(1).minus(discount) : new Dec(1)
  const perRequest = total.times(factor)
  const perDay = perRequest.times(workload.requestsPerDay)
  const text = (d: Dec) => d.toFixed()
  return {
    kind: 'known',
    perRequest: text(perRequest),
    perDay: text(perDay),
    perMonth: text(perDay.times(DAYS_PER_MONTH)),
    breakdown: {
      input: text(breakdown.input.times(factor)),
      cachedRead: text(breakdown.cachedRead.times(factor)),
      output: text(breakdown.output.times(factor)),
      reasoning: text(breakdown.reasoning.times(factor)),
      request: text(breakdown.request.times(factor)),
    },
  }
}

export type RankedCost = { model: NormalisedModel; cost: WorkloadCost }

/** Cheapest first; models whose cost cannot be known go last, in their original order. */
export function rankByCost(models: readonly NormalisedModel[], workload: Workload): RankedCost[] {
  const rows = models.map((model) => {
    const cost = workloadCost(model, workload)
    return { model, cost, amount: cost.kind === 'known' ? new Dec(cost.perRequest) : null }
  })
  rows.sort((a, b) => {
    if (a.amount === null || b.amount === null) return a.amount === b.amount ? 0 : a.amount === null ? 1 : -1
    return a.amount.comparedTo(b.amount)
  })
  return rows.map(({ model, cost }) => ({ model, cost }))
}
