import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { KeyStatus } from '../../../shared/app-types'
import type { AppErrorShape, Result } from '../../../shared/ipc/result'
import { useKeyStore } from './key'

const double = await vi.hoisted(async () =>
  (await import('../../../../test/helpers/renderer-api-double')).createApiDouble(),
)
vi.mock('../api', () => ({ api: double.api }))

const KEY = 'sk-or-v1-test-0123456789abcdef0123456789abcdef'
const ok = <T>(data: T): Result<T> => ({ ok: true, data })
const fail = (code: AppErrorShape['code'], message: string): Result<never> => ({
  ok: false,
  error: { code, message },
})
function status(patch: Partial<KeyStatus> = {}): KeyStatus {
  return {
    profileId: 'default',
    present: true,
    storage: 'keychain',
    verified: true,
    info: null,
    error: null,
    keychainError: null,
    ...patch,
  }
}

beforeEach(() => {
  double.reset()
  setActivePinia(createPinia())
  vi.mocked(double.api.key.status).mockResolvedValue(ok(status({ present: false, verified: false })))
})
afterEach(() => {
  vi.useRealTimers()
})

/** The store's state as any component could read it: the key must be nowhere in it. */
function storeText(store: ReturnType<typeof useKeyStore>): string {
  return JSON.stringify(store.$state)
}

describe('the key prompt: a key that could not be checked or kept is stored only if the user says so', () => {
  it.each([
    ['offline', 'store-anyway', { allowUnverified: true }],
    ['timeout', 'store-anyway', { allowUnverified: true }],
    ['rate-limited', 'store-anyway', { allowUnverified: true }],
    ['keychain-unavailable', 'session-only', { sessionOnly: true }],
  ] as const)('%s asks %s; yes resends the key with %o', async (code, kind, extra) => {
    const keys = useKeyStore()
    vi.mocked(double.api.key.set)
      .mockResolvedValueOnce(fail(code, `Failed: ${code}`))
      .mockResolvedValueOnce(ok(status({ verified: kind === 'session-only' })))

    expect(await keys.setKey(KEY)).toBe('prompt')
    expect(keys.prompt).toEqual({ kind, error: { code, message: `Failed: ${code}` } })
    // The question is not an error line as well.
    expect(keys.keyError).toBeNull()
    expect(storeText(keys)).not.toContain(KEY)

    expect(await keys.acceptPrompt()).toBe('saved')
    expect(vi.mocked(double.api.key.set).mock.calls.map((c) => c[0])).toEqual([
      { key: KEY },
      { key: KEY, ...extra },
    ])
    expect(keys.prompt).toBeNull()
    expect(keys.justSaved).toBe(true)
    expect(keys.status?.present).toBe(true)
  })

  it('a rejected key asks nothing: it fails with the reason and the status is read again', async () => {
    const keys = useKeyStore()
    vi.mocked(double.api.key.set).mockResolvedValueOnce(fail('key-rejected', 'OpenRouter rejected the key.'))
    expect(await keys.setKey(KEY)).toBe('failed')
    expect(keys.prompt).toBeNull()
    expect(keys.keyError).toEqual({ code: 'key-rejected', message: 'OpenRouter rejected the key.' })
    await vi.waitFor(() => expect(double.count('key:status')).toBe(1))
    expect(await keys.acceptPrompt()).toBe('failed')
    expect(double.count('key:set')).toBe(1)
  })

  it('no: dismissing drops the key, so a later yes sends nothing', async () => {
    const keys = useKeyStore()
    vi.mocked(double.api.key.set).mockResolvedValue(fail('offline', 'Could not reach OpenRouter.'))
    expect(await keys.setKey(KEY)).toBe('prompt')
    keys.dismissPrompt()
    expect(keys.prompt).toBeNull()
    expect(await keys.acceptPrompt()).toBe('failed')
    expect(double.count('key:set')).toBe(1)
  })

  it('an unanswered question expires after two minutes and takes the key with it', async () => {
    vi.useFakeTimers()
    const keys = useKeyStore()
    vi.mocked(double.api.key.set).mockResolvedValue(fail('offline', 'Could not reach OpenRouter.'))
    expect(await keys.setKey(KEY)).toBe('prompt')
    vi.advanceTimersByTime(2 * 60_000 - 1)
    expect(keys.prompt).not.toBeNull()
    vi.advanceTimersByTime(1)
    expect(keys.prompt).toBeNull()
    expect(await keys.acceptPrompt()).toBe('failed')
    expect(double.count('key:set')).toBe(1)
  })

  it('a yes that fails again for the other reason asks the other question', async () => {
    const keys = useKeyStore()
    vi.mocked(double.api.key.set)
      .mockResolvedValueOnce(fail('offline', 'Could not reach OpenRouter.'))
      .mockResolvedValueOnce(fail('keychain-unavailable', 'No keyring.'))
      .mockResolvedValueOnce(ok(status({ storage: 'session', verified: false })))
    expect(await keys.setKey(KEY)).toBe('prompt')
    expect(await keys.acceptPrompt()).toBe('prompt')
    expect(keys.prompt?.kind).toBe('session-only')
    expect(await keys.acceptPrompt()).toBe('saved')
    expect(vi.mocked(double.api.key.set).mock.calls.at(-1)?.[0]).toEqual({
      key: KEY,
      allowUnverified: true,
      sessionOnly: true,
    })
    expect(keys.status?.storage).toBe('session')
  })
})
