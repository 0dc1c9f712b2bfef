import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { deferred } from '../../../../test/helpers/renderer-api-double'
import { defaultSettings, type Settings } from '../../../shared/settings'
import type { AppInfo } from '../../../shared/app-types'
import type { Result } from '../../../shared/ipc/result'
import { useSettingsStore } from './settings'

const double = await vi.hoisted(async () =>
  (await import('../../../../test/helpers/renderer-api-double')).createApiDouble(),
)
vi.mock('../api', () => ({ api: double.api }))

const ok = <T>(data: T): Result<T> => ({ ok: true, data })
const withTheme = (theme: Settings['theme']): Settings => ({ ...defaultSettings, theme })
const info: AppInfo = {
  name: 'Model Deck',
  version: '0.0.0-test',
  platform: 'linux',
  dataDir: '/tmp/md',
  apiHost: 'openrouter.ai',
  customApiBase: false,
}

beforeEach(() => {
  double.reset()
  setActivePinia(createPinia())
  vi.mocked(double.api.app.getInfo).mockResolvedValue(ok(info))
})

describe('settings answers: an older one never replaces a newer one', () => {
  it('a read that started before a save and lands after it does not undo the save', async () => {
    const store = useSettingsStore()
    const read = deferred<Result<Settings>>()
    vi.mocked(double.api.settings.get).mockReturnValue(read.promise)
    vi.mocked(double.api.settings.update).mockResolvedValue(ok(withTheme('dark')))

    const loading = store.load()
    await store.update({ theme: 'dark' })
    expect(store.settings?.theme).toBe('dark')
    read.resolve(ok(withTheme('light')))
    await loading

    expect(store.settings?.theme).toBe('dark')
    expect(store.resolvedTheme).toBe('dark')
    expect(store.info).toEqual(info)
  })

  it('two saves answered in reverse order keep the second', async () => {
    const store = useSettingsStore()
    const first = deferred<Result<Settings>>()
    const second = deferred<Result<Settings>>()
    vi.mocked(double.api.settings.update)
      .mockReturnValueOnce(first.promise)
      .mockReturnValueOnce(second.promise)

    const a = store.update({ theme: 'light' })
    const b = store.update({ theme: 'dark' })
    second.resolve(ok(withTheme('dark')))
    await b
    first.resolve(ok(withTheme('light')))
    await a

    expect(store.settings?.theme).toBe('dark')
  })

  it('answers in order are each applied: a read after a save shows what the read found', async () => {
    const store = useSettingsStore()
    vi.mocked(double.api.settings.update).mockResolvedValue(ok(withTheme('dark')))
    vi.mocked(double.api.settings.get).mockResolvedValue(ok(withTheme('light')))
    await store.update({ theme: 'dark' })
    await store.load()
    expect(store.settings?.theme).toBe('light')
  })

  it('a stale failure is not shown; a current one is, with its code and message', async () => {
    const store = useSettingsStore()
    const failing = deferred<Result<Settings>>()
    vi.mocked(double.api.settings.update)
      .mockReturnValueOnce(failing.promise)
      .mockResolvedValueOnce(ok(withTheme('dark')))
    const stale = store.update({ theme: 'light' })
    await store.update({ theme: 'dark' })
    failing.resolve({ ok: false, error: { code: 'disk-full', message: 'The disk is full.' } })
    await stale
    expect(store.error).toBeNull()
    expect(store.settings?.theme).toBe('dark')

    vi.mocked(double.api.settings.update).mockResolvedValueOnce({
      ok: false,
      error: { code: 'permission-denied', message: 'No permission to write settings.json.' },
    })
    await store.update({ theme: 'light' })
    expect(store.error).toEqual({
      code: 'permission-denied',
      message: 'No permission to write settings.json.',
    })
    expect(store.settings?.theme).toBe('dark')
  })
})
