import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, unwrap, asErrorShape } from '../api'
import type { Settings, SettingsPatch } from '../../../shared/settings'
import type { AppInfo } from '../../../shared/app-types'
import type { AppErrorShape } from '../../../shared/ipc/result'

export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<Settings | null>(null)
  const info = ref<AppInfo | null>(null)
  const error = ref<AppErrorShape | null>(null)
  const systemDark = ref(window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false)
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', (e) => {
    systemDark.value = e.matches
  })

  const resolvedTheme = computed<'light' | 'dark'>(() => {
    const theme = settings.value?.theme ?? 'system'
    if (theme === 'system') return systemDark.value ? 'dark' : 'light'
    return theme
  })

  async function load(): Promise<void> {
    try {
      ;[settings.value, info.value] = await Promise.all([
        unwrap(api.settings.get({})),
        unwrap(api.app.getInfo({})),
      ])
    } catch (err) {
      error.value = asErrorShape(err)
    }
  }

  async function update(patch: SettingsPatch): Promise<void> {
    try {
      settings.value = await unwrap(api.settings.update({ patch }))
      error.value = null
    } catch (err) {
      error.value = asErrorShape(err)
    }
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
