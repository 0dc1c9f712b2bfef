import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { deferred } from '../../../../test/helpers/renderer-api-double'
import { snapshotMeta } from '../../../../test/helpers/snapshot-meta'
import type { CatalogState, RefreshOutcome } from '../../../shared/app-types'
import type { Result } from '../../../shared/ipc/result'
import { useCatalogStore } from './catalog'
import { useKeyStore } from './key'
import { useNetworkStore } from './network'

const double = await vi.hoisted(async () =>
  (await import('../../../../test/helpers/renderer-api-double')).createApiDouble(),
)
vi.mock('../api', () => ({ api: double.api }))

function catalogState(snapshotId: string, patch: Partial<CatalogState> = {}): CatalogState {
  return {
    profileId: 'default',
    region: 'global',
    user: null,
    all: { meta: snapshotMeta({ id: snapshotId }), models: [{ id: `model-of-${snapshotId}` }] },
    historical: false,
    online: true,
    lastError: null,
    problems: [],
    readOnlyStore: null,
    readOnlyStoreMayClear: false,
    ...patch,
  }
}

function outcome(created: boolean): RefreshOutcome {
  const result = {
    ok: true,
    snapshotId: 'new',
    created,
    modelCount: 1,
    skipped: 0,
    skippedReasons: [],
    error: null,
  }
  return { results: [{ source: 'all', ...result }], online: true }
}

const ok = <T>(data: T): Result<T> => ({ ok: true, data })
const settled = () => new Promise((r) => setTimeout(r, 0))

/** main answers catalog:get with the latest snapshot, or with the one asked for (then historical). */
let latestId = 'first'
function answerCatalogGets(): void {
  vi.mocked(double.api.catalog.get).mockImplementation(async (input) =>
    ok(input.snapshotId ? catalogState(input.snapshotId, { historical: true }) : catalogState(latestId)),
  )
}

beforeEach(() => {
  double.reset()
  setActivePinia(createPinia())
  latestId = 'first'
  answerCatalogGets()
})

describe('the catalog store reloads once for each change main announces', () => {
  // In Electron main's event comes before the reply; in the browser harness either may be first.
  it.each(['before', 'after'] as const)(
    'a refresh that stores a snapshot reads the catalog once (event %s the reply)',
    async (order) => {
      const catalog = useCatalogStore()
      await catalog.load()
      expect(double.count('catalog:get')).toBe(1)

      const reply = deferred<Result<RefreshOutcome>>()
      vi.mocked(double.api.catalog.refresh).mockReturnValue(reply.promise)
      const refreshing = catalog.refresh()
      latestId = 'new'
      if (order === 'before') double.emit('catalog:changed', { reason: 'refresh' })
      reply.resolve(ok(outcome(true)))
      if (order === 'after') {
        await settled()
        double.emit('catalog:changed', { reason: 'refresh' })
      }
      await refreshing
      await settled()

      expect(double.count('catalog:get')).toBe(2)
      expect(catalog.state?.all?.meta.id).toBe('new')
      expect(catalog.refreshing).toBe(false)
    },
  )

  it('a refresh that stores nothing (no event) still reads the catalog once, for the new "as of" time', async () => {
    const catalog = useCatalogStore()
    await catalog.load()
    vi.mocked(double.api.catalog.refresh).mockResolvedValue(ok(outcome(false)))
    await catalog.refresh()
    await settled()
    expect(double.count('catalog:get')).toBe(2)
  })

  it.each([true, false])(
    'a refresh the user asks for with an older snapshot open shows the latest, read once (stored: %s)',
    async (created) => {
      const catalog = useCatalogStore()
      await catalog.load()
      await catalog.openSnapshot('old')
      expect(catalog.state?.historical).toBe(true)
      const before = double.count('catalog:get')

      vi.mocked(double.api.catalog.refresh).mockImplementation(async () => {
        latestId = 'new'
        if (created) double.emit('catalog:changed', { reason: 'refresh' })
        return ok(outcome(created))
      })
      await catalog.refresh()
      await settled()

      expect(double.count('catalog:get') - before).toBe(1)
      expect(catalog.state?.historical).toBe(false)
      expect(catalog.openedSnapshotId).toBeNull()
    },
  )

  it('an automatic refresh while an older snapshot is open leaves that snapshot on screen', async () => {
    const catalog = useCatalogStore()
    await catalog.openSnapshot('old')
    const before = double.count('catalog:get')
    double.emit('catalog:changed', { reason: 'refresh' })
    await settled()
    expect(double.count('catalog:get')).toBe(before)
    expect(catalog.state?.all?.meta.id).toBe('old')
  })

  it('a profile switch reads the catalog once, even with another profile’s old snapshot open', async () => {
    const catalog = useCatalogStore()
    const keys = useKeyStore()
    await catalog.openSnapshot('old')
    keys.profiles = { activeId: 'default', profiles: [{ id: 'default', name: 'Default' }] }
    const switched = { activeId: 'work', profiles: [...keys.profiles.profiles, { id: 'work', name: 'Work' }] }
    vi.mocked(double.api.profiles.switch).mockImplementation(async () => {
      latestId = 'work-latest'
      double.emit('catalog:changed', { reason: 'profile' })
      return ok(switched)
    })
    vi.mocked(double.api.key.status).mockResolvedValue(
      ok({
        profileId: 'work',
        present: false,
        storage: 'none',
        verified: false,
        info: null,
        error: null,
        keychainError: null,
      }),
    )
    const before = double.count('catalog:get')

    expect(await keys.switchProfile('work')).toBe(true)
    await settled()

    expect(double.count('catalog:get') - before).toBe(1)
    expect(catalog.state?.all?.meta.id).toBe('work-latest')
    expect(catalog.state?.historical).toBe(false)
  })

  it('a region change reloads the latest once', async () => {
    const catalog = useCatalogStore()
    await catalog.load()
    latestId = 'eu'
    double.emit('catalog:changed', { reason: 'region' })
    await settled()
    expect(double.count('catalog:get')).toBe(2)
    expect(catalog.state?.all?.meta.id).toBe('eu')
  })
})

describe('online or offline is what main says', () => {
  it('takes main’s state with the catalog, then follows network:changed', async () => {
    const catalog = useCatalogStore()
    const network = useNetworkStore()
    network.listen()
    vi.mocked(double.api.catalog.get).mockResolvedValue(ok(catalogState('first', { online: false })))
    await catalog.load()
    expect(network.online).toBe(false)
    double.emit('network:changed', { online: true })
    expect(network.online).toBe(true)
  })

  it('a failed provider lookup does not decide it: main reports the network itself', async () => {
    const catalog = useCatalogStore()
    const network = useNetworkStore()
    network.listen()
    await catalog.load()
    expect(network.online).toBe(true)
    vi.mocked(double.api.catalog.endpoints).mockResolvedValue({
      ok: false,
      error: { code: 'offline', message: 'Could not reach OpenRouter.' },
    })
    await catalog.loadEndpoints('model-of-first')
    expect(catalog.endpointsOf('model-of-first')?.error?.code).toBe('offline')
    expect(network.online).toBe(true)
    double.emit('network:changed', { online: false })
    expect(network.online).toBe(false)
  })
})

describe('the newest load is the one shown', () => {
  it('an older snapshot answer arriving last does not replace the latest asked for after it', async () => {
    const catalog = useCatalogStore()
    const older = deferred<Result<CatalogState>>()
    vi.mocked(double.api.catalog.get).mockReturnValueOnce(older.promise)
    const opening = catalog.openSnapshot('old')
    await catalog.backToLatest()
    older.resolve(ok(catalogState('old', { historical: true })))
    await opening
    expect(catalog.state?.all?.meta.id).toBe('first')
    expect(catalog.openedSnapshotId).toBeNull()
    expect(catalog.loading).toBe(false)
  })
})

describe('whole records for the detail pane', () => {
  const table = { id: 'a/one', name: 'One', pricing: { prompt: '0.000001' } }
  const whole = { ...table, default_parameters: { temperature: 0.7 } }
  const withModel = (snapshotId: string) =>
    catalogState(snapshotId, { all: { meta: snapshotMeta({ id: snapshotId }), models: [table] } })

  it.each<[string, Result<{ models: (typeof whole)[] }>, unknown]>([
    ['the whole record once main sends it', ok({ models: [whole] }), whole],
    ['no record while main cannot', { ok: false, error: { code: 'internal', message: 'x' } }, undefined],
    ['no record when main no longer has it', ok({ models: [] }), undefined],
  ])('gives %s', async (_, answer, expected) => {
    vi.mocked(double.api.catalog.get).mockResolvedValue(ok(withModel('s1')))
    vi.mocked(double.api.catalog.getRecords).mockResolvedValue(answer)
    const catalog = useCatalogStore()
    await catalog.load()
    // Until then the pane shows the normalised model, which the store keeps instead of the record.
    expect(catalog.recordOf('a/one')).toBeUndefined()
    expect(catalog.modelById.get('a/one')?.name).toBe('One')
    await catalog.loadRecord('a/one')
    expect(catalog.recordOf('a/one')).toEqual(expected)
    expect(double.api.catalog.getRecords).toHaveBeenCalledWith({ snapshotId: 's1', modelIds: ['a/one'] })
  })

  it('asks once per snapshot, and again for the same model in another snapshot', async () => {
    vi.mocked(double.api.catalog.get).mockResolvedValue(ok(withModel('s1')))
    vi.mocked(double.api.catalog.getRecords).mockResolvedValue(ok({ models: [whole] }))
    const catalog = useCatalogStore()
    await catalog.load()
    await catalog.loadRecord('a/one')
    await catalog.loadRecord('a/one')
    expect(double.count('catalog:get-records')).toBe(1)
    vi.mocked(double.api.catalog.get).mockResolvedValue(ok(withModel('s2')))
    await catalog.load(null)
    expect(catalog.recordOf('a/one')).toBeUndefined()
    await catalog.loadRecord('a/one')
    expect(double.count('catalog:get-records')).toBe(2)
  })

  it('normalised models of one catalog share equal lists, and keep their content', async () => {
    const models = [
      { id: 'a/1', supported_parameters: ['tools', 'seed'], architecture: { input_modalities: ['text'] } },
      { id: 'a/2', supported_parameters: ['tools', 'seed'], architecture: { input_modalities: ['text'] } },
      { id: 'a/3', supported_parameters: ['tools'], architecture: { input_modalities: ['text', 'image'] } },
    ]
    vi.mocked(double.api.catalog.get).mockResolvedValue(
      ok(catalogState('s1', { all: { meta: snapshotMeta({ id: 's1' }), models } })),
    )
    const catalog = useCatalogStore()
    await catalog.load()
    const [one, two, three] = catalog.allModels
    expect(two!.supportedParameters).toBe(one!.supportedParameters)
    expect(two!.inputModalities).toBe(one!.inputModalities)
    expect(three!.supportedParameters).toEqual(['tools'])
    expect(three!.inputModalities).toEqual(['text', 'image'])
  })

  it('equal prices are one object across models, and each keeps its own value', async () => {
    const models = [
      { id: 'a/1', pricing: { prompt: '0.000002', completion: '0.00001' } },
      { id: 'a/2', pricing: { prompt: '0.000002', completion: '0.00003' } },
    ]
    vi.mocked(double.api.catalog.get).mockResolvedValue(
      ok(catalogState('s1', { all: { meta: snapshotMeta({ id: 's1' }), models } })),
    )
    const catalog = useCatalogStore()
    await catalog.load()
    const [one, two] = catalog.allModels
    expect(two!.prices.prompt).toBe(one!.prices.prompt)
    expect(one!.prices.completion).toEqual({ kind: 'fixed', value: '0.00001' })
    expect(two!.prices.completion).toEqual({ kind: 'fixed', value: '0.00003' })
  })

  it('keeps each model once: normalised, with only the id and prices of its record, one object in both lists', async () => {
    const shared = { id: 'a/1', name: 'One', description: 'x'.repeat(50), pricing: { prompt: '0.000001' } }
    const state = catalogState('s1', {
      all: { meta: snapshotMeta({ id: 's1' }), models: [shared, { id: 'a/2', name: 'Two' }] },
      user: { meta: snapshotMeta({ id: 'u1' }), models: [shared] },
    })
    vi.mocked(double.api.catalog.get).mockResolvedValue(ok(state))
    const catalog = useCatalogStore()
    await catalog.load()
    const [one, two] = catalog.allModels
    expect(one!.raw).toEqual({ id: 'a/1', pricing: { prompt: '0.000001' } })
    expect(two!.raw).toEqual({ id: 'a/2' })
    expect(one!.description).toBe('x'.repeat(50))
    expect(catalog.userModels[0]).toBe(one)
    // Equal prices are one object too; the value read is the same.
    expect(one!.prices.prompt).toEqual({ kind: 'fixed', value: '0.000001' })
    expect(catalog.state?.all?.models).toBe(catalog.allModels)
    expect(catalog.excludedCount).toBe(1)
    expect([...catalog.allowedIds]).toEqual(['a/1'])
  })
})
