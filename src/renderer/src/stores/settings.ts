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

  // Answers can arrive out of order: a re-read that started before a save may land after it. Each
  // request takes a ticket, and only an answer to a request newer than the last one applied may
  // replace what is shown, so a stale answer never undoes a change the user just made.
  let issued = 0
  let applied = 0
  function accept(ticket: number): boolean {
    if (ticket < applied) return false
    applied = ticket
    return true
  }

  async function load(): Promise<void> {
    const ticket = ++issued
    try {
      const [next, appInfo] = await Promise.all([unwrap(api.settings.get({})), unwrap(api.app.getInfo({}))])
      info.value = appInfo
      if (accept(ticket)) settings.value = next
    } catch (err) {
      error.value = asErrorShape(err)
    }
  }

  async function update(patch: SettingsPatch): Promise<void> {
    const ticket = ++issued
    try {
      const next = await unwrap(api.settings.update({ patch }))
      if (accept(ticket)) settings.value = next
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
