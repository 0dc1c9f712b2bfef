import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { deferred } from '../../../../test/helpers/renderer-api-double'
import { snapshotMeta } from '../../../../test/helpers/snapshot-meta'
import type { CatalogState } from '../../../shared/app-types'
import {
  CHANGE_KINDS,
  type ArchivedModel,
  type ChangeEvent,
  type ChangeFeed,
  type ChangeKind,
  type ChangeQuery,
} from '../../../shared/changes/types'
import type { Result } from '../../../shared/ipc/result'
import type { WatchState } from '../../../shared/watch/types'
import { FEED_PAGE, useChangesStore } from './changes'
import { useCatalogStore, type CatalogStateView } from './catalog'
import { normaliseModel } from '../../../shared/model/normalise'

const double = await vi.hoisted(async () =>
  (await import('../../../../test/helpers/renderer-api-double')).createApiDouble(),
)
vi.mock('../api', () => ({ api: double.api }))

const ok = <T>(data: T): Result<T> => ({ ok: true, data })
const settled = () => new Promise((r) => setTimeout(r, 0))

function event(n: number, patch: Partial<ChangeEvent> = {}): ChangeEvent {
  return {
    key: `s${n}/acme/m${n}/price/prompt`,
    kind: 'price',
    at: new Date(Date.UTC(2026, 11, 3) - n * 60_000).toISOString(),
    snapshotId: `s${n}`,
    previousId: `s${n - 1}`,
    source: 'user',
    region: 'global',
    profile: 'p',
    modelId: `acme/m${n}`,
    name: `Acme ${n}`,
    author: 'acme',
    field: 'prompt',
    from: '0.000001',
    to: '0.000002',
    percent: 100,
    ...patch,
  }
}

function counts(patch: Partial<Record<ChangeKind, number>> = {}): Record<ChangeKind, number> {
  return { ...(Object.fromEntries(CHANGE_KINDS.map((k) => [k, 0])) as Record<ChangeKind, number>), ...patch }
}

/** main's feed: `total` events numbered 1.., paged by limit/offset, every one a price change. */
function answerFeed(total: number, perKind: Partial<Record<ChangeKind, number>> = { price: total }): void {
  vi.mocked(double.api.changes.list).mockImplementation(async (q: ChangeQuery) => {
    const offset = q.offset ?? 0
    const limit = q.limit ?? 5_000
    const n = Math.max(0, Math.min(limit, total - offset))
    const feed: ChangeFeed = {
      events: Array.from({ length: n }, (_, i) => event(offset + i + 1)),
      total,
      counts: counts(q.kinds ? Object.fromEntries(q.kinds.map((k) => [k, perKind[k] ?? 0])) : perKind),
      snapshots: 4,
    }
    return ok(feed)
  })
}

const watchState = (names: Record<string, string> = {}): WatchState => ({
  rules: Object.entries(names).map(([id, name]) => ({
    id,
    name,
    expr: 'event:price',
    enabled: true,
    createdAt: '2026-12-01T00:00:00Z',
    lastMatchedAt: null,
  })),
  quietHours: null,
  unseen: {},
  unseenTotal: 0,
})

/** The catalog as the store keeps it on screen: each list normalised. */
function shown(state: CatalogState): CatalogStateView {
  const side = (s: CatalogState['user']) =>
    s && { meta: s.meta, models: s.models.map((m) => normaliseModel(m)) }
  return { ...state, user: side(state.user), all: side(state.all) }
}

function catalogWithUser(ids: string[]): CatalogState {
  const side = {
    meta: snapshotMeta({ id: 'latest-user', source: 'user' }),
    models: ids.map((id) => ({ id, name: id })),
  }
  return {
    profileId: 'p',
    region: 'global',
    user: side,
    all: { meta: snapshotMeta({ id: 'latest-all' }), models: side.models },
    historical: false,
    online: true,
    lastError: null,
    problems: [],
    readOnlyStore: null,
    readOnlyStoreMayClear: false,
  }
}

const listCalls = () => vi.mocked(double.api.changes.list).mock.calls.map(([q]) => q)

beforeEach(() => {
  double.reset()
  setActivePinia(createPinia())
  vi.mocked(double.api.watch.list).mockResolvedValue(ok(watchState({ r1: 'Cheap tools' })))
  vi.mocked(double.api.watch.markSeen).mockResolvedValue(ok(watchState({ r1: 'Cheap tools' })))
})

describe('the feed asks main for what the filters say', () => {
  it('sends source, kinds, author, model (trimmed) and rule, one page at a time', async () => {
    answerFeed(3)
    const store = useChangesStore()
    store.source = 'all'
    store.kinds = ['price', 'added']
    store.author = ' acme '
    store.model = 'acme/*'
    store.ruleId = 'r1'
    store.starred = true
    await store.loadFeed()
    expect(listCalls()[0]).toEqual({
      source: 'all',
      kinds: ['price', 'added'],
      author: 'acme',
      model: 'acme/*',
      ruleId: 'r1',
      starred: true,
      limit: FEED_PAGE,
    })
    expect(store.events).toHaveLength(3)
    expect(store.total).toBe(3)
    expect(store.hasFilters).toBe(true)
  })

  it('defaults to the allowed list when there is one, else to the public one', async () => {
    answerFeed(0)
    const catalog = useCatalogStore()
    const store = useChangesStore()
    catalog.state = shown({ ...catalogWithUser([]), user: null })
    await store.loadFeed()
    expect(listCalls()[0]!.source).toBe('all')
    catalog.state = shown(catalogWithUser([]))
    await store.loadFeed()
    expect(listCalls()[1]!.source).toBe('user')
  })

  it('a relative range becomes a since date; "all" sends none', async () => {
    answerFeed(0)
    const store = useChangesStore()
    store.range = '7d'
    const before = Date.now()
    await store.loadFeed()
    const since = Date.parse(listCalls()[0]!.since!)
    expect(before - since).toBeGreaterThanOrEqual(7 * 86_400_000 - 1_000)
    expect(before - since).toBeLessThanOrEqual(7 * 86_400_000 + 1_000)
    store.range = 'all'
    await store.loadFeed()
    expect(listCalls()[1]!.since).toBeUndefined()
  })

  it('the kind toggles count every kind even while some are chosen', async () => {
    answerFeed(5, { price: 3, added: 2 })
    const store = useChangesStore()
    await store.loadFeed()
    expect(store.kindCounts).toMatchObject({ price: 3, added: 2 })
    store.kinds = ['added']
    await store.loadFeed()
    // One call for the events of that kind, one for the counts of all kinds.
    expect(
      listCalls()
        .slice(1)
        .some((q) => q.kinds === undefined && q.limit === 1),
    ).toBe(true)
    expect(store.kindCounts).toMatchObject({ price: 3, added: 2 })
  })

  it('a failure is shown, and the events of a former query are not left under it', async () => {
    answerFeed(2)
    const store = useChangesStore()
    await store.loadFeed()
    vi.mocked(double.api.changes.list).mockResolvedValue({
      ok: false,
      error: { code: 'internal', message: 'feed broke' },
    })
    await store.loadFeed()
    expect(store.feedError?.message).toBe('feed broke')
    expect(store.events).toEqual([])
    expect(store.feed).toBeNull()
  })
})

describe('paging', () => {
  it('the next page is asked from where the list ends, and appended', async () => {
    answerFeed(FEED_PAGE + 20)
    const store = useChangesStore()
    await store.loadFeed()
    expect(store.events).toHaveLength(FEED_PAGE)
    expect(store.hasMore).toBe(true)
    await store.loadMore()
    expect(listCalls().at(-1)).toMatchObject({ offset: FEED_PAGE, limit: FEED_PAGE })
    expect(store.events).toHaveLength(FEED_PAGE + 20)
    expect(new Set(store.events.map((e) => e.key)).size).toBe(FEED_PAGE + 20)
    expect(store.hasMore).toBe(false)
    await store.loadMore()
    expect(listCalls()).toHaveLength(2)
  })

  it('a page that answers an older query is dropped', async () => {
    answerFeed(FEED_PAGE + 5)
    const store = useChangesStore()
    await store.loadFeed()
    const page = deferred<Result<ChangeFeed>>()
    vi.mocked(double.api.changes.list).mockImplementationOnce(() => page.promise)
    const more = store.loadMore()
    answerFeed(1)
    store.model = 'other'
    await store.loadFeed()
    page.resolve(ok({ events: [event(999)], total: FEED_PAGE + 5, counts: counts(), snapshots: 4 }))
    await more
    expect(store.events.map((e) => e.modelId)).toEqual(['acme/m1'])
  })
})

describe('seen, reloads and navigation', () => {
  it('viewing the feed of a rule marks that rule seen; unfiltered, all; away, nothing', async () => {
    answerFeed(1)
    const store = useChangesStore()
    await store.loadFeed()
    expect(double.count('watch:mark-seen')).toBe(0)
    store.ruleId = 'r1'
    store.attach()
    await settled()
    expect(vi.mocked(double.api.watch.markSeen).mock.calls.at(-1)).toEqual([{ ruleId: 'r1' }])
    expect(store.ruleName).toBe('Cheap tools')
    store.ruleId = null
    await store.loadFeed()
    expect(vi.mocked(double.api.watch.markSeen).mock.calls.at(-1)).toEqual([{}])
  })

  it('a refresh while the Rules tab shows keeps the unseen counts; back on the feed, they are seen', async () => {
    answerFeed(1)
    const store = useChangesStore()
    store.attach()
    await settled()
    await store.showTab('rules')
    const seen = double.count('watch:mark-seen')
    answerFeed(2)
    double.emit('catalog:changed', { reason: 'refresh' })
    await settled()
    expect(double.count('watch:mark-seen')).toBe(seen)
    await store.showTab('feed')
    await settled()
    expect(double.count('watch:mark-seen')).toBe(seen + 1)
  })

  it('a catalog change reloads the feed on screen, and only marks a stale one when away', async () => {
    answerFeed(1)
    const store = useChangesStore()
    store.attach()
    await settled()
    expect(listCalls()).toHaveLength(1)
    answerFeed(2)
    double.emit('catalog:changed', { reason: 'refresh' })
    await settled()
    expect(store.events).toHaveLength(2)
    store.detach()
    const seen = double.count('watch:mark-seen')
    answerFeed(3)
    double.emit('catalog:changed', { reason: 'refresh' })
    await settled()
    expect(store.events).toHaveLength(2)
    expect(double.count('watch:mark-seen')).toBe(seen)
    store.attach()
    await settled()
    expect(store.events).toHaveLength(3)
  })

  it('main’s app:navigate reaches the handler App gives', () => {
    const store = useChangesStore()
    const seen: unknown[] = []
    store.onNavigate((to) => seen.push(to))
    double.emit('app:navigate', { view: 'changes', ruleId: 'r1' })
    expect(seen).toEqual([{ view: 'changes', ruleId: 'r1' }])
  })
})

describe('export', () => {
  it('exports the current query (all pages) in the chosen format, and says what was saved', async () => {
    vi.mocked(double.api.changes.export).mockResolvedValue(
      ok({ cancelled: false, fileName: 'changes.csv', rows: 1234, bytes: 100 }),
    )
    const store = useChangesStore()
    store.source = 'user'
    store.kinds = ['price']
    await store.exportFeed('csv')
    expect(vi.mocked(double.api.changes.export).mock.calls[0]![0]).toEqual({
      query: { source: 'user', kinds: ['price'] },
      format: 'csv',
    })
    expect(store.notice).toEqual({ tone: 'good', text: 'Saved changes.csv (1,234 changes).' })
  })

  it('a cancelled save says nothing; a failure says why', async () => {
    const store = useChangesStore()
    vi.mocked(double.api.changes.export).mockResolvedValueOnce(
      ok({ cancelled: true, fileName: null, rows: 0, bytes: 0 }),
    )
    await store.exportFeed('json')
    expect(store.notice).toBeNull()
    vi.mocked(double.api.changes.export).mockResolvedValueOnce({
      ok: false,
      error: { code: 'internal', message: 'disk full' },
    })
    await store.exportFeed('xlsx')
    expect(store.notice).toEqual({ tone: 'bad', text: 'The feed could not be exported: disk full' })
  })
})

describe('archive and detail', () => {
  const gone: ArchivedModel = {
    id: 'acme/gone',
    name: 'Acme Gone',
    author: 'acme',
    source: 'user',
    region: 'global',
    profile: 'p',
    lastSeenAt: '2026-11-20T10:00:00Z',
    lastSnapshotId: 'old-user',
    removedAt: '2026-11-27T10:00:00Z',
    record: { id: 'acme/gone', name: 'Acme Gone' },
  }

  it('searches the archive of the chosen catalog', async () => {
    vi.mocked(double.api.changes.archive).mockResolvedValue(ok({ models: [gone] }))
    const store = useChangesStore()
    store.source = 'user'
    store.archiveSearch = ' gone '
    await store.loadArchive()
    expect(vi.mocked(double.api.changes.archive).mock.calls[0]![0]).toEqual({
      source: 'user',
      search: 'gone',
    })
    expect(store.archive).toEqual([gone])
  })

  it('a feed row opens the model as it is now when the catalog has it, else its last record', async () => {
    const catalog = useCatalogStore()
    catalog.state = shown(catalogWithUser(['acme/m1']))
    vi.mocked(double.api.changes.archive).mockResolvedValue(ok({ models: [gone] }))
    vi.mocked(double.api.catalog.getRecords).mockResolvedValue(
      ok({ models: [{ id: 'acme/m1', name: 'acme/m1', description: 'The whole record.' }] }),
    )
    const store = useChangesStore()
    await store.openEvent(event(1))
    // The table's part of the record first, then the whole one for the pane.
    expect(store.detail).toMatchObject({
      record: { id: 'acme/m1', description: 'The whole record.' },
      archived: null,
      allowed: true,
    })
    await store.openEvent(event(2, { modelId: 'acme/gone', kind: 'removed' }))
    expect(store.detail).toMatchObject({ record: gone.record, archived: gone })
    await store.openEvent(event(3, { modelId: 'acme/nowhere' }))
    expect(store.notice?.text).toContain('acme/nowhere')
  })

  it('Compare opens the last snapshot that had the removed model, then adds it', async () => {
    const catalog = useCatalogStore()
    vi.mocked(double.api.catalog.get).mockImplementation(async (input) =>
      ok({ ...catalogWithUser(['acme/gone']), historical: Boolean(input.snapshotId) }),
    )
    const store = useChangesStore()
    expect(await store.compareArchived(gone)).toBe(true)
    expect(vi.mocked(double.api.catalog.get).mock.calls.at(-1)).toEqual([{ snapshotId: 'old-user' }])
    expect(catalog.openedSnapshotId).toBe('old-user')
    const { useCompareStore } = await import('./compare')
    expect(useCompareStore().ids).toContain('acme/gone')
  })

  it('Compare says so when that snapshot cannot be opened', async () => {
    vi.mocked(double.api.catalog.get).mockResolvedValue({
      ok: false,
      error: { code: 'not-found', message: 'gone' },
    })
    const store = useChangesStore()
    expect(await store.compareArchived(gone)).toBe(false)
    expect(store.notice?.tone).toBe('bad')
  })
})
