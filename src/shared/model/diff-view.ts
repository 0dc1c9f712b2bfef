import { describeOverrides } from '../pricing/overrides'
import { PRICE_LABELS, formatFor, formatPrice, parsePrice, priceAmount, type Price } from '../pricing/price'
import type { ChangedModel, DiffGroup, FieldChange } from './diff'
import { formatInteger, formatUnixDate } from './format'
import type { RawModel } from './raw'

/** How the diff view presents the groups, in the order it lists them. */
export const DIFF_GROUPS: readonly { group: DiffGroup; label: string }[] = [
  { group: 'pricing', label: 'Pricing' },
  { group: 'context', label: 'Context' },
  { group: 'modalities', label: 'Modalities' },
  { group: 'parameters', label: 'Parameters' },
  { group: 'reasoning', label: 'Reasoning' },
  { group: 'dates', label: 'Dates' },
  { group: 'description', label: 'Description' },
  { group: 'other', label: 'Other' },
]

const PRICE_FIELD_LABELS: Record<string, string> = {
  ...Object.fromEntries(Object.entries(PRICE_LABELS).map(([key, label]) => [key, `${label} price`])),
  discount: 'Discount',
  overrides: 'Price tiers',
}

const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  description: 'Description',
  context_length: 'Context length',
  'top_provider.context_length': 'Provider context length',
  'top_provider.max_completion_tokens': 'Max output tokens',
  'top_provider.is_moderated': 'Moderated',
  'architecture.input_modalities': 'Input modalities',
  'architecture.output_modalities': 'Output modalities',
  'architecture.modality': 'Modality',
  'architecture.tokenizer': 'Tokenizer',
  'architecture.instruct_type': 'Instruct type',
  supported_parameters: 'Supported parameters',
  per_request_limits: 'Per-request limits',
  created: 'Created',
  knowledge_cutoff: 'Knowledge cutoff',
  expiration_date: 'Expiration date',
  canonical_slug: 'Canonical slug',
  hugging_face_id: 'Hugging Face id',
  reasoning: 'Reasoning',
  benchmarks: 'Benchmarks',
}

/** A readable name for a diff path; unknown paths are shown as the API names them. */
export function fieldLabel(path: string): string {
  if (path.startsWith('pricing.')) return PRICE_FIELD_LABELS[path.slice(8)] ?? `Price: ${path.slice(8)}`
  if (path.startsWith('default_parameters.')) return `Default ${path.slice(19).replaceAll('_', ' ')}`
  if (path.startsWith('reasoning.')) return `Reasoning: ${path.slice(10).replaceAll('_', ' ')}`
  const known = FIELD_LABELS[path]
  if (known) return known
  // A new top-level field reads as words; a nested unknown path is clearer as the API spells it.
  if (!path.includes('.') && path.length > 0)
    return path[0]!.toUpperCase() + path.slice(1).replaceAll('_', ' ')
  return path
}

/** `price`: from → to with % change; `list`: items added and removed; `text`: too long to show inline. */
export type ChangeKind = 'price' | 'number' | 'list' | 'text' | 'value'

/** Whether a change is better or worse for someone paying for and using the model. */
export type ChangeTone = 'good' | 'bad' | 'neutral'

export interface FieldChangeView {
  path: string
  label: string
  group: DiffGroup
  kind: ChangeKind
  from: string
  to: string
  /** The relative change in percent, when both sides are real, non-zero amounts. */
  percent: number | null
  tone: ChangeTone
  /** For list changes: the items that appeared and disappeared. */
  added: string[]
  removed: string[]
}

/** How a side that did not have the field reads. */
const ABSENT = '—'

/** (to − from) / from in percent, or null when either side is not a real amount or `from` is 0. */
export function percentChange(from: Price, to: Price): number | null {
  const a = priceAmount(from)
  const b = priceAmount(to)
  if (a === null || b === null || a.isZero()) return null
  return b.minus(a).div(a).times(100).toNumber()
}

/** "+20%", "−33%", "+2.5%", "0%": one decimal below 10%, where it still says something. */
export function formatPercent(percent: number): string {
  const abs = Math.abs(percent)
  const digits = abs >= 10 ? 0 : 1
  const text = abs.toFixed(digits).replace(/\.0$/, '')
  if (text === '0') return '0%'
  return `${percent > 0 ? '+' : '−'}${text}%`
}

const NUMBER_GROUPS: ReadonlySet<DiffGroup> = new Set(['context'])

function isFlatObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const values = Object.values(value)
  return (
    values.length > 0 && values.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
  )
}

/** A JSON value as one line of text; `undefined` (the field was absent) reads as a dash. */
export function formatValue(value: unknown, path = ''): string {
  if (value === undefined) return ABSENT
  if (value === null) return 'null'
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (typeof value === 'number') {
    if (path === 'created') return formatUnixDate(value) || String(value)
    return Number.isInteger(value) ? formatInteger(value) : String(value)
  }
  if (typeof value === 'string') return value
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ') || '(none)'
  if (isFlatObject(value))
    return Object.entries(value)
      .map(([key, v]) => `${key}: ${formatValue(v)}`)
      .join(', ')
  return JSON.stringify(value)
}

function strings(value: unknown): string[] | null {
  if (value === undefined || value === null) return []
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : null
}

function tierText(value: unknown): string {
  if (value === undefined || value === null) return ABSENT
  const tiers = describeOverrides({ overrides: value })
  return tiers.length > 0 ? tiers.map((t) => t.text).join('; ') : formatValue(value)
}

function priceView(path: string, key: string, change: FieldChange): FieldChangeView {
  const from = parsePrice(change.from)
  const to = parsePrice(change.to)
  const format = formatFor(key)
  const percent = percentChange(from, to)
  const a = priceAmount(from)
  const b = priceAmount(to)
  const tone: ChangeTone = a === null || b === null || a.eq(b) ? 'neutral' : b.gt(a) ? 'bad' : 'good'
  return {
    ...base(path, change, 'price'),
    from: change.from === undefined ? `${ABSENT} (free)` : formatPrice(from, format),
    to: change.to === undefined ? `${ABSENT} (free)` : formatPrice(to, format),
    percent,
    tone,
  }
}

function base(path: string, change: FieldChange, kind: ChangeKind): FieldChangeView {
  return {
    path,
    label: fieldLabel(path),
    group: change.group,
    kind,
    from: formatValue(change.from, path),
    to: formatValue(change.to, path),
    percent: null,
    tone: 'neutral',
    added: [],
    removed: [],
  }
}

// Longer than this, a string change is shown as "changed" with the sides on demand.
const INLINE_TEXT_MAX = 120

/** One changed field, ready to display: readable label, formatted sides, % change and tone. */
export function describeChange(path: string, change: FieldChange): FieldChangeView {
  if (path.startsWith('pricing.')) {
    const key = path.slice(8)
    if (key === 'overrides')
      return { ...base(path, change, 'value'), from: tierText(change.from), to: tierText(change.to) }
    if (key === 'discount') return base(path, change, 'value')
    return priceView(path, key, change)
  }
  const fromList = strings(change.from)
  const toList = strings(change.to)
  if (Array.isArray(change.from) || Array.isArray(change.to)) {
    if (fromList && toList) {
      const before = new Set(fromList)
      const after = new Set(toList)
      return {
        ...base(path, change, 'list'),
        added: toList.filter((v) => !before.has(v)),
        removed: fromList.filter((v) => !after.has(v)),
      }
    }
  }
  if (typeof change.from === 'number' && typeof change.to === 'number' && NUMBER_GROUPS.has(change.group)) {
    const percent = change.from === 0 ? null : ((change.to - change.from) / change.from) * 100
    return {
      ...base(path, change, 'number'),
      percent,
      tone: change.to > change.from ? 'good' : change.to < change.from ? 'bad' : 'neutral',
    }
  }
  const long = [change.from, change.to].some((v) => typeof v === 'string' && v.length > INLINE_TEXT_MAX)
  if (path === 'description' || long) return base(path, change, 'text')
  return base(path, change, 'value')
}

/** Every changed field of a model, in the order of DIFF_GROUPS, then by path. */
export function describeModelChanges(model: ChangedModel): FieldChangeView[] {
  const order = new Map(DIFF_GROUPS.map((g, i) => [g.group, i]))
  return Object.entries(model.fields)
    .map(([path, change]) => describeChange(path, change))
    .sort((a, b) => (order.get(a.group) ?? 99) - (order.get(b.group) ?? 99) || (a.path < b.path ? -1 : 1))
}

export interface DiffFilter {
  /** Empty: every group. */
  groups: readonly DiffGroup[]
  /** Matched case-insensitively against the model id and, when known, its name. */
  text: string
}

function matchesText(id: string, name: unknown, needle: string): boolean {
  if (needle === '') return true
  if (id.toLowerCase().includes(needle)) return true
  return typeof name === 'string' && name.toLowerCase().includes(needle)
}

/**
 * The changed models that pass the filter, each keeping only the fields of the chosen groups, so
 * "pricing" shows price changes and nothing else. `names` gives display names for text matching.
 */
export function filterChanged(
  changed: readonly ChangedModel[],
  filter: DiffFilter,
  names: ReadonlyMap<string, string> = new Map(),
): ChangedModel[] {
  const needle = filter.text.trim().toLowerCase()
  const wanted = new Set(filter.groups)
  const out: ChangedModel[] = []
  for (const model of changed) {
    if (!matchesText(model.id, names.get(model.id), needle)) continue
    if (wanted.size === 0) {
      out.push(model)
      continue
    }
    if (!model.groups.some((g) => wanted.has(g))) continue
    const fields = Object.fromEntries(Object.entries(model.fields).filter(([, c]) => wanted.has(c.group)))
    out.push({ id: model.id, fields, groups: model.groups.filter((g) => wanted.has(g)) })
  }
  return out
}

/** Added or removed records whose id or name contains the text. */
export function filterRecords(records: readonly RawModel[], text: string): RawModel[] {
  const needle = text.trim().toLowerCase()
  return needle === '' ? [...records] : records.filter((m) => matchesText(m.id, m.name, needle))
}

/** How many changed models touch each group (a model counts once per group). */
export function groupCounts(changed: readonly ChangedModel[]): Record<DiffGroup, number> {
  const counts = Object.fromEntries(DIFF_GROUPS.map((g) => [g.group, 0])) as Record<DiffGroup, number>
  for (const model of changed) for (const group of model.groups) counts[group]++
  return counts
}

/** The headline prices of a record for the added/removed lists: "$3.00 / 1M in · $15.00 / 1M out". */
export function recordPriceSummary(record: RawModel): string {
  const pricing = record.pricing
  const read = (key: string): Price =>
    typeof pricing === 'object' && pricing !== null
      ? parsePrice((pricing as Record<string, unknown>)[key])
      : parsePrice(null)
  const prompt = read('prompt')
  const completion = read('completion')
  if (prompt.kind === 'free' && completion.kind === 'free') return 'free'
  return `${formatPrice(prompt, 'per-million')} in · ${formatPrice(completion, 'per-million')} out`
}
