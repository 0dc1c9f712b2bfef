import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { deferred } from '../../../../test/helpers/renderer-api-double'
import type { Result } from '../../../shared/ipc/result'
import { useStarsStore } from './stars'

const double = await vi.hoisted(async () =>
  (await import('../../../../test/helpers/renderer-api-double')).createApiDouble(),
)
vi.mock('../api', () => ({ api: double.api }))

const ok = <T>(data: T): Result<T> => ({ ok: true, data })
const stars = (...ids: string[]) => ok({ ids })

beforeEach(() => {
  double.reset()
  setActivePinia(createPinia())
})

describe('stars store', () => {
  it('reads the profile’s stars as soon as it is first used', async () => {
    vi.mocked(double.api.stars.list).mockResolvedValue(stars('openai/gpt-4o'))
    const store = useStarsStore()
    await store.ready
    expect(store.loaded).toBe(true)
    expect(store.isStarred('openai/gpt-4o')).toBe(true)
    expect(store.isStarred('anthropic/claude')).toBe(false)
    expect(double.count('stars:list')).toBe(1)
  })

  it('toggle stars and unstars through main, showing the new state while it saves', async () => {
    vi.mocked(double.api.stars.list).mockResolvedValue(stars())
    const store = useStarsStore()
    await store.ready
    const answer = deferred<Result<{ ids: string[] }>>()
    vi.mocked(double.api.stars.set).mockReturnValueOnce(answer.promise)

    const starring = store.toggle('a/one')
    expect(store.isStarred('a/one')).toBe(true)
    // Starring it again while the first saves asks nothing more.
    void store.set('a/one', true)
    expect(double.count('stars:set')).toBe(1)
    answer.resolve(stars('a/one'))
    expect(await starring).toBe(true)
    expect(double.api.stars.set).toHaveBeenCalledWith({ modelId: 'a/one', starred: true })
    expect(store.ids).toEqual(['a/one'])

    vi.mocked(double.api.stars.set).mockResolvedValueOnce(stars())
    await store.toggle('a/one')
    expect(double.api.stars.set).toHaveBeenLastCalledWith({ modelId: 'a/one', starred: false })
    expect(store.isStarred('a/one')).toBe(false)
  })

  it('a click while a star saves is sent after it: a quick double press ends unstarred, never dropped', async () => {
    vi.mocked(double.api.stars.list).mockResolvedValue(stars())
    const store = useStarsStore()
    await store.ready
    const first = deferred<Result<{ ids: string[] }>>()
    vi.mocked(double.api.stars.set).mockReturnValueOnce(first.promise).mockResolvedValueOnce(stars())

    const starring = store.toggle('a/one')
    void store.toggle('a/one')
    // Shown at once as the second click left it; only one call is out.
    expect(store.isStarred('a/one')).toBe(false)
    expect(double.count('stars:set')).toBe(1)
    first.resolve(stars('a/one'))
    expect(await starring).toBe(true)
    expect(double.api.stars.set).toHaveBeenLastCalledWith({ modelId: 'a/one', starred: false })
    expect(double.count('stars:set')).toBe(2)
    expect(store.isStarred('a/one')).toBe(false)
    expect(store.pending.size).toBe(0)
  })

  it('a refused star goes back to what main holds and says why', async () => {
    vi.mocked(double.api.stars.list).mockResolvedValue(stars())
    const store = useStarsStore()
    await store.ready
    vi.mocked(double.api.stars.set).mockResolvedValueOnce({
      ok: false,
      error: { code: 'disk-full', message: 'The disk is full: the star was not saved.' },
    })
    expect(await store.toggle('a/one')).toBe(false)
    expect(store.isStarred('a/one')).toBe(false)
    expect(store.error?.message).toBe('The disk is full: the star was not saved.')
  })

  it('follows stars:changed (another window, a profile switch)', async () => {
    vi.mocked(double.api.stars.list).mockResolvedValue(stars('a/one'))
    const store = useStarsStore()
    await store.ready
    double.emit('stars:changed', { ids: ['b/two', 'c/three'] })
    expect(store.ids).toEqual(['b/two', 'c/three'])
    expect(store.isStarred('a/one')).toBe(false)
    expect(store.starredAmong(['c/three', 'x/y', 'b/two'])).toEqual(['c/three', 'b/two'])
  })

  it('a list answer older than an announcement does not undo it', async () => {
    const read = deferred<Result<{ ids: string[] }>>()
    vi.mocked(double.api.stars.list).mockReturnValueOnce(read.promise)
    const store = useStarsStore()
    double.emit('stars:changed', { ids: ['new/one'] })
    read.resolve(stars('old/one'))
    await store.ready
    expect(store.ids).toEqual(['new/one'])
  })

  it('a star whose announcement arrives before its answer counts as saved', async () => {
    vi.mocked(double.api.stars.list).mockResolvedValue(stars())
    const store = useStarsStore()
    await store.ready
    const answer = deferred<Result<{ ids: string[] }>>()
    vi.mocked(double.api.stars.set).mockReturnValueOnce(answer.promise)
    const starring = store.toggle('a/one')
    double.emit('stars:changed', { ids: ['a/one'] })
    answer.resolve(stars('a/one'))
    expect(await starring).toBe(true)
    expect(store.isStarred('a/one')).toBe(true)
  })
})
