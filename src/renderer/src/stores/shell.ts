import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, unwrap, asErrorShape } from '../api'
import type { AppErrorShape } from '../../../shared/ipc/result'

/**
 * The only way the renderer opens a web page: main vets the URL (https, openrouter.ai) and hands it to
 * the OS browser. Never window.open, which would load the page inside the app.
 */
export const useShellStore = defineStore('shell', () => {
  /** The last URL main refused, so the UI can say why nothing opened and offer to copy it. */
  const refused = ref<string | null>(null)
  const error = ref<AppErrorShape | null>(null)

  async function openExternal(url: string): Promise<boolean> {
    try {
      const { opened } = await unwrap(api.shell.openExternal({ url }))
      refused.value = opened ? null : url
      error.value = null
      return opened
    } catch (err) {
      error.value = asErrorShape(err)
      return false
    }
  }

  return { refused, error, openExternal }
})
