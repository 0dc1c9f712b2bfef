import { channels, events, apiPathOf, eventMethodOf } from './channels'
import type { Channel, ApiDomain, ChannelsOf, VerbOf, EventName, CamelCase } from './channels'
import type { Input, Output } from './contract'
import type { Result } from './result'
import type { EventPayloads } from './events'

/**
 * The shape of `window.api`, derived from the contract so it is never written twice: one named
 * function per channel (`api.snapshots.diff({ a, b })`) and one `onX` subscription per event.
 */
export type Api = {
  readonly [D in ApiDomain]: {
    readonly [C in ChannelsOf<D> as VerbOf<C>]: (input: Input<C>) => Promise<Result<Output<C>>>
  }
} & {
  readonly events: {
    readonly [E in EventName as EventMethod<E>]: (listener: (payload: EventPayloads[E]) => void) => () => void
  }
}

type EventMethod<E extends string> = E extends `${infer D}:${infer V}`
  ? `on${Capitalize<D>}${Capitalize<CamelCase<V>>}`
  : never

export type Invoke = (channel: Channel, input: unknown) => Promise<Result<unknown>>
export type Subscribe = (event: EventName, listener: (payload: unknown) => void) => () => void

/**
 * Build the frozen bridge object from a transport. The preload passes ipcRenderer.invoke; the
 * browser test harness passes an HTTP transport to the very same handlers.
 */
export function buildApi(invoke: Invoke, subscribe: Subscribe): Api {
  const api: Record<string, Record<string, unknown>> = {}
  for (const channel of channels) {
    const [domain, method] = apiPathOf(channel)
    api[domain] ??= {}
    api[domain][method] = (input: unknown) => invoke(channel, input ?? {})
  }
  const eventApi: Record<string, unknown> = {}
  for (const event of events) {
    eventApi[eventMethodOf(event)] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError('listener must be a function')
      return subscribe(event, listener)
    }
  }
  api.events = eventApi
  for (const value of Object.values(api)) Object.freeze(value)
  return Object.freeze(api) as unknown as Api
}

/** The top-level keys `window.api` must have: the contract's domains plus `events`. */
export function expectedApiKeys(): string[] {
  return [...new Set(channels.map((c) => apiPathOf(c)[0])), 'events'].sort()
}
