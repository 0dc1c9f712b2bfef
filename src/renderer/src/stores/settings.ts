import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from '../api'
import { answerOrder, useIpcCall } from '../composables/useIpcCall'
import type { Settings, SettingsPatch } from '../../../shared/settings'
import type { AppInfo } from '../../../shared/app-types'
import type { AppErrorShape } from '../../../shared/ipc/result'

export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<Settings | null>(null)
  const info = ref<AppInfo | null>(null)
  const error = ref<AppErrorShape | null>(null)
  // globalThis, not window: the store also runs in plain Node in its unit tests.
  const scheme = globalThis.matchMedia?.('(prefers-color-scheme: dark)')
  const systemDark = ref(scheme?.matches ?? false)
  scheme?.addEventListener('change', (e) => {
    systemDark.value = e.matches
  })

  const resolvedTheme = computed<'light' | 'dark'>(() => {
    const theme = settings.value?.theme ?? 'system'
    if (theme === 'system') return systemDark.value ? 'dark' : 'light'
    return theme
  })

  // A re-read that started before a save may land after it: reads and saves share one answer
  // order, so a stale answer never undoes a change the user just made (see useIpcCall).
  const order = answerOrder()
  const getCall = useIpcCall(() => api.settings.get({}), { order, error })
  const updateCall = useIpcCall((patch: SettingsPatch) => api.settings.update({ patch }), { order, error })
  const infoCall = useIpcCall(() => api.app.getInfo({}), { error })

  async function load(): Promise<void> {
    const [next, appInfo] = await Promise.all([getCall.run(), infoCall.run()])
    if (appInfo) info.value = appInfo
    if (next) settings.value = next
  }

  async function update(patch: SettingsPatch): Promise<void> {
    const next = await updateCall.run(patch)
    if (next) settings.value = next
  }

  /** Debounced writes of renderer-owned view state (filters, columns, presets). */
  const pendingUi = new Map<string, Settings['ui'][string]>()
  let timer: ReturnType<typeof setTimeout> | null = null
  function saveUi(key: string, value: Settings['ui'][string]): void {
    pendingUi.set(key, value)
    if (timer) clearTimeout(timer)
    timer = setTimeout(flushUi, 300)
  }
  function flushUi(): Promise<void> {
    if (timer) clearTimeout(timer)
    timer = null
    if (pendingUi.size === 0) return Promise.resolve()
    const patch = Object.fromEntries(pendingUi)
    pendingUi.clear()
    return update({ ui: patch })
  }

  function uiState<T>(key: string): T | undefined {
    return settings.value?.ui[key] as T | undefined
  }

  return { settings, info, error, resolvedTheme, load, update, saveUi, flushUi, uiState }
})
