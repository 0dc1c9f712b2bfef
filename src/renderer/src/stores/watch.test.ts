import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { deferred } from '../../../../test/helpers/renderer-api-double'
import type { Result } from '../../../shared/ipc/result'
import type { WatchRule, WatchState } from '../../../shared/watch/types'
import { useWatchStore } from './watch'

const double = await vi.hoisted(async () =>
  (await import('../../../../test/helpers/renderer-api-double')).createApiDouble(),
)
vi.mock('../api', () => ({ api: double.api }))

const ok = <T>(data: T): Result<T> => ({ ok: true, data })

const rule = (id: string, patch: Partial<WatchRule> = {}): WatchRule => ({
  id,
  name: `Rule ${id}`,
  expr: 'event:price',
  enabled: true,
  createdAt: '2026-12-01T00:00:00Z',
  lastMatchedAt: null,
  ...patch,
})

function state(rules: WatchRule[] = [], unseen: Record<string, number> = {}): WatchState {
  return {
    rules,
    quietHours: null,
    unseen,
    unseenTotal: Object.values(unseen).reduce((a, b) => a + b, 0),
  }
}

beforeEach(() => {
  double.reset()
  setActivePinia(createPinia())
})

async function loaded(initial: WatchState) {
  vi.mocked(double.api.watch.list).mockResolvedValue(ok(initial))
  const store = useWatchStore()
  await store.ready
  return store
}

describe('watch store', () => {
  it('reads the rules on first use and exposes the badge total and per-rule counts', async () => {
    const store = await loaded(state([rule('r1'), rule('r2')], { r1: 3, r2: 1 }))
    expect(store.rules.map((r) => r.id)).toEqual(['r1', 'r2'])
    expect(store.unseenTotal).toBe(4)
    expect(store.unseenOf('r1')).toBe(3)
    expect(store.unseenOf('nope')).toBe(0)
  })

  it('follows watch:changed (a refresh matched a rule)', async () => {
    const store = await loaded(state([rule('r1')]))
    double.emit('watch:changed', state([rule('r1')], { r1: 2 }))
    expect(store.unseenTotal).toBe(2)
  })

  it('save sends the rule and takes main’s state; a refusal keeps the rules and names the term', async () => {
    const store = await loaded(state())
    vi.mocked(double.api.watch.save).mockResolvedValueOnce(ok(state([rule('r1', { name: 'Claude' })])))
    expect(await store.save({ name: 'Claude', expr: 'event:price', enabled: true })).toEqual({ ok: true })
    expect(double.api.watch.save).toHaveBeenCalledWith({
      rule: { name: 'Claude', expr: 'event:price', enabled: true },
    })
    expect(store.rules.map((r) => r.name)).toEqual(['Claude'])

    vi.mocked(double.api.watch.save).mockResolvedValueOnce({
      ok: false,
      error: {
        code: 'invalid-input',
        message: 'Unknown rule term "colour:red".',
        details: { term: 'colour:red' },
      },
    })
    const refused = await store.save({ name: 'Bad', expr: 'colour:red', enabled: true })
    expect(refused).toMatchObject({ ok: false, error: { details: { term: 'colour:red' } } })
    expect(store.rules.map((r) => r.name)).toEqual(['Claude'])
  })

  it('the switch saves the same rule with enabled flipped', async () => {
    const store = await loaded(state([rule('r1', { expr: 'starred, event:expiration' })]))
    const answer = deferred<Result<WatchState>>()
    vi.mocked(double.api.watch.save).mockReturnValueOnce(answer.promise)
    const switching = store.setEnabled('r1', false)
    expect(store.switching.has('r1')).toBe(true)
    answer.resolve(ok(state([rule('r1', { expr: 'starred, event:expiration', enabled: false })])))
    await switching
    expect(double.api.watch.save).toHaveBeenCalledWith({
      rule: { id: 'r1', name: 'Rule r1', expr: 'starred, event:expiration', enabled: false },
    })
    expect(store.rules[0]!.enabled).toBe(false)
    expect(store.switching.size).toBe(0)
  })

  it('remove, quiet hours and mark-seen each send their input and take the answer', async () => {
    const store = await loaded(state([rule('r1'), rule('r2')], { r1: 1, r2: 2 }))
    vi.mocked(double.api.watch.remove).mockResolvedValueOnce(ok(state([rule('r2')], { r2: 2 })))
    await store.remove('r1')
    expect(double.api.watch.remove).toHaveBeenCalledWith({ id: 'r1' })
    expect(store.rules.map((r) => r.id)).toEqual(['r2'])

    vi.mocked(double.api.watch.setQuietHours).mockResolvedValueOnce(
      ok({ ...state([rule('r2')], { r2: 2 }), quietHours: { start: '22:00', end: '07:00' } }),
    )
    await store.setQuietHours({ start: '22:00', end: '07:00' })
    expect(double.api.watch.setQuietHours).toHaveBeenCalledWith({
      quietHours: { start: '22:00', end: '07:00' },
    })
    expect(store.quietHours).toEqual({ start: '22:00', end: '07:00' })

    vi.mocked(double.api.watch.markSeen).mockResolvedValueOnce(ok(state([rule('r2')])))
    await store.markSeen('r2')
    expect(double.api.watch.markSeen).toHaveBeenCalledWith({ ruleId: 'r2' })
    expect(store.unseenTotal).toBe(0)
    vi.mocked(double.api.watch.markSeen).mockResolvedValueOnce(ok(state([rule('r2')])))
    await store.markSeen()
    expect(double.api.watch.markSeen).toHaveBeenLastCalledWith({})
  })

  it('two saves answered in reverse order keep the second', async () => {
    const store = await loaded(state())
    const first = deferred<Result<WatchState>>()
    const second = deferred<Result<WatchState>>()
    vi.mocked(double.api.watch.save).mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise)
    const a = store.save({ name: 'A', expr: 'event:added', enabled: true })
    const b = store.save({ name: 'B', expr: 'event:added', enabled: true })
    second.resolve(ok(state([rule('a'), rule('b')])))
    await b
    first.resolve(ok(state([rule('a')])))
    await a
    expect(store.rules.map((r) => r.id)).toEqual(['a', 'b'])
  })

  it('only the newest check is answered; older ones give null', async () => {
    const store = await loaded(state())
    const old = deferred<Result<{ ok: true; summary: string }>>()
    vi.mocked(double.api.watch.check)
      .mockReturnValueOnce(old.promise)
      .mockResolvedValueOnce(ok({ ok: false, message: 'Unknown rule term "x".', term: 'x' }))
    const first = store.check('event:added')
    const second = await store.check('x')
    old.resolve(ok({ ok: true, summary: 'A model is added.' }))
    expect(await first).toBeNull()
    expect(second).toEqual({ ok: false, message: 'Unknown rule term "x".', term: 'x' })
  })
})
