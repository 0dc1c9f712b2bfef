import { Dec } from '../pricing/decimal'
import { columns, type ColumnId, type ColumnKind, type SortValue } from './columns'
import type { NormalisedModel } from './normalise'

export type SortDirection = 'asc' | 'desc'
/** Primary key first, then tie-breakers. Serialisable, so it can be saved with a view. */
export type SortSpec = { column: ColumnId; dir: SortDirection }[]

/**
 * Natural, case-insensitive text order ("Model 2" before "Model 10", "4.6" before "4.10") as a plain string
 * key: Intl.Collator with numeric ordering is ~5x slower, too slow for 100k rows.
 */
function textKey(value: string): string {
  return value.toLowerCase().replace(/\d+/g, (digits) => digits.padStart(12, '0'))
}

type Key = string | number | null
/** A price key: its double for the fast comparison, its exact string for the rare near-tie. */
type PriceSortKey = { approx: number; exact: string }

function decorate(kind: ColumnKind, value: SortValue): Key | PriceSortKey {
  if (value === null) return null
  if (kind === 'text') return textKey(String(value))
  if (kind === 'price') return { approx: Number(value), exact: String(value) }
  return value
}

/**
 * Exact decimal order at the speed of floats: rounding to a double never inverts the order of two
 * decimals, so only values that land on the same double need the exact comparison.
 */
function compareKeys(a: Key | PriceSortKey, b: Key | PriceSortKey): number {
  if (typeof a === 'number') return a - (b as number)
  if (typeof a === 'string') return a < (b as string) ? -1 : a === b ? 0 : 1
  const x = a as PriceSortKey
  const y = b as PriceSortKey
  if (x.approx !== y.approx) return x.approx - y.approx
  return x.exact === y.exact ? 0 : new Dec(x.exact).comparedTo(y.exact)
}

/** A sorted copy. Stable, so equal rows keep the order they came in (e.g. the API's own order). */
export function sortModels(models: readonly NormalisedModel[], spec: SortSpec): NormalisedModel[] {
  const keys = spec.filter((s) => columns[s.column] !== undefined)
  if (keys.length === 0) return [...models]
  const specs = keys.map((s) => ({ column: columns[s.column], sign: s.dir === 'desc' ? -1 : 1 }))
  // Read every sort value once: accessors are cheap but would run ~n log n times inside a comparator.
  const rows = models.map((model) => ({
    model,
    keys: specs.map((s) => decorate(s.column.kind, s.column.sortValue(model))),
  }))
  rows.sort((x, y) => {
    for (let i = 0; i < specs.length; i++) {
      const a = x.keys[i] as Key | PriceSortKey
      const b = y.keys[i] as Key | PriceSortKey
      if (a === b) continue
      if (a === null) return 1
      if (b === null) return -1
      const order = compareKeys(a, b)
      if (order !== 0) return order * specs[i]!.sign
    }
    return 0
  })
  return rows.map((row) => row.model)
}
