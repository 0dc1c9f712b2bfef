import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import keytar from '@github/keytar'
import { createAppServices, type AppServices } from '../../../src/main/app-services'
import { dispatch } from '../../../src/main/ipc/dispatch'
import { createHandlers } from '../../../src/main/ipc/handlers'
import type { ChangeFeed } from '../../../src/shared/changes/types'
import type { WatchState } from '../../../src/shared/watch/types'
import { recordedModels, startFakeOpenRouter, type FakeOpenRouter } from '../../fake-openrouter/server'
import { cleanupTempDirs, tempDir } from '../snapshots/helpers'
import { recordingEmit, recordingNotifier } from './helpers'

type Json = Record<string, unknown>

/** The recorded catalog with the prompt price of every model of these authors multiplied by `factor`. */
function repriced(authors: string[], factor: number): Json[] {
  return recordedModels().map((m) => {
    if (!authors.some((a) => String(m.id).startsWith(`${a}/`))) return m
    const pricing = m.pricing as Json
    const prompt = Number(pricing.prompt)
    return prompt > 0 ? { ...m, pricing: { ...pricing, prompt: String(prompt * factor) } } : m
  })
}

/**
 * Watch rules as the window meets them: IPC through the real handlers, refreshes against the fake
 * OpenRouter, the real store and feed in a temp folder, and a recording notifier for the desktop.
 */
describe('watch rules in the app', () => {
  let fake: FakeOpenRouter
  let services: AppServices
  let notifier: ReturnType<typeof recordingNotifier>
  let emitted: ReturnType<typeof recordingEmit>['emitted']

  beforeAll(async () => {
    fake = await startFakeOpenRouter()
  })
  afterAll(async () => {
    await fake.close()
    cleanupTempDirs()
  })
  beforeEach(async () => {
    fake.setModels(recordedModels())
    notifier = recordingNotifier()
    const recording = recordingEmit()
    emitted = recording.emitted
    services = await createAppServices({
      dataDir: tempDir('watch-app-'),
      appVersion: '0.0.0-test',
      env: { MODEL_DECK_API_BASE: fake.url },
      keytar,
      dialogs: { chooseSavePath: async () => null, chooseOpenPath: async () => null },
      openExternal: async () => undefined,
      emit: recording.emit,
      notifier,
    })
  })
  afterEach(() => services.stop())

  const call = async <T>(channel: string, payload: unknown = {}): Promise<T> => {
    const result = await dispatch(channel, payload, createHandlers(services))
    if (!result.ok) throw new Error(`${channel}: ${result.error.message}`)
    return result.data as T
  }

  it('a refresh that changes Anthropic prices notifies once for the rule; a click opens its feed', async () => {
    const saved = await call<WatchState>('watch:save', {
      rule: { name: 'Claude prices', expr: 'event:price, model:anthropic/claude-*', enabled: true },
    })
    const ruleId = saved.rules[0]!.id
    await call('catalog:refresh')
    expect(notifier.shown).toEqual([])

    fake.setModels(repriced(['anthropic', 'openai'], 2))
    await call('catalog:refresh')
    expect(notifier.shown).toHaveLength(1)
    expect(notifier.shown[0]!.title).toMatch(/^Claude prices \(\d+ changes?\)$/)

    const state = await call<WatchState>('watch:list')
    expect(state.unseen[ruleId]).toBeGreaterThan(0)
    expect(emitted.filter((e) => e.event === 'watch:changed').at(-1)?.payload).toEqual(state)

    notifier.click(0)
    expect(emitted.at(-1)).toEqual({ event: 'app:navigate', payload: { view: 'changes', ruleId } })
    const feed = await call<ChangeFeed>('changes:list', { ruleId })
    expect(feed.events.length).toBe(state.unseen[ruleId])
    expect(feed.events.every((e) => e.kind === 'price' && e.modelId.startsWith('anthropic/claude-'))).toBe(
      true,
    )
    const everything = await call<ChangeFeed>('changes:list', {})
    expect(everything.events.length).toBeGreaterThan(feed.events.length)

    expect(await call<WatchState>('watch:mark-seen', { ruleId })).toMatchObject({ unseenTotal: 0 })
    // Seen, the feed for the rule still lists what it matched.
    expect((await call<ChangeFeed>('changes:list', { ruleId })).events).toHaveLength(feed.events.length)
  })

  it('an unchanged refresh, or a change no rule watches, notifies nothing', async () => {
    await call('watch:save', {
      rule: { name: 'Claude prices', expr: 'event:price, model:anthropic/claude-*', enabled: true },
    })
    await call('catalog:refresh')
    await call('catalog:refresh')
    fake.setModels(repriced(['openai'], 2))
    await call('catalog:refresh')
    expect(notifier.shown).toEqual([])
    expect((await call<WatchState>('watch:list')).unseenTotal).toBe(0)
  })

  it('a bad rule comes back as an error value naming the term; watch:check says what a rule means', async () => {
    const result = await dispatch(
      'watch:save',
      { rule: { name: 'Oops', expr: 'starred, cheap', enabled: true } },
      createHandlers(services),
    )
    expect(result).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/"cheap"/), details: { term: 'cheap' } },
    })
    expect(await call('watch:check', { expr: 'starred, event:allowed-left' })).toEqual({
      ok: true,
      summary: 'A starred model leaves the models your key may use.',
    })
    expect(await call('watch:check', { expr: '__proto__' })).toMatchObject({ ok: false, term: '__proto__' })
    expect(
      await call<WatchState>('watch:set-quiet-hours', { quietHours: { start: '22:00', end: '07:00' } }),
    ).toMatchObject({
      quietHours: { start: '22:00', end: '07:00' },
    })
    const refused = await dispatch(
      'watch:set-quiet-hours',
      { quietHours: { start: '24:00', end: '07:00' } },
      createHandlers(services),
    )
    expect(refused.ok).toBe(false)
  })

  it('stars are per profile, and a profile switch announces the new profile’s stars', async () => {
    expect(await call('stars:set', { modelId: 'openai/gpt-4o', starred: true })).toEqual({
      ids: ['openai/gpt-4o'],
    })
    expect(emitted.at(-1)).toEqual({ event: 'stars:changed', payload: { ids: ['openai/gpt-4o'] } })
    const first = await services.keys.activeId()
    const work = await services.keys.createProfile('Work')
    await call('profiles:switch', { id: work.id })
    expect(emitted.filter((e) => e.event === 'stars:changed').at(-1)).toEqual({
      event: 'stars:changed',
      payload: { ids: [] },
    })
    expect(await call('stars:list')).toEqual({ ids: [] })
    await call('stars:set', { modelId: 'google/gemini-2.5-pro', starred: true })
    await call('profiles:switch', { id: first })
    expect(emitted.filter((e) => e.event === 'stars:changed').at(-1)).toEqual({
      event: 'stars:changed',
      payload: { ids: ['openai/gpt-4o'] },
    })
    expect(await call('stars:list')).toEqual({ ids: ['openai/gpt-4o'] })
  })
})
