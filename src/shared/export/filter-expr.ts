import { emptyFilter, type CatalogFilter } from '../model/filter'

/**
 * A small filter language for the command line, mapped onto the catalog view's CatalogFilter so the
 * CLI and the app select exactly the same models. Terms are joined with `,` or ` and ` (all must hold).
 */
export const FILTER_HELP = `Filter terms (all must hold; join with "," or " and "):
  free                 prompt and completion are free
  fixed-price          hide models with a variable (router) price
  context>=N           context window of at least N tokens (128000, 128k, 1m); also context>N
  prompt<=X            prompt price at most X dollars per 1M tokens; also completion<=X
  param:NAME           supports the parameter, e.g. param:tools (repeat for several)
  input:MODALITY       accepts the input, e.g. input:image
  output:MODALITY      produces the output, e.g. output:image
  author:NAME          from this author, e.g. author:anthropic (repeat for any of several)
  tokenizer:NAME       uses this tokenizer, e.g. tokenizer:Claude
  reasoning            supports reasoning; no-reasoning for the opposite
  moderated            moderated by OpenRouter; unmoderated for the opposite
  hide-expiring:DAYS   hide models that expire within DAYS days
Example: "author:anthropic, context>=200k and prompt<=5"`

export class FilterExprError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'FilterExprError'
  }
}

const SUFFIX = new Map([
  ['k', 1_000],
  ['m', 1_000_000],
])

function tokens(term: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text)
  if (!m) throw new FilterExprError(`"${term}": "${text}" is not a token count (e.g. 128000, 128k, 1m).`)
  return Math.round(Number(m[1]) * (SUFFIX.get(m[2]!.toLowerCase()) ?? 1))
}

function dollars(term: string, text: string): number {
  const m = /^\$?(\d+(?:\.\d+)?|\.\d+)$/.exec(text)
  if (!m)
    throw new FilterExprError(`"${term}": "${text}" is not a price in dollars per 1M tokens (e.g. 5 or 0.5).`)
  return Number(m[1])
}

function days(term: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new FilterExprError(`"${term}": "${text}" is not a whole number of days.`)
  return Number(text)
}

function addOnce(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value)
}

// Maps, not object literals: a term is user input, and `__proto__` or `constructor` must not find
// Object.prototype's members (an internal error, or a term silently taken as a no-op).
const FLAGS = new Map<string, (f: CatalogFilter) => void>([
  ['free', (f) => (f.freeOnly = true)],
  ['fixed-price', (f) => (f.hideVariable = true)],
  ['reasoning', (f) => (f.reasoning = true)],
  ['no-reasoning', (f) => (f.reasoning = false)],
  ['moderated', (f) => (f.moderated = true)],
  ['unmoderated', (f) => (f.moderated = false)],
])

const LISTS = new Map<string, (f: CatalogFilter) => string[]>([
  ['param', (f) => f.params.values],
  ['input', (f) => f.inputModalities],
  ['output', (f) => f.outputModalities],
  ['author', (f) => f.authors],
  ['tokenizer', (f) => f.tokenizers],
])

// Several bounds on one field: the tightest wins, as if each had been applied in turn.
const atLeast = (current: number | null, next: number) => (current === null ? next : Math.max(current, next))
const atMost = (current: number | null, next: number) => (current === null ? next : Math.min(current, next))

function applyTerm(filter: CatalogFilter, term: string): void {
  const flag = FLAGS.get(term.toLowerCase())
  if (flag) return flag(filter)

  const compare = /^([a-z-]+)(>=|<=|>|<|=)(.*)$/i.exec(term)
  if (compare) {
    const [, field, op, value] = compare as unknown as [string, string, string, string]
    const name = field.toLowerCase()
    if (name === 'context' && (op === '>=' || op === '>')) {
      const n = tokens(term, value)
      filter.minContext = atLeast(filter.minContext, op === '>' ? n + 1 : n)
      return
    }
    if ((name === 'prompt' || name === 'completion') && op === '<=') {
      const key = name === 'prompt' ? 'maxPromptPerM' : 'maxCompletionPerM'
      filter[key] = atMost(filter[key], dollars(term, value))
      return
    }
    if (name === 'context' || name === 'prompt' || name === 'completion') {
      const supported = name === 'context' ? '>= or >' : '<='
      throw new FilterExprError(`"${term}": ${name} supports ${supported} only.`)
    }
    throw new FilterExprError(`Unknown filter term "${term}".`)
  }

  const colon = term.indexOf(':')
  if (colon > 0) {
    const name = term.slice(0, colon).toLowerCase()
    const value = term.slice(colon + 1).trim()
    if (!value) throw new FilterExprError(`"${term}": a value is missing after the colon.`)
    if (name === 'hide-expiring') {
      filter.hideExpiringWithinDays = atMost(filter.hideExpiringWithinDays, days(term, value))
      return
    }
    const list = LISTS.get(name)
    if (list) {
      // Modalities and parameter names are lower case in the API; authors are ids, also lower case.
      addOnce(list(filter), name === 'tokenizer' ? value : value.toLowerCase())
      return
    }
  }
  throw new FilterExprError(`Unknown filter term "${term}".`)
}

/** Parses an expression such as `free, context>=128k and param:tools`; throws FilterExprError when it cannot. */
export function parseFilterExpr(expr: string): CatalogFilter {
  const filter = emptyFilter()
  const trimmed = expr.trim()
  if (!trimmed) return filter
  const terms = trimmed.split(/\s*,\s*|\s+and\s+/i)
  for (const raw of terms) {
    // Spaces around operators are allowed ("context >= 128k", "author: openai").
    const term = raw.trim().replace(/\s*(>=|<=|>|<|=|:)\s*/g, '$1')
    if (!term) throw new FilterExprError(`The filter "${expr}" has an empty term.`)
    applyTerm(filter, term)
  }
  return filter
}
