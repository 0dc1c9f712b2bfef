import { CHANGE_KINDS, isChangeKind, type ChangeEvent, type ChangeKind } from '../changes/types'
import { FilterExprError, parseFilterExpr } from '../export/filter-expr'
import { applyFilter, emptyFilter, filterChips, type CatalogFilter } from '../model/filter'
import { normaliseModel } from '../model/normalise'
import type { RawModel } from '../model/raw'
import { Dec } from '../pricing/decimal'
import { formatUsd, type Price } from '../pricing/price'
import type { RuleCheck } from './types'

/**
 * A watch rule's expression: the catalog filter language of `export --filter` (the same terms, the
 * same meaning) plus `event:KIND`, `model:GLOB` and `starred`, and `prompt<X` / `completion<X` for
 * "under $X". Parsing never throws: a bad term comes back as a value naming it, since rules arrive
 * from the window and from a file on disk.
 */
export interface ParsedRule {
  /** Any of these kinds; empty = any kind. */
  kinds: ChangeKind[]
  /** Any of these globs over the model id, lower case; empty = any model. */
  models: string[]
  starred: boolean
  /** The catalog filter the record (after the change) must pass; empty = no condition. */
  filter: CatalogFilter
  /** Strict "under $X per 1M", which the catalog filter (at most) cannot say. */
  promptBelow: number | null
  completionBelow: number | null
}

export type RuleParse =
  { ok: true; rule: ParsedRule; summary: string } | { ok: false; message: string; term: string }

export interface RuleContext {
  /** Starred model ids of the profile the rule belongs to. */
  starred: ReadonlySet<string>
  /** For `hide-expiring:DAYS`. */
  now: Date
}

export const RULE_HELP = `Watch rule terms (all must hold; join with "," or " and "):
  event:KIND           the kind of change; repeat for any of several:
                       ${CHANGE_KINDS.join(', ')}
  model:GLOB           the model id, * for any run of characters, e.g. model:anthropic/claude-*
  starred              a model you starred (in this profile)
  prompt<X             prompt price under X dollars per 1M tokens; also completion<X
  and every filter term of export --filter: free, prompt<=X, param:tools, author:NAME, context>=128k, ...
Example: "event:added, param:tools, prompt<1"`

const MAX_TERMS = 100
const MAX_GLOB = 300

class RuleTermError extends Error {
  constructor(
    message: string,
    readonly term: string,
  ) {
    super(message)
  }
}

function dollarsBelow(term: string, text: string): number {
  const m = /^\$?(\d+(?:\.\d+)?|\.\d+)$/.exec(text)
  if (!m)
    throw new RuleTermError(
      `"${term}": "${text}" is not a price in dollars per 1M tokens (e.g. 1 or 0.5).`,
      term,
    )
  return Number(m[1])
}

function addOnce<T>(list: T[], value: T): void {
  if (!list.includes(value)) list.push(value)
}

/** The terms as parseFilterExpr splits them, with spaces around operators removed the same way. */
function splitTerms(expr: string): string[] {
  return expr
    .trim()
    .split(/\s*,\s*|\s+and\s+/i)
    .map((raw) => raw.trim().replace(/\s*(>=|<=|>|<|=|:)\s*/g, '$1'))
}

/** One term of ours, or false when it is the catalog filter's to read. */
function applyRuleTerm(rule: ParsedRule, term: string): boolean {
  const lower = term.toLowerCase()
  if (lower === 'starred') {
    rule.starred = true
    return true
  }
  const strict = /^(prompt|completion)<([^=].*)$/i.exec(term)
  if (strict) {
    const key = strict[1]!.toLowerCase() === 'prompt' ? 'promptBelow' : 'completionBelow'
    const limit = dollarsBelow(term, strict[2]!)
    rule[key] = rule[key] === null ? limit : Math.min(rule[key], limit)
    return true
  }
  const colon = term.indexOf(':')
  if (colon <= 0) return false
  const name = lower.slice(0, colon)
  const value = term.slice(colon + 1).trim()
  if (name !== 'event' && name !== 'model') return false
  if (!value) throw new RuleTermError(`"${term}": a value is missing after the colon.`, term)
  if (name === 'event') {
    const kind = value.toLowerCase()
    if (!isChangeKind(kind))
      throw new RuleTermError(
        `"${term}": "${value}" is not a kind of change; kinds: ${CHANGE_KINDS.join(', ')}.`,
        term,
      )
    addOnce(rule.kinds, kind)
    return true
  }
  if (value.length > MAX_GLOB)
    throw new RuleTermError(`"${term.slice(0, 40)}…": a model pattern is too long.`, term)
  addOnce(rule.models, value.toLowerCase())
  return true
}

/** Parses a rule expression; never throws. */
export function parseRule(expr: unknown): RuleParse {
  if (typeof expr !== 'string' || !expr.trim())
    return {
      ok: false,
      message: 'A rule needs at least one term, e.g. "event:added, param:tools".',
      term: '',
    }
  const rule: ParsedRule = {
    kinds: [],
    models: [],
    starred: false,
    filter: emptyFilter(),
    promptBelow: null,
    completionBelow: null,
  }
  const terms = splitTerms(expr)
  if (terms.length > MAX_TERMS)
    return { ok: false, message: `A rule can have at most ${MAX_TERMS} terms.`, term: terms[MAX_TERMS]! }
  const filterTerms: string[] = []
  try {
    for (const term of terms) {
      if (!term) throw new RuleTermError(`The rule "${expr.trim()}" has an empty term.`, term)
      if (applyRuleTerm(rule, term)) continue
      // Each filter term alone first, so an error names the one term at fault.
      try {
        parseFilterExpr(term)
      } catch (err) {
        if (!(err instanceof FilterExprError)) throw err
        const unknown = err.message.startsWith('Unknown filter term')
        throw new RuleTermError(
          unknown
            ? `Unknown rule term "${term}": use event:KIND, model:GLOB, starred or a filter term (free, prompt<=X, param:NAME, author:NAME, ...).`
            : err.message,
          term,
        )
      }
      filterTerms.push(term)
    }
    rule.filter = parseFilterExpr(filterTerms.join(', '))
  } catch (err) {
    if (err instanceof RuleTermError) return { ok: false, message: err.message, term: err.term }
    return { ok: false, message: `The rule cannot be read: ${String(err)}`, term: '' }
  }
  return { ok: true, rule, summary: summarise(rule) }
}

/** `watch:check`'s answer. */
export function checkRule(expr: unknown): RuleCheck {
  const parsed = parseRule(expr)
  return parsed.ok ? { ok: true, summary: parsed.summary } : parsed
}

const VERBS: Record<ChangeKind, string> = {
  added: 'is added',
  removed: 'is removed',
  're-added': 'comes back',
  price: 'changes price',
  context: 'changes its context window',
  'max-output': 'changes its max output',
  parameters: 'gains or loses parameters',
  modalities: 'gains or loses modalities',
  expiration: 'gets or changes an expiration date',
  'allowed-entered': 'enters the models your key may use',
  'allowed-left': 'leaves the models your key may use',
}

const dollars = (perM: number) => formatUsd(new Dec(perM).toFixed(), 'compact')

/** A readable sentence: "A starred model matching anthropic/claude-* changes price." */
export function summarise(rule: ParsedRule): string {
  const conditions = filterChips(rule.filter).map((c) => c.label)
  if (rule.promptBelow !== null) conditions.push(`Prompt < ${dollars(rule.promptBelow)}/1M`)
  if (rule.completionBelow !== null) conditions.push(`Completion < ${dollars(rule.completionBelow)}/1M`)
  let subject = rule.starred ? 'A starred model' : 'A model'
  if (rule.models.length > 0) subject += ` matching ${rule.models.join(' or ')}`
  if (conditions.length > 0) subject += ` (${conditions.join(', ')})`
  const verbs = rule.kinds.length > 0 ? rule.kinds.map((k) => VERBS[k]).join(' or ') : 'changes in any way'
  return `${subject} ${verbs}.`
}

/**
 * `*` any run of characters, `?` one; the whole id must match. Two pointers with one backtrack
 * point instead of a RegExp, so no pattern can make matching slow.
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0
  let t = 0
  let star = -1
  let mark = 0
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++
      t++
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++
      mark = t
    } else if (star >= 0) {
      p = star + 1
      t = ++mark
    } else return false
  }
  while (p < pattern.length && pattern[p] === '*') p++
  return p === pattern.length
}

function below(price: Price, limit: number): boolean {
  if (price.kind === 'free') return limit > 0
  if (price.kind !== 'fixed') return false
  return new Dec(price.value).times(1_000_000).lt(new Dec(limit))
}

/** Whether the rule looks at the model's record (filter terms), not only at the event. */
export const needsRecord = (rule: ParsedRule): boolean =>
  filterChips(rule.filter).length > 0 || rule.promptBelow !== null || rule.completionBelow !== null

/**
 * Whether the rule matches one event of the feed. `record` is the model's record after the change
 * (its last one for a removal); the filter terms apply to it. Never throws: a broken record or a
 * hand-edited rule matches nothing rather than stopping the evaluation of the others.
 */
export function ruleMatches(
  rule: ParsedRule,
  event: ChangeEvent,
  record: RawModel | undefined,
  ctx: RuleContext,
): boolean {
  try {
    if (rule.kinds.length > 0 && !rule.kinds.includes(event.kind)) return false
    const id = String(event.modelId)
    if (rule.models.length > 0 && !rule.models.some((g) => globMatch(g, id.toLowerCase()))) return false
    if (rule.starred && !ctx.starred.has(id)) return false
    if (!needsRecord(rule)) return true
    if (!record || typeof record !== 'object') return false
    const model = normaliseModel(record)
    if (applyFilter([model], rule.filter, ctx.now).length !== 1) return false
    if (rule.promptBelow !== null && (model.isVariable || !below(model.prices.prompt, rule.promptBelow)))
      return false
    if (
      rule.completionBelow !== null &&
      (model.isVariable || !below(model.prices.completion, rule.completionBelow))
    )
      return false
    return true
  } catch {
    return false
  }
}
