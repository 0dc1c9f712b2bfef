import { Dec } from '../pricing/decimal'
import { describeOverrides } from '../pricing/overrides'
import {
  PRICE_KEYS,
  PRICE_LABELS,
  formatUsd,
  perMillion,
  priceUnitOf,
  type Price,
  type PriceKey,
} from '../pricing/price'
import { bestWorst, multipleOfCheapest, type CompareValue } from './compare'
import type { EndpointRow } from './endpoint'
import { formatInteger, formatScore, formatUnixDate } from './format'
import type { NormalisedModel } from './normalise'

export type CompareGroupId =
  | 'identity'
  | 'limits'
  | 'pricing'
  | 'modalities'
  | 'parameters'
  | 'reasoning'
  | 'moderation'
  | 'dates'
  | 'benchmarks'
  | 'providers'

export type CompareCell = {
  text: string
  /** Canonical form of the value: two cells are the same exactly when their keys are. */
  key: string
  /** What best/worst and the multiple compare; null keeps the cell out of both. */
  value: CompareValue
  /** A second line or tooltip: exact per-token price, tier details, provider prices. */
  note: string | null
  /** Set on the parameter matrix: whether the model accepts this parameter. */
  tick: boolean | null
}

export type CompareRowKind = 'text' | 'mono' | 'number' | 'price' | 'tick'

export type CompareRow = {
  /** Stable across model sets: `price:prompt`, `param:tools`. */
  id: string
  group: CompareGroupId
  label: string
  /** "per 1M tokens", "tokens"; null when the value carries its own unit. */
  unit: string | null
  kind: CompareRowKind
  better: 'lower' | 'higher' | null
  cells: CompareCell[]
  best: number[]
  worst: number[]
  /** Every cell holds the same value (needs two cells or more: one model is not "identical" to anything). */
  identical: boolean
  /** "3.2x" per cell on price rows with at least two different known prices; null otherwise. */
  multiples: (string | null)[] | null
}

export type CompareGroup = { id: CompareGroupId; label: string; rows: CompareRow[] }

/** What the endpoints list says about a model's providers, reduced to the three facts the grid shows. */
export type ProviderSummary = {
  count: number
  cheapest: { provider: string; promptPerM: string; completionPerM: string; totalPerM: string } | null
  bestUptime: { provider: string; uptime: number } | null
}

const DASH = '—'

const GROUP_LABELS: Record<CompareGroupId, string> = {
  identity: 'Identity',
  limits: 'Context and limits',
  pricing: 'Pricing',
  modalities: 'Modalities',
  parameters: 'Supported parameters',
  reasoning: 'Reasoning',
  moderation: 'Moderation',
  dates: 'Dates',
  benchmarks: 'Benchmarks (Artificial Analysis)',
  providers: 'Providers',
}

export { PRICE_LABELS }

const UNIT_TEXT = {
  token: 'per 1M tokens',
  request: 'per request',
  image: 'per image',
  search: 'per search',
} as const

export function priceUnitText(key: PriceKey): string {
  return UNIT_TEXT[priceUnitOf(key)]
}

/** Prompt and completion are always meaningful (a missing one is free); other keys may be "not offered". */
const REQUIRED_PRICES: ReadonlySet<PriceKey> = new Set(['prompt', 'completion'])

function isListed(model: NormalisedModel, key: PriceKey): boolean {
  return REQUIRED_PRICES.has(key) || model.pricedKeys.includes(key)
}

/** "$3.00" for a price in the key's natural unit (per 1M for tokens), or "free" / "variable" / "unknown". */
export function formatPriceAmount(price: Price, key: PriceKey): string {
  if (price.kind !== 'fixed') return price.kind
  return formatUsd(priceUnitOf(key) === 'token' ? perMillion(price)! : price.value)
}

function cell(
  text: string,
  key: string = text,
  value: CompareValue = null,
  note: string | null = null,
): CompareCell {
  return { text, key, value, note, tick: null }
}

const empty = (): CompareCell => cell(DASH, '')

function textCell(value: string | null | undefined): CompareCell {
  return value ? cell(value) : empty()
}

function numberCell(value: number | null, show: (n: number) => string = formatInteger): CompareCell {
  return value === null ? empty() : cell(show(value), String(value), value)
}

function yesNo(value: boolean | null | undefined, unknown = DASH): CompareCell {
  if (value === null || value === undefined) return cell(unknown, '')
  return cell(value ? 'yes' : 'no')
}

function listCell(values: readonly string[]): CompareCell {
  if (values.length === 0) return empty()
  return cell(values.join(', '), [...values].sort().join('\n'))
}

function priceCell(model: NormalisedModel, key: PriceKey): CompareCell {
  if (!isListed(model, key)) return cell(DASH, 'unlisted', null, 'not listed: the model does not offer this')
  const price = model.prices[key]
  const exact = price.kind === 'fixed' && priceUnitOf(key) === 'token' ? `$${price.value} per token` : null
  const note = price.kind === 'variable' ? 'decided per request (router or variable pricing)' : exact
  // Variable and unknown prices take no part in best/worst or the multiple.
  const value: CompareValue = price.kind === 'fixed' || price.kind === 'free' ? price : null
  return cell(
    formatPriceAmount(price, key),
    `${price.kind}:${price.kind === 'fixed' ? price.value : ''}`,
    value,
    note,
  )
}

function knownCount(cells: readonly CompareCell[]): number {
  return cells.filter((c) => c.value !== null && c.value !== undefined).length
}

function row(
  id: string,
  group: CompareGroupId,
  label: string,
  cells: CompareCell[],
  opts: { unit?: string | null; kind?: CompareRowKind; better?: 'lower' | 'higher' | null } = {},
): CompareRow {
  const better = opts.better ?? null
  const values = cells.map((c) => c.value)
  const marks = better && knownCount(cells) >= 2 ? bestWorst(values, better) : { best: [], worst: [] }
  const identical = cells.length >= 2 && cells.every((c) => c.key === cells[0]!.key)
  let multiples: (string | null)[] | null = null
  if (opts.kind === 'price' && marks.worst.length > 0) {
    const cheapest = values[marks.best[0]!]
    multiples = values.map((v) => multipleOfCheapest(v, cheapest))
  }
  return {
    id,
    group,
    label,
    unit: opts.unit ?? null,
    kind: opts.kind ?? 'text',
    better,
    cells,
    // Marks only mean something when there is a difference to mark.
    best: marks.worst.length > 0 ? marks.best : [],
    worst: marks.worst,
    identical,
    multiples,
  }
}

function identityRows(models: readonly NormalisedModel[]): CompareRow[] {
  const g = 'identity'
  return [
    row(
      'name',
      g,
      'Name',
      models.map((m) => cell(m.name)),
    ),
    row(
      'id',
      g,
      'ID',
      models.map((m) => cell(m.id)),
      { kind: 'mono' },
    ),
    row(
      'author',
      g,
      'Author',
      models.map((m) => cell(m.author)),
    ),
    row(
      'created',
      g,
      'Created',
      models.map((m) => (m.created === null ? empty() : cell(formatUnixDate(m.created), String(m.created)))),
    ),
    row(
      'canonical',
      g,
      'Canonical slug',
      models.map((m) => textCell(m.canonicalSlug)),
      { kind: 'mono' },
    ),
    row(
      'huggingFace',
      g,
      'Hugging Face ID',
      models.map((m) => textCell(m.huggingFaceId)),
      { kind: 'mono' },
    ),
  ]
}

function limitRows(models: readonly NormalisedModel[]): CompareRow[] {
  const opts = { unit: 'tokens', kind: 'number', better: 'higher' } as const
  return [
    row(
      'context',
      'limits',
      'Context',
      models.map((m) => numberCell(m.contextLength)),
      opts,
    ),
    row(
      'maxOutput',
      'limits',
      'Max output',
      models.map((m) => numberCell(m.maxOutput)),
      opts,
    ),
  ]
}

function percentText(fraction: number): string {
  return `${new Dec(fraction).times(100).toDecimalPlaces(1).toFixed()}%`
}

function pricingRows(models: readonly NormalisedModel[]): CompareRow[] {
  const rows = PRICE_KEYS.filter((key) => models.some((m) => isListed(m, key))).map((key) =>
    row(
      `price:${key}`,
      'pricing',
      PRICE_LABELS[key],
      models.map((m) => priceCell(m, key)),
      {
        unit: priceUnitText(key),
        kind: 'price',
        better: 'lower',
      },
    ),
  )
  if (models.some((m) => m.hasOverrides)) {
    rows.push(
      row(
        'price:tiers',
        'pricing',
        'Conditional prices',
        models.map((m) => {
          const tiers = describeOverrides(m.raw.pricing)
          return tiers.length === 0 ? cell('none') : cell(tiers.map((t) => t.text).join('; '))
        }),
      ),
    )
  }
  if (models.some((m) => m.discount !== null && m.discount !== 0)) {
    rows.push(
      row(
        'price:discount',
        'pricing',
        'Discount',
        models.map((m) =>
          m.discount ? cell(percentText(m.discount), String(m.discount)) : cell('none', '0'),
        ),
      ),
    )
  }
  return rows
}

function modalityRows(models: readonly NormalisedModel[]): CompareRow[] {
  return [
    row(
      'inputModalities',
      'modalities',
      'Input',
      models.map((m) => listCell(m.inputModalities)),
    ),
    row(
      'outputModalities',
      'modalities',
      'Output',
      models.map((m) => listCell(m.outputModalities)),
    ),
    row(
      'tokenizer',
      'modalities',
      'Tokenizer',
      models.map((m) => textCell(m.tokenizer)),
    ),
  ]
}

function parameterRows(models: readonly NormalisedModel[]): CompareRow[] {
  const all = [...new Set(models.flatMap((m) => m.supportedParameters))].sort()
  return all.map((param) =>
    row(
      `param:${param}`,
      'parameters',
      param,
      models.map((m) => {
        const has = m.supportedParameters.includes(param)
        return { ...cell(has ? '✓' : '', has ? 'yes' : 'no'), tick: has }
      }),
      { kind: 'tick' },
    ),
  )
}

function reasoningRows(models: readonly NormalisedModel[]): CompareRow[] {
  const g = 'reasoning'
  return [
    row(
      'reasoning',
      g,
      'Reasoning',
      models.map((m) => cell(m.reasoning ? 'yes' : 'no')),
    ),
    row(
      'reasoning:mandatory',
      g,
      'Always on',
      models.map((m) => yesNo(m.reasoning?.mandatory)),
    ),
    row(
      'reasoning:default',
      g,
      'On by default',
      models.map((m) => yesNo(m.reasoning?.defaultEnabled)),
    ),
    row(
      'reasoning:efforts',
      g,
      'Efforts',
      models.map((m) => {
        if (!m.reasoning) return empty()
        if (m.reasoning.efforts === null) return cell('not restricted')
        // Effort order is meaningful (highest first), so it is part of the key.
        return m.reasoning.efforts.length === 0 ? cell('none') : cell(m.reasoning.efforts.join(', '))
      }),
    ),
    row(
      'reasoning:defaultEffort',
      g,
      'Default effort',
      models.map((m) => textCell(m.reasoning?.defaultEffort)),
    ),
  ]
}

function dateRows(models: readonly NormalisedModel[]): CompareRow[] {
  return [
    row(
      'knowledgeCutoff',
      'dates',
      'Knowledge cutoff',
      models.map((m) => textCell(m.knowledgeCutoff)),
    ),
    row(
      'expirationDate',
      'dates',
      'Expires',
      models.map((m) => textCell(m.expirationDate)),
    ),
  ]
}

function benchmarkRows(models: readonly NormalisedModel[]): CompareRow[] {
  const opts = { kind: 'number', better: 'higher' } as const
  const score = (read: (m: NormalisedModel) => number | null) =>
    models.map((m) => numberCell(read(m), formatScore))
  return [
    row(
      'bench:intelligence',
      'benchmarks',
      'Intelligence index',
      score((m) => m.benchmarks?.intelligence ?? null),
      opts,
    ),
    row(
      'bench:coding',
      'benchmarks',
      'Coding index',
      score((m) => m.benchmarks?.coding ?? null),
      opts,
    ),
    row(
      'bench:agentic',
      'benchmarks',
      'Agentic index',
      score((m) => m.benchmarks?.agentic ?? null),
      opts,
    ),
  ]
}

/** Uptime as the API gives it (0–100), one decimal. */
function formatUptime(value: number): string {
  return `${formatScore(value)}%`
}

function providerRows(
  models: readonly NormalisedModel[],
  providers: readonly (ProviderSummary | null)[],
): CompareRow[] {
  const g = 'providers'
  const notFetched = () => cell('not fetched', 'not fetched')
  const summaries = models.map((_, i) => providers[i] ?? null)
  return [
    row(
      'providers:count',
      g,
      'Providers',
      summaries.map((s) => (s ? cell(String(s.count), String(s.count), s.count) : notFetched())),
      { kind: 'number', better: 'higher' },
    ),
    row(
      'providers:cheapest',
      g,
      'Cheapest provider',
      summaries.map((s) => {
        if (!s) return notFetched()
        if (!s.cheapest) return cell(DASH, 'none')
        const { provider, promptPerM, completionPerM, totalPerM } = s.cheapest
        return cell(
          provider,
          `${provider}:${totalPerM}`,
          totalPerM,
          `${formatUsd(promptPerM)} in · ${formatUsd(completionPerM)} out per 1M`,
        )
      }),
      { unit: 'input + output per 1M', better: 'lower' },
    ),
    row(
      'providers:uptime',
      g,
      'Best uptime (1 day)',
      summaries.map((s) => {
        if (!s) return notFetched()
        if (!s.bestUptime) return cell(DASH, 'none')
        const { provider, uptime } = s.bestUptime
        return cell(formatUptime(uptime), `${provider}:${uptime}`, uptime, provider)
      }),
      { kind: 'number', better: 'higher' },
    ),
  ]
}

/**
 * Every row of the compare grid, in display groups, one cell per model in the given order. `providers`
 * runs parallel to `models`; a missing entry reads "not fetched".
 */
export function buildCompareGroups(
  models: readonly NormalisedModel[],
  providers: readonly (ProviderSummary | null)[] = [],
): CompareGroup[] {
  const rows: Record<CompareGroupId, CompareRow[]> = {
    identity: identityRows(models),
    limits: limitRows(models),
    pricing: pricingRows(models),
    modalities: modalityRows(models),
    parameters: parameterRows(models),
    reasoning: reasoningRows(models),
    moderation: [
      row(
        'moderated',
        'moderation',
        'Moderated',
        models.map((m) => yesNo(m.moderated, 'unknown')),
      ),
    ],
    dates: dateRows(models),
    benchmarks: benchmarkRows(models),
    providers: providerRows(models, providers),
  }
  return (Object.keys(rows) as CompareGroupId[])
    .map((id) => ({ id, label: GROUP_LABELS[id], rows: rows[id] }))
    .filter((g) => g.rows.length > 0)
}

/** The groups with identical rows removed when asked; a group left with no rows disappears. */
export function visibleGroups(groups: readonly CompareGroup[], hideIdentical: boolean): CompareGroup[] {
  if (!hideIdentical) return [...groups]
  return groups
    .map((g) => ({ ...g, rows: g.rows.filter((r) => !r.identical) }))
    .filter((g) => g.rows.length > 0)
}

function uptimeOf(row: EndpointRow): number | null {
  return row.uptime1d ?? row.uptime30m
}

/**
 * Cheapest by input + output price per 1M; degraded endpoints only count when nothing else serves the
 * model. Best uptime over the last day, falling back to the last 30 minutes when a day is not reported.
 */
export function summariseProviders(rows: readonly EndpointRow[]): ProviderSummary {
  const healthy = rows.filter((r) => !r.degraded)
  const pool = healthy.length > 0 ? healthy : rows
  let cheapest: ProviderSummary['cheapest'] = null
  let cheapestTotal: Dec | null = null
  for (const r of pool) {
    if (r.promptPerM === null || r.completionPerM === null) continue
    const total = new Dec(r.promptPerM).plus(r.completionPerM)
    if (cheapestTotal === null || total.lt(cheapestTotal)) {
      cheapestTotal = total
      cheapest = {
        provider: r.provider,
        promptPerM: r.promptPerM,
        completionPerM: r.completionPerM,
        totalPerM: total.toFixed(),
      }
    }
  }
  let bestUptime: ProviderSummary['bestUptime'] = null
  for (const r of rows) {
    const uptime = uptimeOf(r)
    if (uptime !== null && (bestUptime === null || uptime > bestUptime.uptime))
      bestUptime = { provider: r.provider, uptime }
  }
  // One provider may serve several quantizations: count providers, not endpoints.
  return { count: new Set(rows.map((r) => r.provider)).size, cheapest, bestUptime }
}
