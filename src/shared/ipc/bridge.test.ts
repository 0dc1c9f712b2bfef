import { describe, expect, it } from 'vitest'
import { buildApi, EARLY_CHANNELS, expectedApiKeys, type Invoke, type Subscribe } from './bridge'
import type { Channel, EventName } from './channels'
import type { Result } from './result'

/** A transport that records every call and answers with a numbered result. */
function transport() {
  const calls: [Channel, unknown][] = []
  const listeners = new Map<EventName, ((payload: unknown) => void)[]>()
  const invoke: Invoke = (channel, input) => {
    calls.push([channel, input])
    return Promise.resolve({ ok: true, data: calls.length } as Result<unknown>)
  }
  const subscribe: Subscribe = (event, listener) => {
    listeners.set(event, [...(listeners.get(event) ?? []), listener])
    return () => undefined
  }
  const emit = (event: EventName) => {
    for (const listener of listeners.get(event) ?? []) listener({})
  }
  return { calls, invoke, subscribe, emit }
}

const dataOf = async (answer: Promise<Result<unknown>>) => {
  const result = await answer
  return result.ok ? result.data : null
}

describe('buildApi', () => {
  it('has one function per channel under its domain, plus events, all frozen', () => {
    const t = transport()
    const api = buildApi(t.invoke, t.subscribe)
    expect(Object.keys(api).sort()).toEqual(expectedApiKeys())
    expect(Object.isFrozen(api)).toBe(true)
    expect(Object.isFrozen(api.catalog)).toBe(true)
    expect(t.calls).toEqual([])
  })

  it('asks for the early channels at once and hands each answer to the first empty call only', async () => {
    const t = transport()
    const api = buildApi(t.invoke, t.subscribe, { early: EARLY_CHANNELS })
    expect(t.calls).toEqual([
      ['settings:get', {}],
      ['catalog:get', {}],
    ])
    // The first call gets the answer asked for at start-up; the second asks main again.
    expect(await dataOf(api.catalog.get({}))).toBe(2)
    expect(await dataOf(api.catalog.get({}))).toBe(3)
    expect(t.calls).toHaveLength(3)
  })

  it.each<[string, (api: ReturnType<typeof buildApi>) => Promise<Result<unknown>>, unknown]>([
    ['a call with an input', (api) => api.catalog.get({ snapshotId: 's1' }), { snapshotId: 's1' }],
    ['a channel that is not early', (api) => api.snapshots.list({}), {}],
  ])('%s always goes to main', async (_, call, input) => {
    const t = transport()
    const api = buildApi(t.invoke, t.subscribe, { early: EARLY_CHANNELS })
    expect(await dataOf(call(api))).toBe(3)
    expect(t.calls[2]?.[1]).toEqual(input)
  })

  it('a call with an input also drops the early answer, which is older than what it asked for', async () => {
    const t = transport()
    const api = buildApi(t.invoke, t.subscribe, { early: EARLY_CHANNELS })
    await api.catalog.get({ snapshotId: 's1' })
    expect(await dataOf(api.catalog.get({}))).toBe(4)
  })

  it('drops the early catalog when main says the catalog changed', async () => {
    const t = transport()
    const api = buildApi(t.invoke, t.subscribe, { early: EARLY_CHANNELS })
    t.emit('catalog:changed')
    expect(await dataOf(api.catalog.get({}))).toBe(3)
    // Settings do not depend on the catalog: its early answer still serves.
    expect(await dataOf(api.settings.get({}))).toBe(1)
  })

  it('without early channels asks nothing until called', async () => {
    const t = transport()
    const api = buildApi(t.invoke, t.subscribe)
    expect(await dataOf(api.catalog.get({}))).toBe(1)
    expect(t.calls).toEqual([['catalog:get', {}]])
  })
})
