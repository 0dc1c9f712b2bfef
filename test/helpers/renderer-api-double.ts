import { vi, type Mock } from 'vitest'
import { apiPathOf, channels, eventMethodOf, events, type EventName } from '../../src/shared/ipc/channels'
import type { EventPayloads } from '../../src/shared/ipc/events'
import type { RendererApi } from '../../src/renderer/src/api'

/**
 * Stands in for the renderer's `api` module in store tests, where there is no main process: every
 * channel is a vi.fn that answers "not set in this test" until a test says otherwise, and `emit`
 * plays main's events to whoever subscribed.
 */
export function createApiDouble() {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>()
  const domains: Record<string, Record<string, unknown>> = {}
  const calls: Record<string, Mock> = {}

  function reset(): void {
    listeners.clear()
    for (const channel of channels) {
      const [domain, verb] = apiPathOf(channel)
      const fn = vi.fn(async () => ({
        ok: false as const,
        error: { code: 'internal' as const, message: `${channel}: no answer set in this test` },
      }))
      ;(domains[domain] ??= {})[verb] = fn
      calls[channel] = fn
    }
  }
  reset()

  const eventApi: Record<string, unknown> = {}
  for (const event of events) {
    eventApi[eventMethodOf(event)] = (listener: (payload: unknown) => void) => {
      const set = listeners.get(event) ?? new Set()
      set.add(listener)
      listeners.set(event, set)
      return () => set.delete(listener)
    }
  }

  // Getters, so a reset's fresh functions are what the stores call.
  const api = new Proxy(domains, {
    get: (target, prop: string) => (prop === 'events' ? eventApi : target[prop]),
  }) as unknown as RendererApi

  return {
    api,
    reset,
    /** Main emitting an event, delivered at once to every subscriber. */
    emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
      for (const listener of listeners.get(event) ?? []) listener(payload)
    },
    /** How often a channel was called, by its contract name. */
    count(channel: (typeof channels)[number]): number {
      return calls[channel]!.mock.calls.length
    },
  }
}
export type ApiDouble = ReturnType<typeof createApiDouble>

/** An answer that arrives when the test says so, to play replies in any order. */
export function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}
