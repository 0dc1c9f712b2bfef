import { buildApi, EARLY_CHANNELS } from '../../src/shared/ipc/bridge'
import type { Result } from '../../src/shared/ipc/result'

/**
 * Test-only stand-in for the preload: the same generated `window.api`, but each call is an HTTP
 * POST to the harness server, which runs it through main's own dispatch and handlers.
 */
const listeners = new Map<string, Set<(payload: unknown) => void>>()
const source = new EventSource('/__harness/events')
source.onmessage = (message) => {
  const { event, payload } = JSON.parse(message.data as string) as { event: string; payload: unknown }
  for (const listener of listeners.get(event) ?? []) listener(payload)
}

const api = buildApi(
  async (channel, input) => {
    const res = await fetch(`/__ipc/${encodeURIComponent(channel)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input ?? {}),
    })
    return (await res.json()) as Result<unknown>
  },
  (event, listener) => {
    const set = listeners.get(event) ?? new Set()
    set.add(listener)
    listeners.set(event, set)
    return () => set.delete(listener)
  },
  { early: EARLY_CHANNELS },
)

Object.defineProperty(window, 'api', { value: api, enumerable: true })
