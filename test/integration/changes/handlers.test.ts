import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import keytar from '@github/keytar'
import { createAppServices, type AppServices } from '../../../src/main/app-services'
import { dispatch } from '../../../src/main/ipc/dispatch'
import { createHandlers } from '../../../src/main/ipc/handlers'
import { startFakeOpenRouter, recordedModels, type FakeOpenRouter } from '../../fake-openrouter/server'
import type { ArchivedModel, ChangeFeed } from '../../../src/shared/changes/types'

/**
 * The feed as the window reaches it: two refreshes against the fake OpenRouter (the second serving
 * a changed catalog), then the changes channels through the real dispatch and handlers.
 */
describe('the changes channels', () => {
  let fake: FakeOpenRouter
  let dataDir: string
  let services: AppServices

  beforeAll(async () => {
    fake = await startFakeOpenRouter()
  })
  afterAll(async () => {
    await fake.close()
  })
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'md-changes-ipc-'))
    fake.setModels(recordedModels())
    services = await createAppServices({
      dataDir,
      appVersion: '0.0.0-test',
      env: { MODEL_DECK_API_BASE: fake.url },
      keytar,
      dialogs: { chooseSavePath: async () => null, chooseOpenPath: async () => null },
      openExternal: async () => undefined,
      emit: () => undefined,
    })
  })
  afterEach(() => {
    services.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  async function refreshTwice() {
    await services.catalog.refresh({ sources: ['all'] })
    const models = recordedModels()
    const [gone, repriced] = [models[0]!, models[1]!]
    const pricing = repriced.pricing as Record<string, string>
    fake.setModels([{ ...repriced, pricing: { ...pricing, prompt: '0.0000777' } }, ...models.slice(2)])
    await services.catalog.refresh({ sources: ['all'] })
    return { gone, repriced }
  }

  it('changes:list and changes:archive answer what the second refresh changed', async () => {
    const { gone, repriced } = await refreshTwice()
    const call = (channel: string, payload: unknown) => dispatch(channel, payload, createHandlers(services))
    const listed = await call('changes:list', { source: 'all' })
    expect(listed.ok).toBe(true)
    const feed = (listed as { data: ChangeFeed }).data
    const lines = feed.events.map((e) => `${e.kind} ${e.modelId} ${e.field ?? ''}`.trim())
    expect(lines.sort()).toEqual([`price ${repriced.id} prompt`, `removed ${gone.id}`])
    expect(feed.events.find((e) => e.kind === 'price')).toMatchObject({ to: '0.0000777' })
    const archived = await call('changes:archive', { search: gone.id })
    expect((archived as { data: { models: ArchivedModel[] } }).data.models.map((m) => m.id)).toEqual([
      gone.id,
    ])
  })

  it('a bad query is refused with a message; the starred/rule seam narrows the feed', async () => {
    const { repriced } = await refreshTwice()
    const bad = await dispatch('changes:list', { kinds: ['renamed'] }, createHandlers(services))
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    const handlers = createHandlers({
      ...services,
      matchFor: async (query) => (query.starred ? (e) => e.modelId === repriced.id : undefined),
    })
    const starred = await dispatch('changes:list', { starred: true }, handlers)
    expect((starred as { data: ChangeFeed }).data.events.map((e) => e.modelId)).toEqual([repriced.id])
    const all = await dispatch('changes:list', {}, handlers)
    expect((all as { data: ChangeFeed }).data.total).toBe(2)
  })

  it('in the app, each refresh works out its events in the background: the feed opens from the event file', async () => {
    services.start()
    await refreshTwice()
    const file = join(dataDir, 'changes', 'events.v1.jsonl')
    for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 20))
    // One line per pair of neighbouring snapshots, written before anyone opened What's new.
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1)
  })
})
