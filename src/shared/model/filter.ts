// zod/mini: the same validation with a far smaller bundle, since this runs in the renderer too.
import { z } from 'zod/mini'
import { Dec } from '../pricing/decimal'
import { formatUsd, type Price } from '../pricing/price'
import { formatTokensShort } from './format'
import type { NormalisedModel } from './normalise'

/** The catalog filter as the UI edits and saves it: plain JSON, every part optional in effect (empty = off). */
export type CatalogFilter = {
  /** All of these must be accepted. */
  inputModalities: string[]
  /** All of these must be produced. */
  outputModalities: string[]
  minContext: number | null
  /** USD per 1M tokens, like the API's own price filters. Setting one hides variable-price models. */
  maxPromptPerM: number | null
  maxCompletionPerM: number | null
  freeOnly: boolean
  params: { mode: 'all' | 'any'; values: string[] }
  authors: string[]
  tokenizers: string[]
  moderated: boolean | null
  reasoning: boolean | null
  /** Hides models whose expiration date is within this many days of `now` (or already past). */
  hideExpiringWithinDays: number | null
  hideVariable: boolean
  /** Only the models starred in the active profile (the ids are given to applyFilter). */
  starredOnly: boolean
}

export function emptyFilter(): CatalogFilter {
  return {
    inputModalities: [],
    outputModalities: [],
    minContext: null,
    maxPromptPerM: null,
    maxCompletionPerM: null,
    freeOnly: false,
    params: { mode: 'all', values: [] },
    authors: [],
    tokenizers: [],
    moderated: null,
    reasoning: null,
    hideExpiringWithinDays: null,
    hideVariable: false,
    starredOnly: false,
  }
}

const strings = z.catch(z.array(z.string()), [])
const limit = z.catch(z.nullable(z.number().check(z.nonnegative())), null)
const flag = z.catch(z.nullable(z.boolean()), null)

/** Reads a saved or received filter; each broken or missing part falls back to "off" instead of failing. */
const catalogFilterSchema = z.object({
  inputModalities: strings,
  outputModalities: strings,
  minContext: limit,
  maxPromptPerM: limit,
  maxCompletionPerM: limit,
  freeOnly: z.catch(z.boolean(), false),
  params: z.catch(z.object({ mode: z.catch(z.enum(['all', 'any']), 'all'), values: strings }), {
    mode: 'all',
    values: [],
  }),
  authors: strings,
  tokenizers: strings,
  moderated: flag,
  reasoning: flag,
  hideExpiringWithinDays: limit,
  hideVariable: z.catch(z.boolean(), false),
  // Views saved before stars existed lack it: off.
  starredOnly: z.catch(z.boolean(), false),
})

export function parseFilter(value: unknown): CatalogFilter {
  const input = typeof value === 'object' && value !== null ? value : {}
  return catalogFilterSchema.parse(input)
}

const DAY_MS = 86_400_000

/**
 * Whether a per-token price is at most `maxPerM` dollars per million. Floats settle all but near-ties;
 * those are decided exactly, so a $3.00 limit admits a $3/1M model whatever its string looks like.
 */
function withinLimit(price: Price, maxPerM: number, exactLimit: Dec): boolean {
  if (price.kind === 'free') return maxPerM >= 0
  if (price.kind !== 'fixed') return false
  const approx = Number(price.value) * 1e6
  if (approx < maxPerM * (1 - 1e-9)) return true
  if (approx > maxPerM * (1 + 1e-9)) return false
  return new Dec(price.value).lte(exactLimit)
}

function containsAll(have: string[], want: string[]): boolean {
  return want.every((w) => have.includes(w))
}

/** `starred`: the active profile's starred ids, read only when `starredOnly` is on (none given: none starred). */
export function applyFilter(
  models: readonly NormalisedModel[],
  filter: CatalogFilter,
  now: Date,
  starred: ReadonlySet<string> = new Set(),
): NormalisedModel[] {
  const f = filter
  const promptLimit = f.maxPromptPerM === null ? null : new Dec(f.maxPromptPerM).div(1e6)
  const completionLimit = f.maxCompletionPerM === null ? null : new Dec(f.maxCompletionPerM).div(1e6)
  const authors = f.authors.length > 0 ? new Set(f.authors) : null
  const tokenizers = f.tokenizers.length > 0 ? new Set(f.tokenizers) : null
  const expiryCutoff =
    f.hideExpiringWithinDays === null ? null : now.getTime() + f.hideExpiringWithinDays * DAY_MS
  const params = f.params.values
  return models.filter((m) => {
    if (f.starredOnly && !starred.has(m.id)) return false
    if (f.freeOnly && !m.isFree) return false
    if (f.hideVariable && m.isVariable) return false
    if (f.minContext !== null && (m.contextLength === null || m.contextLength < f.minContext)) return false
    if (promptLimit && !withinLimit(m.prices.prompt, f.maxPromptPerM!, promptLimit)) return false
    if (completionLimit && !withinLimit(m.prices.completion, f.maxCompletionPerM!, completionLimit))
      return false
    if ((promptLimit || completionLimit) && m.isVariable) return false
    if (!containsAll(m.inputModalities, f.inputModalities)) return false
    if (!containsAll(m.outputModalities, f.outputModalities)) return false
    if (params.length > 0) {
      const ok =
        f.params.mode === 'all'
          ? containsAll(m.supportedParameters, params)
          : params.some((p) => m.supportedParameters.includes(p))
      if (!ok) return false
    }
    if (authors && !authors.has(m.author)) return false
    if (tokenizers && (m.tokenizer === null || !tokenizers.has(m.tokenizer))) return false
    if (f.moderated !== null && m.moderated !== f.moderated) return false
    if (f.reasoning !== null && (m.reasoning !== null) !== f.reasoning) return false
    if (expiryCutoff !== null && m.expirationDate !== null) {
      const expires = Date.parse(m.expirationDate)
      if (!Number.isNaN(expires) && expires <= expiryCutoff) return false
    }
    return true
  })
}

export type FilterChip = { key: string; label: string }

const dollars = (perM: number) => formatUsd(new Dec(perM).toFixed(), 'compact')

/** One removable chip per active condition; list conditions get one chip per value. */
export function filterChips(filter: CatalogFilter): FilterChip[] {
  const f = filter
  const chips: FilterChip[] = []
  if (f.starredOnly) chips.push({ key: 'starredOnly', label: 'Starred only' })
  for (const v of f.inputModalities) chips.push({ key: `inputModalities:${v}`, label: `Input: ${v}` })
  for (const v of f.outputModalities) chips.push({ key: `outputModalities:${v}`, label: `Output: ${v}` })
  if (f.minContext !== null)
    chips.push({ key: 'minContext', label: `Context ≥ ${formatTokensShort(f.minContext)}` })
  if (f.maxPromptPerM !== null)
    chips.push({ key: 'maxPromptPerM', label: `Prompt ≤ ${dollars(f.maxPromptPerM)}/1M` })
  if (f.maxCompletionPerM !== null) {
    chips.push({ key: 'maxCompletionPerM', label: `Completion ≤ ${dollars(f.maxCompletionPerM)}/1M` })
  }
  if (f.freeOnly) chips.push({ key: 'freeOnly', label: 'Free only' })
  const paramPrefix = f.params.mode === 'any' && f.params.values.length > 1 ? 'Any parameter' : 'Parameter'
  for (const v of f.params.values) chips.push({ key: `params:${v}`, label: `${paramPrefix}: ${v}` })
  for (const v of f.authors) chips.push({ key: `authors:${v}`, label: `Author: ${v}` })
  for (const v of f.tokenizers) chips.push({ key: `tokenizers:${v}`, label: `Tokenizer: ${v}` })
  if (f.moderated !== null)
    chips.push({ key: 'moderated', label: f.moderated ? 'Moderated' : 'Not moderated' })
  if (f.reasoning !== null)
    chips.push({ key: 'reasoning', label: f.reasoning ? 'Reasoning' : 'No reasoning' })
  if (f.hideExpiringWithinDays !== null) {
    const days = f.hideExpiringWithinDays
    chips.push({
      key: 'hideExpiringWithinDays',
      label: `Hide expiring within ${days} ${days === 1 ? 'day' : 'days'}`,
    })
  }
  if (f.hideVariable) chips.push({ key: 'hideVariable', label: 'Hide variable price' })
  return chips
}

type ListKey = 'inputModalities' | 'outputModalities' | 'authors' | 'tokenizers'
const LIST_KEYS = new Set<string>(['inputModalities', 'outputModalities', 'authors', 'tokenizers'])

/** The filter without the condition behind `key` (as produced by filterChips); unknown keys change nothing. */
export function removeChip(filter: CatalogFilter, key: string): CatalogFilter {
  const next: CatalogFilter = { ...filter, params: { ...filter.params, values: [...filter.params.values] } }
  const colon = key.indexOf(':')
  if (colon > 0) {
    const field = key.slice(0, colon)
    const value = key.slice(colon + 1)
    if (field === 'params') next.params.values = next.params.values.filter((v) => v !== value)
    else if (LIST_KEYS.has(field))
      next[field as ListKey] = filter[field as ListKey].filter((v) => v !== value)
    return next
  }
  switch (key) {
    case 'minContext':
    case 'maxPromptPerM':
    case 'maxCompletionPerM':
    case 'moderated':
    case 'reasoning':
    case 'hideExpiringWithinDays':
      next[key] = null
      break
    case 'freeOnly':
    case 'hideVariable':
    case 'starredOnly':
      next[key] = false
      break
  }
  return next
}
