import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import keytar from '@github/keytar'
import { createAppServices, type AppServices } from '../../src/main/app-services'
import { dispatch } from '../../src/main/ipc/dispatch'
import {
  startFakeOpenRouter,
  TEST_KEYS,
  recordedModels,
  type FakeOpenRouter,
} from '../fake-openrouter/server'
import type { EventPayloads } from '../../src/shared/ipc/events'
import { createHandlers } from '../../src/main/ipc/handlers'

/**
 * Main decides what the window must reload or show, and says so in events: whether OpenRouter can
 * be reached (from every call, key checks included), and that the stored catalogs changed after an
 * import, a removal or a prune. The window only follows these (test/e2e/reloads.e2e.test.ts).
 */
describe('the events main emits for the window to follow', () => {
  let fake: FakeOpenRouter
  let dataDir: string
  let services: AppServices
  let events: { event: string; payload: unknown }[]
  let nextOpen: string | null = null
  const network = () => events.filter((e) => e.event === 'network:changed').map((e) => e.payload)
  const changed = () => events.filter((e) => e.event === 'catalog:changed').map((e) => e.payload)

  beforeAll(async () => {
    fake = await startFakeOpenRouter()
  })
  afterAll(async () => {
    await fake?.close()
  })
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'md-events-'))
    events = []
    services = await createAppServices({
      dataDir,
      appVersion: '0.0.0-test',
      env: { MODEL_DECK_API_BASE: fake.url },
      keytar,
      dialogs: { chooseSavePath: async () => null, chooseOpenPath: async () => nextOpen },
      openExternal: async () => undefined,
      emit: <E extends keyof EventPayloads>(event: E, payload: EventPayloads[E]) =>
        events.push({ event, payload }),
    })
    await services.keys.set(await services.keys.activeId(), TEST_KEYS.personal)
    events = []
  })
  afterEach(async () => {
    await fake.online()
    await services.keys.clear(await services.keys.activeId()).catch(() => undefined)
    services.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('a key check that cannot reach OpenRouter says offline; the next one that can says online', async () => {
    await fake.offline()
    const down = await dispatch('key:status', { refresh: true }, createHandlers(services))
    expect(down.ok).toBe(true)
    expect(network()).toEqual([{ online: false }])
    await fake.online()
    await dispatch('key:test-connection', {}, createHandlers(services))
    expect(network()).toEqual([{ online: false }, { online: true }])
    // Main's own answer agrees with what it announced.
    const state = await dispatch('catalog:get', {}, createHandlers(services))
    expect(state.ok && (state.data as { online: boolean | null }).online).toBe(true)
  })

  it('an HTTP error is still OpenRouter answering: online', async () => {
    await fake.offline()
    await dispatch('key:test-connection', {}, createHandlers(services))
    await fake.online()
    fake.setFault('/key', 500)
    await dispatch('key:status', { refresh: true }, createHandlers(services))
    fake.clearFaults()
    expect(network().at(-1)).toEqual({ online: true })
  })

  it('an import, a removal and a prune each announce that the catalogs changed, once', async () => {
    const file = join(dataDir, 'models.json.gz')
    writeFileSync(file, gzipSync(JSON.stringify({ data: recordedModels() })))
    nextOpen = file
    const imported = await dispatch('snapshots:import', { source: 'all' }, createHandlers(services))
    expect(imported.ok, JSON.stringify(imported)).toBe(true)
    expect(changed()).toEqual([{ reason: 'import' }])

    // The same file again is the same snapshot: nothing was stored, nothing to announce.
    const again = await dispatch('snapshots:import', { source: 'all' }, createHandlers(services))
    const created = again.ok && (again.data as { created: boolean }).created
    expect(changed()).toEqual(created ? [{ reason: 'import' }, { reason: 'import' }] : [{ reason: 'import' }])
    events = []

    const id = imported.ok ? (imported.data as { meta: { id: string } }).meta.id : ''
    await dispatch('snapshots:remove', { id }, createHandlers(services))
    expect(changed()).toEqual([{ reason: 'snapshots' }])

    await services.catalog.refresh({ sources: ['all'] })
    await services.catalog.refresh({ sources: ['user'] })
    fake.setModels(recordedModels().slice(2))
    await services.catalog.refresh({ sources: ['all'] })
    fake.setModels(recordedModels())
    events = []
    // Nothing to prune: nothing announced. Then keepLast 1 removes the older public snapshot.
    await dispatch('snapshots:prune', {}, createHandlers(services))
    expect(changed()).toEqual([])
    await services.settings.update({ retention: { keepLast: 1, maxMegabytes: null } })
    const pruned = await dispatch('snapshots:prune', {}, createHandlers(services))
    expect(pruned.ok && (pruned.data as { removed: string[] }).removed.length).toBeGreaterThan(0)
    expect(changed()).toEqual([{ reason: 'snapshots' }])
  })

  it('a refresh whose retention prunes announces one change, not two', async () => {
    await services.settings.update({ retention: { keepLast: 1, maxMegabytes: null } })
    await services.catalog.refresh({ sources: ['all'] })
    fake.setModels(recordedModels().slice(1))
    events = []
    await services.catalog.refresh({ sources: ['all'] })
    expect((await services.snapshots.list()).snapshots.filter((s) => s.source === 'all')).toHaveLength(1)
    expect(changed()).toEqual([{ reason: 'refresh' }])
    fake.setModels(recordedModels())
  })

  it('a region change and a profile switch are announced by the services, whoever makes them', async () => {
    // Straight on the services, with no IPC handler in between.
    await services.settings.update({ region: 'eu' })
    expect(changed()).toEqual([{ reason: 'region' }])
    expect(services.info.apiHost).toBeTruthy()
    await services.settings.update({ theme: 'dark' })
    expect(changed()).toEqual([{ reason: 'region' }])
    const { profiles } = await services.keys.listProfiles()
    const created = await services.keys.createProfile('Work')
    await services.keys.setActive(created.id)
    expect(changed()).toEqual([{ reason: 'region' }, { reason: 'profile' }])
    await services.keys.setActive(profiles[0]!.id)
    await services.keys.deleteProfile(created.id)
    expect(changed().filter((c) => (c as { reason: string }).reason === 'profile')).toHaveLength(3)
  })

  it('a pinned profile and region (the CLI) hold whatever the settings and the active profile say', async () => {
    const work = await services.keys.createProfile('Work')
    const pinned = await createAppServices({
      dataDir,
      appVersion: '0.0.0-test',
      env: { MODEL_DECK_API_BASE: fake.url },
      keytar,
      dialogs: { chooseSavePath: async () => null, chooseOpenPath: async () => null },
      openExternal: async () => undefined,
      emit: () => undefined,
      profile: 'work',
      region: 'us',
    })
    try {
      expect(await pinned.keys.activeId()).toBe(work.id)
      expect(await services.keys.activeId()).not.toBe(work.id)
      await pinned.settings.update({ region: 'eu' })
      const state = await createHandlers(pinned)['catalog:get']({})
      expect(state.region).toBe('us')
      await expect(createAppServices({ ...pinned.deps, profile: 'nobody' })).rejects.toThrow(
        /There is no profile "nobody"; profiles: .*Work/,
      )
    } finally {
      pinned.stop()
    }
  })
})
