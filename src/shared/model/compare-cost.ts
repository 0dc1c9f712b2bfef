import { Dec } from '../pricing/decimal'
import { overrideApplies, readOverrides } from '../pricing/overrides'
import { multipleOfCheapest, rankByCost, type Workload, type WorkloadCost } from './compare'
import type { NormalisedModel } from './normalise'

export type CostRow = {
  model: NormalisedModel
  cost: WorkloadCost
  /** 1 for the cheapest; ties share a rank; null when the cost is unknown. */
  rank: number | null
  /** "2.4x" the cheapest known cost; null when unknown or when the cheapest is free. */
  multiple: string | null
  /** A conditional (long-context or time-of-day) price tier decided this cost. */
  tierApplied: boolean
}

function tierApplies(model: NormalisedModel, workload: Workload): boolean {
  const context = {
    promptTokens: workload.inputTokens + workload.cachedReadTokens,
    utcMinutes: workload.utcMinutes,
  }
  return readOverrides(model.raw.pricing).some((tier) => overrideApplies(tier, context))
}

/** The workload table: cheapest first, unknown costs last, with ranks and multiples of the cheapest. */
export function costTable(models: readonly NormalisedModel[], workload: Workload): CostRow[] {
  const ranked = rankByCost(models, workload)
  const cheapest = ranked.find((r) => r.cost.kind === 'known')?.cost
  const cheapestAmount = cheapest?.kind === 'known' ? cheapest.perRequest : null
  let rank = 0
  let previous: string | null = null
  return ranked.map(({ model, cost }, i) => {
    let rowRank: number | null = null
    if (cost.kind === 'known') {
      if (previous === null || !new Dec(cost.perRequest).eq(previous)) rank = i + 1
      previous = cost.perRequest
      rowRank = rank
    }
    return {
      model,
      cost,
      rank: rowRank,
      multiple: cost.kind === 'known' ? multipleOfCheapest(cost.perRequest, cheapestAmount) : null,
      tierApplied: cost.kind === 'known' && tierApplies(model, workload),
    }
  })
}
