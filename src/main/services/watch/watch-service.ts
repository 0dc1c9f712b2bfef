import { randomUUID } from 'node:crypto'
import type { ChangeEvent, ChangeQuery } from '../../../shared/changes/types'
import type { EventName } from '../../../shared/ipc/channels'
import type { EventPayloads } from '../../../shared/ipc/events'
import { AppError } from '../../../shared/ipc/result'
import type { RawModel } from '../../../shared/model/raw'
import { notificationText } from '../../../shared/watch/notification'
import { isQuiet } from '../../../shared/watch/quiet-hours'
import { checkRule, needsRecord, parseRule, ruleMatches, type ParsedRule } from '../../../shared/watch/rule'
import {
  MAX_RULES,
  type QuietHours,
  type RuleCheck,
  type RuleInput,
  type WatchRule,
  type WatchState,
} from '../../../shared/watch/types'
import { log } from '../../log'
import { MAX_KEYS_PER_RULE, openWatchFile, type WatchFile } from './watch-file'

type Emit = <E extends EventName>(event: E, payload: EventPayloads[E]) => void

/** A desktop notification, behind an interface so tests record them (src/main/notifier.ts is Electron's). */
export interface Notifier {
  show(n: { title: string; body: string; onClick: () => void }): void
}

/** What the watch service needs of the change feed. */
export interface WatchFeed {
  eventsOf(snapshotId: string): Promise<ChangeEvent[]>
  recordOf(event: ChangeEvent): Promise<RawModel | undefined>
}

export interface WatchServiceDeps {
  dataDir: string
  feed: WatchFeed
  /** Starred ids of a profile (the event's, for `starred` in a rule), or of the active one. */
  starred: (profile?: string) => Promise<ReadonlySet<string>>
  emit: Emit
  /** No notifier (the CLI): matches are still counted and returned. */
  notifier?: Notifier
  now?: () => Date
  newId?: () => string
}

export interface RuleMatch {
  rule: WatchRule
  events: ChangeEvent[]
}

export interface WatchEvaluation {
  /** Per rule that matched, in rule order, with every matching event of the snapshots evaluated. */
  matches: RuleMatch[]
  /** Notifications shown (rules with new matches outside quiet hours). */
  notified: number
}

const clone = (f: WatchFile): WatchFile => ({
  rules: f.rules.map((r) => ({ ...r })),
  quietHours: f.quietHours ? { ...f.quietHours } : null,
  unseen: Object.fromEntries(Object.entries(f.unseen).map(([k, v]) => [k, [...v]])),
  matched: Object.fromEntries(Object.entries(f.matched).map(([k, v]) => [k, [...v]])),
})

function toState(f: WatchFile): WatchState {
  const unseen: Record<string, number> = {}
  let unseenTotal = 0
  for (const rule of f.rules) {
    const n = Object.hasOwn(f.unseen, rule.id) ? f.unseen[rule.id]!.length : 0
    unseen[rule.id] = n
    unseenTotal += n
  }
  return { rules: f.rules.map((r) => ({ ...r })), quietHours: f.quietHours, unseen, unseenTotal }
}

const omit = (lists: Record<string, string[]>, id: string): Record<string, string[]> =>
  Object.fromEntries(Object.entries(lists).filter(([k]) => k !== id))

const keysOf = (lists: Record<string, string[]>, id: string): string[] =>
  Object.hasOwn(lists, id) ? lists[id]! : []

/**
 * Watch rules (watch.json): saved, checked, and evaluated by main against what each refresh added.
 * One notification per rule that matched (not per event), none within quiet hours (the badge still
 * counts), and a click on one opens the feed filtered to that rule.
 */
export function createWatchService(deps: WatchServiceDeps) {
  const file = openWatchFile(deps.dataDir)
  const now = deps.now ?? (() => new Date())
  const newId = deps.newId ?? (() => `r-${randomUUID().slice(0, 8)}`)
  let state: Promise<WatchFile> | undefined
  let queue: Promise<unknown> = Promise.resolve()

  const load = (): Promise<WatchFile> => {
    state ??= file.load().then(undefined, (err: unknown) => {
      state = undefined
      throw err
    })
    return state
  }

  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn, fn)
    queue = run.catch(() => undefined)
    return run
  }

  /**
   * Load, change a copy, write it, and only then take it: a refused or failed write leaves the
   * rules as they were. `keepOnFailure` (evaluation) takes the change even when the disk refuses,
   * so the badge counts for this run; the next successful write saves it. `fn` returns false when
   * it changed nothing: nothing is written or announced.
   */
  function change(
    fn: (draft: WatchFile) => unknown,
    opts: { keepOnFailure?: boolean } = {},
  ): Promise<WatchState> {
    return serial(async () => {
      const current = await load()
      const draft = clone(current)
      if (fn(draft) === false) return toState(current)
      try {
        await file.save(draft)
      } catch (err) {
        if (!opts.keepOnFailure) throw err
        log.warn('Could not save watch.json:', err)
      }
      Object.assign(current, draft)
      const next = toState(current)
      deps.emit('watch:changed', next)
      return next
    })
  }

  function requireRule(f: WatchFile, id: string): WatchRule {
    const rule = f.rules.find((r) => r.id === id)
    if (!rule) throw new AppError('not-found', 'There is no such watch rule.')
    return rule
  }

  async function save(input: RuleInput): Promise<WatchState> {
    const parsed = parseRule(input.expr)
    if (!parsed.ok) throw new AppError('invalid-input', parsed.message, { term: parsed.term })
    return change((f) => {
      const fields = { name: input.name.trim(), expr: input.expr.trim(), enabled: input.enabled }
      if (input.id !== undefined) {
        const rule = requireRule(f, input.id)
        // A new expression matches different events: what the old one counted no longer applies.
        if (rule.expr !== fields.expr) {
          f.unseen = omit(f.unseen, rule.id)
          f.matched = omit(f.matched, rule.id)
        }
        Object.assign(rule, fields)
        return
      }
      if (f.rules.length >= MAX_RULES)
        throw new AppError('invalid-input', `At most ${MAX_RULES} watch rules.`)
      let id = newId()
      while (f.rules.some((r) => r.id === id)) id = newId()
      f.rules.push({ id, ...fields, createdAt: now().toISOString(), lastMatchedAt: null })
    })
  }

  const remove = (id: string): Promise<WatchState> =>
    change((f) => {
      requireRule(f, id)
      f.rules = f.rules.filter((r) => r.id !== id)
      f.unseen = omit(f.unseen, id)
      f.matched = omit(f.matched, id)
    })

  const setQuietHours = (quietHours: QuietHours | null): Promise<WatchState> =>
    change((f) => {
      f.quietHours = quietHours
    })

  const markSeen = (ruleId?: string): Promise<WatchState> =>
    change((f) => {
      if (ruleId === undefined) f.unseen = {}
      else f.unseen = omit(f.unseen, ruleId)
    })

  async function collectEvents(snapshotIds: readonly string[]): Promise<ChangeEvent[]> {
    const events: ChangeEvent[] = []
    for (const id of new Set(snapshotIds)) {
      try {
        events.push(...(await deps.feed.eventsOf(id)))
      } catch (err) {
        log.warn(`Watch rules: the changes of snapshot ${id} could not be read:`, err)
      }
    }
    return events
  }

  /**
   * After a refresh (or `model-deck watch`): every enabled rule against the events first seen in
   * these snapshots. Never throws: a failing feed or disk must not fail the refresh it follows.
   */
  async function evaluate(snapshotIds: readonly string[]): Promise<WatchEvaluation> {
    try {
      return await evaluateOrThrow(snapshotIds)
    } catch (err) {
      log.warn('Watch rules could not be evaluated:', err)
      return { matches: [], notified: 0 }
    }
  }

  async function evaluateOrThrow(snapshotIds: readonly string[]): Promise<WatchEvaluation> {
    const current = await load()
    const rules: { rule: WatchRule; parsed: ParsedRule }[] = []
    for (const rule of current.rules) {
      if (!rule.enabled) continue
      const parsed = parseRule(rule.expr)
      if (parsed.ok) rules.push({ rule, parsed: parsed.rule })
      else log.warn(`Watch rule "${rule.name}" is skipped: ${parsed.message}`)
    }
    if (rules.length === 0 || snapshotIds.length === 0) return { matches: [], notified: 0 }
    const events = await collectEvents(snapshotIds)
    if (events.length === 0) return { matches: [], notified: 0 }

    const at = now()
    const starredOf = new Map<string, Promise<ReadonlySet<string>>>()
    const starred = (profile: string) => {
      if (!starredOf.has(profile)) starredOf.set(profile, deps.starred(profile))
      return starredOf.get(profile)!
    }
    const records = new Map<string, Promise<RawModel | undefined>>()
    const record = (e: ChangeEvent) => {
      if (!records.has(e.key))
        records.set(
          e.key,
          deps.feed.recordOf(e).catch(() => undefined),
        )
      return records.get(e.key)!
    }
    const matches: RuleMatch[] = []
    for (const { rule, parsed } of rules) {
      const hits: ChangeEvent[] = []
      for (const e of events) {
        const ctx = { starred: await starred(e.profile), now: at }
        const rec = needsRecord(parsed) ? await record(e) : undefined
        if (ruleMatches(parsed, e, rec, ctx)) hits.push(e)
      }
      if (hits.length > 0) matches.push({ rule, events: hits })
    }
    if (matches.length === 0) return { matches, notified: 0 }

    // Only events a rule has not already counted notify: evaluating the same snapshot twice
    // (`watch --no-fetch` run again, or two refreshes at once) neither repeats an alert nor counts
    // twice. Decided inside the change, which runs one at a time.
    const fresh = new Map<string, ChangeEvent[]>()
    const after = await change(
      (f) => {
        for (const m of matches) {
          const known = new Set(keysOf(f.matched, m.rule.id))
          const news = m.events.filter((e) => !known.has(e.key))
          const rule = f.rules.find((r) => r.id === m.rule.id)
          if (news.length === 0 || !rule) continue
          rule.lastMatchedAt = at.toISOString()
          const keys = news.map((e) => e.key)
          // One change seen in both the allowed and the public catalog is one thing to look at:
          // the badge and the alert count it once; the feed still finds both events by key.
          const distinct = distinctChanges(news)
          fresh.set(rule.id, distinct)
          f.unseen[rule.id] = [...keysOf(f.unseen, rule.id), ...distinct.map((e) => e.key)].slice(
            -MAX_KEYS_PER_RULE,
          )
          f.matched[rule.id] = [...keysOf(f.matched, rule.id), ...keys].slice(-MAX_KEYS_PER_RULE)
        }
        return fresh.size > 0
      },
      { keepOnFailure: true },
    )
    const latest = (m: RuleMatch): RuleMatch => ({
      rule: after.rules.find((r) => r.id === m.rule.id) ?? { ...m.rule },
      events: m.events,
    })
    let notified = 0
    if (deps.notifier && !isQuiet(after.quietHours, at)) {
      for (const m of matches) {
        const news = fresh.get(m.rule.id)
        if (!news) continue
        const ruleId = m.rule.id
        try {
          deps.notifier.show({
            ...notificationText(m.rule.name, news),
            onClick: () => deps.emit('app:navigate', { view: 'changes', ruleId }),
          })
          notified++
        } catch (err) {
          log.warn('A watch notification could not be shown:', err)
        }
      }
    }
    return { matches: matches.map(latest), notified }
  }

  /**
   * `changes:list`'s `ruleId` and `starred` as one predicate over events. A rule that looks only at
   * the event is applied to every event; one with filter terms (which need each event's record)
   * shows the events it matched when they arrived. `starred` means the active profile's stars.
   */
  async function matchFor(
    query: Pick<ChangeQuery, 'ruleId' | 'starred'>,
  ): Promise<((e: ChangeEvent) => boolean) | undefined> {
    const tests: ((e: ChangeEvent) => boolean)[] = []
    if (query.starred !== undefined) {
      const stars = await deps.starred()
      const want = query.starred
      tests.push((e) => stars.has(e.modelId) === want)
    }
    if (query.ruleId !== undefined) {
      const f = await load()
      const rule = f.rules.find((r) => r.id === query.ruleId)
      const parsed = rule ? parseRule(rule.expr) : null
      if (!rule || !parsed?.ok) tests.push(() => false)
      else {
        const matched = new Set(keysOf(f.matched, rule.id))
        if (needsRecord(parsed.rule)) tests.push((e) => matched.has(e.key))
        else {
          // The feed's view is the active profile's: its stars stand for `starred` in the rule.
          const ctx = { starred: await deps.starred(), now: now() }
          tests.push((e) => matched.has(e.key) || ruleMatches(parsed.rule, e, undefined, ctx))
        }
      }
    }
    if (tests.length === 0) return undefined
    return (e) => tests.every((t) => t(e))
  }

  return {
    list: async (): Promise<WatchState> => toState(await load()),
    save,
    remove,
    check: (expr: string): RuleCheck => checkRule(expr),
    setQuietHours,
    markSeen,
    evaluate,
    matchFor,
    readOnlyReason: () => file.readOnlyReason(),
  }
}
export type WatchService = ReturnType<typeof createWatchService>

/** The same change (model, kind, field, from, to) reported by several series, once. */
export function distinctChanges(events: readonly ChangeEvent[]): ChangeEvent[] {
  const seen = new Set<string>()
  const out: ChangeEvent[] = []
  for (const e of events) {
    const id = JSON.stringify([e.modelId, e.kind, e.field ?? '', e.from ?? null, e.to ?? null])
    if (seen.has(id)) continue
    seen.add(id)
    out.push(e)
  }
  return out
}
