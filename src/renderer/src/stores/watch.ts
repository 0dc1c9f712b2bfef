import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { api } from '../api'
import { answerOrder, settle, useIpcCall } from '../composables/useIpcCall'
import type { AppErrorShape, Result } from '../../../shared/ipc/result'
import type { QuietHours, RuleCheck, RuleInput, WatchRule, WatchState } from '../../../shared/watch/types'

/** What a save or remove said: the new state, or main's refusal (a bad expression names its term). */
export type WatchOutcome = { ok: true } | { ok: false; error: AppErrorShape }

/**
 * Watch rules, quiet hours and the unseen matches (the sidebar badge). Main evaluates the rules
 * after each refresh and announces every change with `watch:changed`; this follows it, and asks
 * main to save, remove, check and mark seen.
 */
export const useWatchStore = defineStore('watch', () => {
  const state = shallowRef<WatchState | null>(null)
  const loadError = ref<AppErrorShape | null>(null)

  const rules = computed<WatchRule[]>(() => state.value?.rules ?? [])
  const quietHours = computed<QuietHours | null>(() => state.value?.quietHours ?? null)
  /** Matches not yet seen in the feed, over every rule: the sidebar badge. */
  const unseenTotal = computed(() => state.value?.unseenTotal ?? 0)
  const unseenOf = (ruleId: string): number => state.value?.unseen[ruleId] ?? 0

  // Every answer is a whole WatchState: they share one order, so an older one never replaces a newer.
  const order = answerOrder()
  const listCall = useIpcCall(() => api.watch.list({}), { order, error: loadError })
  const checkCall = useIpcCall((expr: string) => api.watch.check({ expr }), { latestOnly: true })
  /** Rule ids whose switch is being saved. */
  const switching = ref<Set<string>>(new Set())

  function take(next: WatchState): void {
    state.value = next
  }

  async function load(): Promise<void> {
    const next = await listCall.run()
    if (next) take(next)
  }

  /** Sends a change; the answer is taken unless a newer one already was. */
  async function write(call: Promise<Result<WatchState>>): Promise<WatchOutcome> {
    const ticket = ++order.issued
    const result = await settle(call)
    if (!result.ok) return { ok: false, error: result.error }
    if (ticket >= order.applied) {
      order.applied = ticket
      take(result.data)
    }
    return { ok: true }
  }

  const save = (rule: RuleInput): Promise<WatchOutcome> => write(api.watch.save({ rule }))
  const remove = (id: string): Promise<WatchOutcome> => write(api.watch.remove({ id }))
  const setQuietHours = (hours: QuietHours | null): Promise<WatchOutcome> =>
    write(api.watch.setQuietHours({ quietHours: hours }))
  const markSeen = (ruleId?: string): Promise<WatchOutcome> =>
    write(api.watch.markSeen(ruleId ? { ruleId } : {}))

  /** The on/off switch: the rule as it is, with `enabled` flipped. */
  async function setEnabled(id: string, enabled: boolean): Promise<WatchOutcome> {
    const rule = rules.value.find((r) => r.id === id)
    if (!rule) return { ok: false, error: { code: 'not-found', message: 'There is no such watch rule.' } }
    switching.value = new Set(switching.value).add(id)
    const outcome = await save({ id, name: rule.name, expr: rule.expr, enabled })
    const rest = new Set(switching.value)
    rest.delete(id)
    switching.value = rest
    return outcome
  }

  /** Whether an expression parses; null when a newer check was asked meanwhile (or the call failed). */
  async function check(expr: string): Promise<RuleCheck | null> {
    return checkCall.run(expr)
  }

  // Main announces each state it wrote, in order: an answer to a call sent before it is older
  // (a change that call made comes with its own announcement).
  api.events.onWatchChanged((next) => {
    order.applied = order.issued + 1
    take(next)
  })
  const ready = load()

  return {
    state,
    loadError,
    rules,
    quietHours,
    unseenTotal,
    unseenOf,
    switching,
    ready,
    load,
    save,
    remove,
    setQuietHours,
    markSeen,
    setEnabled,
    check,
  }
})
