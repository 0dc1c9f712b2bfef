import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '../api'
import { useIpcCall } from '../composables/useIpcCall'

/**
 * The only way the renderer opens a web page: main vets the URL (https, openrouter.ai) and hands it to
 * the OS browser. Never window.open, which would load the page inside the app.
 */
export const useShellStore = defineStore('shell', () => {
  /** The last URL main refused, so the UI can say why nothing opened and offer to copy it. */
  const refused = ref<string | null>(null)
  const openCall = useIpcCall((url: string) => api.shell.openExternal({ url }))

  async function openExternal(url: string): Promise<boolean> {
    const result = await openCall.run(url)
    if (!result) return false
    refused.value = result.opened ? null : url
    return result.opened
  }

  return { refused, error: openCall.error, openExternal }
})
