import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import { defaultSettings, type Settings } from '../../../shared/settings'
import { DEFAULT_WORKLOAD } from '../../../shared/model/compare-set'
import type { Result } from '../../../shared/ipc/result'
import { useCompareStore } from './compare'
import { useSettingsStore } from './settings'

const double = await vi.hoisted(async () =>
  (await import('../../../../test/helpers/renderer-api-double')).createApiDouble(),
)
vi.mock('../api', () => ({ api: double.api }))

const ok = <T>(data: T): Result<T> => ({ ok: true, data })
const SAVED = {
  ids: ['anthropic/claude-sonnet-5', 'google/gemini-3.7-flash'],
  sets: [{ name: 'Cheap', ids: ['openai/gpt-5.4-mini'] }],
  workload: { ...DEFAULT_WORKLOAD, inputTokens: 12_000, requestsPerDay: 40 },
  hideIdentical: true,
  tab: 'workload',
}

let stored: Settings
beforeEach(() => {
  vi.useFakeTimers()
  double.reset()
  setActivePinia(createPinia())
  stored = { ...defaultSettings, ui: { compare: structuredClone(SAVED) } }
  vi.mocked(double.api.settings.get).mockImplementation(async () => ok(structuredClone(stored)))
  vi.mocked(double.api.settings.update).mockImplementation(async ({ patch }) => {
    stored = { ...stored, ...patch, ui: { ...stored.ui, ...patch.ui } } as Settings
    return ok(structuredClone(stored))
  })
})
afterEach(() => {
  vi.useRealTimers()
})

/** Lets the debounced view-state save (300 ms) go out. */
async function afterSaveDelay(): Promise<void> {
  await vi.advanceTimersByTimeAsync(1_000)
}

describe('compare restore: the saved comparison comes back, and nothing overwrites it first', () => {
  it('reads back every part once settings arrive', async () => {
    const compare = useCompareStore()
    expect(compare.restored).toBe(false)
    await useSettingsStore().load()
    await nextTick()
    expect(compare.restored).toBe(true)
    expect(compare.ids).toEqual(SAVED.ids)
    expect(compare.sets).toEqual(SAVED.sets)
    expect(compare.workload).toEqual(SAVED.workload)
    expect(compare.hideIdentical).toBe(true)
    expect(compare.tab).toBe('workload')
  })

  it('saves nothing before the saved state was read, so the defaults never replace it', async () => {
    const compare = useCompareStore()
    compare.setWorkload({ inputTokens: 99 })
    compare.tab = 'chart'
    await afterSaveDelay()
    expect(double.count('settings:update')).toBe(0)

    await useSettingsStore().load()
    await nextTick()
    await afterSaveDelay()
    expect((stored.ui.compare as typeof SAVED).workload).toEqual(SAVED.workload)
    expect(compare.workload).toEqual(SAVED.workload)
  })

  it('models chosen before settings arrived are kept; the rest is restored', async () => {
    const compare = useCompareStore()
    expect(compare.add('meta/llama-5')).toBe(true)
    await useSettingsStore().load()
    await nextTick()
    expect(compare.ids).toEqual(['meta/llama-5'])
    expect(compare.sets).toEqual(SAVED.sets)
    expect(compare.workload).toEqual(SAVED.workload)
  })

  it('after the restore every change is saved, whole', async () => {
    const compare = useCompareStore()
    await useSettingsStore().load()
    await nextTick()
    compare.move('google/gemini-3.7-flash', -1)
    compare.setWorkload({ outputTokens: 750 })
    await nextTick()
    await afterSaveDelay()
    expect(double.count('settings:update')).toBe(1)
    expect(stored.ui.compare).toEqual({
      ...SAVED,
      ids: ['google/gemini-3.7-flash', 'anthropic/claude-sonnet-5'],
      workload: { ...SAVED.workload, outputTokens: 750 },
    })
  })

  it('a damaged saved state gives the defaults instead of an error', async () => {
    stored = { ...defaultSettings, ui: { compare: { ids: 'nope', workload: { inputTokens: -5 }, tab: 'x' } } }
    const compare = useCompareStore()
    await useSettingsStore().load()
    await nextTick()
    expect(compare.restored).toBe(true)
    expect(compare.ids).toEqual([])
    expect(compare.tab).toBe('grid')
    // A negative count is clamped to zero; what is missing takes the default.
    expect(compare.workload).toEqual({ ...DEFAULT_WORKLOAD, inputTokens: 0 })
  })
})
