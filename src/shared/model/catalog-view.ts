import { z } from 'zod/mini'
import { columns, isColumnId, type ColumnId } from './columns'
import { emptyFilter, parseFilter, type CatalogFilter } from './filter'
import type { SortDirection, SortSpec } from './sort'

/**
 * Everything the catalog view remembers between runs: the list shown, the search, the filter, the sort,
 * the columns and their widths, named filter presets and the open detail panel. Plain JSON, saved in
 * settings.ui, and read back through parseCatalogView because a saved file may be old, edited or broken.
 */
export type CatalogViewState = {
  mode: 'user' | 'all'
  query: string
  filter: CatalogFilter
  sort: SortSpec
  /** Visible columns, in display order. */
  columns: ColumnId[]
  /** Pixel widths the user dragged; columns not listed use their default width. */
  widths: Partial<Record<ColumnId, number>>
  presets: FilterPreset[]
  detailId: string | null
}

export type FilterPreset = { name: string; filter: CatalogFilter }

export const DEFAULT_COLUMNS: readonly ColumnId[] = [
  'name',
  'id',
  'context',
  'maxOutput',
  'prompt',
  'completion',
  'cacheRead',
  'inputModalities',
  'created',
]

export const MIN_COLUMN_WIDTH = 56
export const MAX_COLUMN_WIDTH = 800
const MAX_QUERY = 200
const MAX_PRESETS = 50
const MAX_SORT_KEYS = 4

const WIDE: Partial<Record<ColumnId, number>> = {
  name: 280,
  id: 240,
  supportedParameters: 320,
  inputModalities: 170,
  outputModalities: 150,
}

/** A width that fits the header and typical values; numbers are narrow, lists and names wide. */
export function defaultColumnWidth(id: ColumnId): number {
  const wide = WIDE[id]
  if (wide !== undefined) return wide
  const column = columns[id]
  const header = (column.label.length + (column.unit ? column.unit.length + 1 : 0)) * 6.6 + 34
  return Math.round(Math.min(200, Math.max(column.numeric ? 96 : 110, header)))
}

export function clampWidth(width: number): number {
  return Math.round(Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, width)))
}

export function defaultCatalogView(): CatalogViewState {
  return {
    mode: 'user',
    query: '',
    filter: emptyFilter(),
    sort: [],
    columns: [...DEFAULT_COLUMNS],
    widths: {},
    presets: [],
    detailId: null,
  }
}

function uniqueColumns(value: unknown): ColumnId[] | null {
  if (!Array.isArray(value)) return null
  const ids = [...new Set(value.filter(isColumnId))]
  return ids.length > 0 ? ids : null
}

const SORT_KEY = z.object({ column: z.string(), dir: z.enum(['asc', 'desc']) })
const PRESET = z.object({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(60)),
  filter: z.unknown(),
})

function readSort(value: unknown): SortSpec {
  if (!Array.isArray(value)) return []
  const seen = new Set<ColumnId>()
  const spec: SortSpec = []
  for (const entry of value) {
    const parsed = SORT_KEY.safeParse(entry)
    if (!parsed.success || !isColumnId(parsed.data.column) || seen.has(parsed.data.column)) continue
    seen.add(parsed.data.column)
    spec.push({ column: parsed.data.column, dir: parsed.data.dir })
  }
  return spec.slice(0, MAX_SORT_KEYS)
}

function readWidths(value: unknown): CatalogViewState['widths'] {
  const widths: CatalogViewState['widths'] = {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return widths
  for (const [key, width] of Object.entries(value)) {
    if (isColumnId(key) && typeof width === 'number' && Number.isFinite(width))
      widths[key] = clampWidth(width)
  }
  return widths
}

function readPresets(value: unknown): FilterPreset[] {
  if (!Array.isArray(value)) return []
  const byName = new Map<string, FilterPreset>()
  for (const entry of value) {
    const parsed = PRESET.safeParse(entry)
    if (parsed.success)
      byName.set(parsed.data.name, { name: parsed.data.name, filter: parseFilter(parsed.data.filter) })
  }
  return [...byName.values()].slice(0, MAX_PRESETS)
}

/** Reads saved view state; each unreadable part falls back to its default, the rest is kept. */
export function parseCatalogView(value: unknown): CatalogViewState {
  const base = defaultCatalogView()
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return base
  const saved = value as Record<string, unknown>
  return {
    mode: saved.mode === 'all' ? 'all' : 'user',
    query: typeof saved.query === 'string' ? saved.query.slice(0, MAX_QUERY) : '',
    filter: parseFilter(saved.filter),
    sort: readSort(saved.sort),
    columns: uniqueColumns(saved.columns) ?? base.columns,
    widths: readWidths(saved.widths),
    presets: readPresets(saved.presets),
    detailId: typeof saved.detailId === 'string' && saved.detailId.length <= 300 ? saved.detailId : null,
  }
}

/**
 * The next sort after a header click. A plain click makes the column the only key; on the column already
 * first it cycles ascending → descending → unsorted. A shift-click adds it as the next tie-breaker, flips it, or drops it, leaving
 * the other keys alone.
 */
export function toggleSort(spec: SortSpec, column: ColumnId, additive: boolean): SortSpec {
  const at = spec.findIndex((s) => s.column === column)
  const current = at >= 0 ? spec[at]!.dir : null
  const next: SortDirection | null = current === null ? 'asc' : current === 'asc' ? 'desc' : null
  if (!additive) {
    if (at !== 0) return [{ column, dir: 'asc' }]
    return next ? [{ column, dir: next }] : []
  }
  if (at < 0) return [...spec, { column, dir: 'asc' as const }].slice(0, MAX_SORT_KEYS)
  if (next === null) return spec.filter((s) => s.column !== column)
  return spec.map((s) => (s.column === column ? { column, dir: next } : s))
}

/** Moves a visible column one place left (-1) or right (+1); out-of-range moves change nothing. */
export function moveColumn(order: readonly ColumnId[], column: ColumnId, by: -1 | 1): ColumnId[] {
  const from = order.indexOf(column)
  const to = from + by
  if (from < 0 || to < 0 || to >= order.length) return [...order]
  const next = [...order]
  next[from] = next[to]!
  next[to] = column
  return next
}
