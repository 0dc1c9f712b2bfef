import type { Workload } from './compare'
import { isRecord } from '../is-record'

/** More columns than this stop fitting on a laptop screen and stop being a comparison. */
export const MAX_COMPARED = 8
const MAX_SETS = 50
const MAX_NAME = 60
const MAX_TOKENS = 100_000_000
const MAX_REQUESTS = 100_000_000

export type NamedSet = { name: string; ids: string[] }

export type CompareTab = 'grid' | 'workload' | 'chart' | 'history'
const TABS: readonly CompareTab[] = ['grid', 'workload', 'chart', 'history']

/** What the compare view remembers between sessions (settings.ui.compare). */
export type CompareUiState = {
  ids: string[]
  sets: NamedSet[]
  workload: Workload
  hideIdentical: boolean
  tab: CompareTab
}

export const DEFAULT_WORKLOAD: Workload = {
  inputTokens: 2_000,
  outputTokens: 500,
  cachedReadTokens: 0,
  reasoningTokens: 0,
  requestsPerDay: 1_000,
}

export function defaultCompareState(): CompareUiState {
  return { ids: [], sets: [], workload: { ...DEFAULT_WORKLOAD }, hideIdentical: false, tab: 'grid' }
}

/** Distinct non-empty ids, in order, at most MAX_COMPARED. */
function cleanIds(value: unknown): string[] {
  if (!Array.isArray(value)) return []
  const ids = value.filter((v): v is string => typeof v === 'string' && v.length > 0 && v.length <= 300)
  return [...new Set(ids)].slice(0, MAX_COMPARED)
}

/** A whole, non-negative count no larger than `max`; anything unreadable is `fallback`. */
export function cleanCount(value: unknown, fallback: number, max: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isFinite(n)) return fallback
  return Math.min(max, Math.max(0, Math.round(n)))
}

export function cleanWorkload(value: unknown): Workload {
  const w = isRecord(value) ? value : {}
  const d = DEFAULT_WORKLOAD
  return {
    inputTokens: cleanCount(w.inputTokens, d.inputTokens, MAX_TOKENS),
    outputTokens: cleanCount(w.outputTokens, d.outputTokens, MAX_TOKENS),
    cachedReadTokens: cleanCount(w.cachedReadTokens, d.cachedReadTokens, MAX_TOKENS),
    reasoningTokens: cleanCount(w.reasoningTokens, d.reasoningTokens, MAX_TOKENS),
    requestsPerDay: cleanCount(w.requestsPerDay, d.requestsPerDay, MAX_REQUESTS),
  }
}

function cleanSetName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').slice(0, MAX_NAME)
}

function cleanSets(value: unknown): NamedSet[] {
  if (!Array.isArray(value)) return []
  const seen = new Set<string>()
  const sets: NamedSet[] = []
  for (const entry of value) {
    if (!isRecord(entry) || typeof entry.name !== 'string') continue
    const name = cleanSetName(entry.name)
    const ids = cleanIds(entry.ids)
    if (!name || ids.length === 0 || seen.has(name.toLowerCase())) continue
    seen.add(name.toLowerCase())
    sets.push({ name, ids })
  }
  return sets.slice(0, MAX_SETS)
}

/** Settings are plain JSON written by any app version: read back only what still makes sense. */
export function parseCompareState(value: unknown): CompareUiState {
  if (!isRecord(value)) return defaultCompareState()
  return {
    ids: cleanIds(value.ids),
    sets: cleanSets(value.sets),
    workload: cleanWorkload(value.workload),
    hideIdentical: value.hideIdentical === true,
    tab: TABS.includes(value.tab as CompareTab) ? (value.tab as CompareTab) : 'grid',
  }
}

/** Adds at the end; a duplicate or a full set leaves the list as it was. */
export function addId(ids: readonly string[], id: string): string[] {
  if (ids.includes(id) || ids.length >= MAX_COMPARED) return [...ids]
  return [...ids, id]
}

/** Moves the item at `from` to `to` (clamped); other items keep their order. */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const result = [...items]
  if (from < 0 || from >= result.length) return result
  const target = Math.max(0, Math.min(result.length - 1, to))
  const [item] = result.splice(from, 1)
  result.splice(target, 0, item!)
  return result
}

/** Saving under an existing name (any case) replaces that set; new sets go first. */
export function saveSet(sets: readonly NamedSet[], name: string, ids: readonly string[]): NamedSet[] {
  const clean = cleanSetName(name)
  const kept = cleanIds(ids)
  if (!clean || kept.length === 0) return [...sets]
  const others = sets.filter((s) => s.name.toLowerCase() !== clean.toLowerCase())
  return [{ name: clean, ids: kept }, ...others].slice(0, MAX_SETS)
}

export function deleteSet(sets: readonly NamedSet[], name: string): NamedSet[] {
  return sets.filter((s) => s.name.toLowerCase() !== name.toLowerCase())
}
