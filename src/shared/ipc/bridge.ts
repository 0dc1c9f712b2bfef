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
 * What the first screen cannot show anything without. The bridge asks for these (with an empty
 * input) the moment it is built, in Electron before the page's own scripts are even fetched, and
 * the page's first call for each takes that answer instead of asking again.
 */
export const EARLY_CHANNELS: readonly Channel[] = ['settings:get', 'catalog:get']

/** Which early answers a main-process event makes stale. */
const STALE_AFTER: Partial<Record<EventName, Channel>> = { 'catalog:changed': 'catalog:get' }

/**
 * Build the frozen bridge object from a transport. The preload passes ipcRenderer.invoke; the
 * browser test harness passes an HTTP transport to the very same handlers.
 */
export function buildApi(
  invoke: Invoke,
  subscribe: Subscribe,
  opts: { early?: readonly Channel[] } = {},
): Api {
  // Each early answer is handed out once, to a call with an empty input, and dropped when an event
  // says it is out of date: every other call goes to main as usual.
  const early = new Map<Channel, Promise<Result<unknown>>>()
  for (const channel of opts.early ?? []) early.set(channel, invoke(channel, {}))
  for (const [event, channel] of Object.entries(STALE_AFTER) as [EventName, Channel][]) {
    if (early.has(channel)) subscribe(event, () => early.delete(channel))
  }
  const isEmpty = (input: unknown) =>
    input === undefined || (typeof input === 'object' && input !== null && Object.keys(input).length === 0)

  const api: Record<string, Record<string, unknown>> = {}
  for (const channel of channels) {
    const [domain, method] = apiPathOf(channel)
    api[domain] ??= {}
    api[domain][method] = (input: unknown) => {
      const answer = isEmpty(input) ? early.get(channel) : undefined
      early.delete(channel)
      return answer ?? invoke(channel, input ?? {})
    }
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
