import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from '../api'
import { answerOrder, useIpcCall } from '../composables/useIpcCall'
import type { AppErrorShape } from '../../../shared/ipc/result'

/**
 * The active profile's starred models. Main keeps them (per profile, on disk) and announces every
 * change, its own or another window's or a profile switch, with `stars:changed`; this follows it.
 * The store reads them as soon as something first uses it, so every star on screen starts right.
 */
export const useStarsStore = defineStore('stars', () => {
  const ids = ref<string[]>([])
  const loaded = ref(false)
  const error = ref<AppErrorShape | null>(null)
  /** Stars a click is saving, with the state asked for: shown at once; a second click waits for the answer. */
  const pending = ref<Map<string, boolean>>(new Map())

  const idSet = computed<ReadonlySet<string>>(() => new Set(ids.value))
  const count = computed(() => ids.value.length)

  // Reads and writes share one order: a list that was asked for before a star and answers after it
  // must not take the star back (see useIpcCall).
  const order = answerOrder()
  const listCall = useIpcCall(() => api.stars.list({}), { order, error })
  const setCall = useIpcCall((modelId: string, starred: boolean) => api.stars.set({ modelId, starred }), {
    order,
    error,
  })

  function take(next: readonly string[]): void {
    ids.value = [...next]
    loaded.value = true
  }

  async function load(): Promise<void> {
    const next = await listCall.run()
    if (next) take(next.ids)
  }

  function isStarred(id: string): boolean {
    return pending.value.get(id) ?? idSet.value.has(id)
  }

  /** The last state asked for by a click made while a save of that star was still out. */
  const queued = new Map<string, boolean>()

  /**
   * False when main refused (the error says why); the star then shows what main holds. A click
   * while a save is out shows at once and is sent when the answer comes, so a quick double press
   * (or S twice) ends where the user left it, never dropped.
   */
  async function set(id: string, starred: boolean): Promise<boolean> {
    if (pending.value.has(id)) {
      pending.value = new Map(pending.value).set(id, starred)
      queued.set(id, starred)
      return true
    }
    if (idSet.value.has(id) === starred) return true
    pending.value = new Map(pending.value).set(id, starred)
    let ok = true
    for (let wanted: boolean | undefined = starred; wanted !== undefined;) {
      const next = await setCall.run(id, wanted)
      if (next) take(next.ids)
      // No answer and no error: main's announcement of this very change came first and was taken.
      else if (error.value !== null) ok = false
      wanted = queued.get(id)
      queued.delete(id)
      if (!ok || wanted === idSet.value.has(id)) wanted = undefined
    }
    const rest = new Map(pending.value)
    rest.delete(id)
    pending.value = rest
    return ok
  }

  function toggle(id: string): Promise<boolean> {
    return set(id, !isStarred(id))
  }

  /** Starred ids in the order given (the catalog's), for "Add starred" in Compare. */
  function starredAmong(candidates: Iterable<string>): string[] {
    return Array.from(candidates).filter((id) => idSet.value.has(id))
  }

  // Each announcement is what main holds now: answers to calls sent before it are older.
  api.events.onStarsChanged((payload) => {
    order.applied = order.issued + 1
    take(payload.ids)
  })
  const ready = load()

  return { ids, idSet, count, loaded, error, pending, ready, load, isStarred, set, toggle, starredAmong }
})
