import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import keytar from '@github/keytar'
import { createAppServices, type AppServices } from '../../src/main/app-services'
import { dispatch } from '../../src/main/ipc/dispatch'
import {
  startFakeOpenRouter,
  TEST_KEYS,
  WRONG_KEY,
  DEFAULT_USER_EXCLUDED_IDS,
  recordedModels,
  type FakeOpenRouter,
} from '../fake-openrouter/server'
import type { EventPayloads } from '../../src/shared/ipc/events'
import { tableRecord, unpackCatalogState, type CatalogStateWire } from '../../src/shared/catalog-wire'
import { createHandlers } from '../../src/main/ipc/handlers'

/**
 * The catalog as a user meets it, end to end in main: a real HTTP client against the fake
 * OpenRouter, a real snapshot store in a temp folder and the real keychain.
 */
describe('catalog service', () => {
  let fake: FakeOpenRouter
  let dataDir: string
  let services: AppServices
  let events: { event: string; payload: unknown }[]

  beforeAll(async () => {
    fake = await startFakeOpenRouter()
  })
  afterAll(async () => {
    await fake.close()
  })

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'md-catalog-'))
    events = []
    await fake.online()
    fake.clearFaults()
    fake.setModels(recordedModels())
    services = await createAppServices({
      dataDir,
      appVersion: '0.0.0-test',
      env: { MODEL_DECK_API_BASE: fake.url },
      keytar,
      dialogs: { chooseSavePath: async () => null, chooseOpenPath: async () => null },
      openExternal: async () => undefined,
      emit: <E extends keyof EventPayloads>(event: E, payload: EventPayloads[E]) =>
        events.push({ event, payload }),
    })
  })
  afterEach(async () => {
    await services.keys.clear(await services.keys.activeId()).catch(() => undefined)
    services.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  const call = (channel: string, payload: unknown = {}) =>
    dispatch(channel, payload, createHandlers(services))

  it('starts empty, then a refresh without a key stores the public catalog only', async () => {
    const empty = await call('catalog:get')
    expect(empty).toMatchObject({ ok: true, data: { user: null, all: null, online: null } })
    const refreshed = await call('catalog:refresh')
    expect(refreshed.ok).toBe(true)
    const state = await services.catalog.get({})
    expect(state.all?.models).toHaveLength(recordedModels().length)
    expect(state.user).toBeNull()
    expect(state.online).toBe(true)
    expect(events).toContainEqual({ event: 'network:changed', payload: { online: true } })
  })

  it('with a key, keeps the allowed list next to the public one and marks the key verified', async () => {
    expect((await call('key:set', { key: TEST_KEYS.personal })).ok).toBe(true)
    const outcome = await services.catalog.refresh({})
    expect(outcome.results.map((r) => [r.source, r.ok])).toEqual([
      ['user', true],
      ['all', true],
    ])
    const state = await services.catalog.get({})
    const allIds = new Set(state.all!.models.map((m) => m.id))
    const userIds = new Set(state.user!.models.map((m) => m.id))
    expect(allIds.size - userIds.size).toBe(DEFAULT_USER_EXCLUDED_IDS.length)
    for (const id of DEFAULT_USER_EXCLUDED_IDS) expect(userIds.has(id)).toBe(false)
    // The allowed records equal to public ones are one object in both lists, so catalog:get sends
    // them as positions into the public list, and the renderer rebuilds exactly the same lists.
    const allById = new Map(state.all!.models.map((m) => [m.id, m]))
    const shared = state.user!.models.filter((m) => allById.get(m.id) === m)
    expect(shared.length).toBeGreaterThan(state.user!.models.length / 2)
    for (const m of state.user!.models) if (allById.get(m.id) !== m) expect(m).not.toEqual(allById.get(m.id))
    const wire = await call('catalog:get')
    if (!wire.ok) throw new Error(wire.error.message)
    const sent = wire.data as CatalogStateWire
    expect(sent.user?.models).toHaveLength(state.user!.models.length - shared.length)
    // Each record travels as the table's part of it; the detail pane asks for the whole one.
    const project = (side: typeof state.all) => side && { ...side, models: side.models.map(tableRecord) }
    expect(unpackCatalogState(JSON.parse(JSON.stringify(sent)) as CatalogStateWire)).toEqual({
      ...state,
      user: project(state.user),
      all: project(state.all),
    })
    const withDefaults = state.all!.models.find((m) => m.default_parameters !== undefined)!
    const sentAll = sent.all!.models.find((m) => m.id === withDefaults.id)!
    expect(sentAll.default_parameters).toBeUndefined()
    const whole = await call('catalog:get-records', {
      snapshotId: state.all!.meta.id,
      modelIds: [withDefaults.id, 'nobody/none', state.all!.models[0]!.id],
    })
    expect(whole).toEqual({ ok: true, data: { models: [withDefaults, state.all!.models[0]] } })
    const status = await call('key:status')
    expect(status).toMatchObject({ ok: true, data: { present: true, verified: true } })
  })

  it('an unchanged second fetch stores no new snapshot', async () => {
    await services.catalog.refresh({})
    const second = await services.catalog.refresh({})
    expect(second.results[0]).toMatchObject({ ok: true, created: false })
    const list = await services.snapshots.list()
    expect(list.snapshots).toHaveLength(1)
  })

  it('offline: the refresh reports it, the last snapshot stays on screen', async () => {
    await services.catalog.refresh({})
    await fake.offline()
    const outcome = await services.catalog.refresh({})
    expect(outcome.online).toBe(false)
    expect(outcome.results[0]!.error?.code).toBe('offline')
    const state = await services.catalog.get({})
    expect(state.online).toBe(false)
    expect(state.all?.models.length).toBe(recordedModels().length)
    expect(events).toContainEqual({ event: 'network:changed', payload: { online: false } })
  })

  it('a key OpenRouter rejects later is reported on the user list and in the key status', async () => {
    await services.keys.set(await services.keys.activeId(), TEST_KEYS.personal)
    fake.setFault('/models/user', 401)
    const outcome = await services.catalog.refresh({})
    const user = outcome.results.find((r) => r.source === 'user')!
    expect(user.error?.code).toBe('key-rejected')
    const status = await call('key:status')
    expect(status).toMatchObject({ ok: true, data: { verified: false } })
  })

  it('a wrong key is refused and nothing is stored', async () => {
    const result = await call('key:set', { key: WRONG_KEY })
    expect(result).toMatchObject({ ok: false, error: { code: 'key-rejected' } })
    expect(await keytar.getPassword('Model Deck', await services.keys.activeId())).toBeNull()
  })

  it('one malformed record is skipped and counted, the rest load', async () => {
    fake.setFault('/models', 'malformed-record')
    const outcome = await services.catalog.refresh({ sources: ['all'] })
    expect(outcome.results[0]).toMatchObject({ ok: true, skipped: 1 })
    expect(outcome.results[0]!.skippedReasons[0]).toMatch(/#\d+/)
  })

  it('a body that is not a catalog stores nothing and says so', async () => {
    fake.setFault('/models', 'invalid-json')
    const outcome = await services.catalog.refresh({ sources: ['all'] })
    expect(outcome.results[0]!.error?.code).toBe('bad-response')
    expect((await services.snapshots.list()).snapshots).toHaveLength(0)
  })

  it('provider endpoints are fetched once, then served from the snapshot offline', async () => {
    await services.catalog.refresh({})
    const state = await services.catalog.get({})
    const model = state.all!.models.find((m) => m.id.startsWith('anthropic/'))!
    const first = await call('catalog:endpoints', { snapshotId: state.all!.meta.id, modelId: model.id })
    expect(first).toMatchObject({ ok: true, data: { fromCache: false } })
    expect((first as { data: { rows: unknown[] } }).data.rows.length).toBeGreaterThan(0)
    await fake.offline()
    const second = await call('catalog:endpoints', { snapshotId: state.all!.meta.id, modelId: model.id })
    expect(second).toMatchObject({ ok: true, data: { fromCache: true } })
  })

  it('cancel stops a slow refresh and keeps what was there', async () => {
    fake.setFault('/models', { type: 'slow', ms: 5_000 })
    const pending = services.catalog.refresh({ sources: ['all'] })
    await new Promise((r) => setTimeout(r, 100))
    expect(services.catalog.cancel()).toEqual({ cancelled: true })
    const outcome = await pending
    expect(outcome.results[0]!.error?.code).toBe('cancelled')
    expect((await services.snapshots.list()).snapshots).toHaveLength(0)
  })

  it('opening an older snapshot shows the catalog as of that date, read-only', async () => {
    await services.catalog.refresh({})
    const models = recordedModels()
    fake.setModels(models.slice(10))
    await services.catalog.refresh({})
    const list = await services.snapshots.list()
    expect(list.snapshots).toHaveLength(2)
    const older = list.snapshots[1]!
    const state = await services.catalog.get({ snapshotId: older.id })
    expect(state.historical).toBe(true)
    expect(state.all?.models).toHaveLength(models.length)
    const diff = await call('snapshots:diff', { a: 'latest~1', b: 'latest' })
    expect(diff).toMatchObject({ ok: true, data: { diff: { counts: { removed: 10, added: 0 } } } })
  })

  it('applies the retention setting as new snapshots arrive; pinned ones stay', async () => {
    await services.settings.update({ retention: { keepLast: 1, maxMegabytes: null } })
    const models = recordedModels()
    await services.catalog.refresh({})
    const first = (await services.snapshots.list()).snapshots[0]!
    await services.snapshots.update(first.id, { pinned: true })
    fake.setModels(models.slice(1))
    await services.catalog.refresh({})
    fake.setModels(models.slice(2))
    await services.catalog.refresh({})
    const left = (await services.snapshots.list()).snapshots
    expect(left.map((m) => m.modelCount)).toEqual([models.length - 2, models.length])
    expect(left[1]!.pinned).toBe(true)
  })

  it('refreshes on its own every N hours when Settings asks for it, and stops when set back to 0', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    try {
      services.start()
      await call('settings:update', { patch: { autoRefreshHours: 2 } })
      const before = fake.requestsTo('/models').length
      vi.advanceTimersByTime(2 * 3_600_000)
      await vi.waitFor(async () => expect((await services.snapshots.list()).snapshots).toHaveLength(1))
      expect(fake.requestsTo('/models').length).toBe(before + 1)
      await call('settings:update', { patch: { autoRefreshHours: 0 } })
      vi.advanceTimersByTime(10 * 3_600_000)
      await new Promise((r) => setTimeout(r, 200))
      expect(fake.requestsTo('/models').length).toBe(before + 1)
    } finally {
      vi.useRealTimers()
    }
  })
})
