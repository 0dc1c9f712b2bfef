import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '../api'

/** Online state as main sees it (the renderer itself never touches the network). */
export const useNetworkStore = defineStore('network', () => {
  const online = ref<boolean | null>(null)
  let listening = false
  function listen(): void {
    if (listening) return
    listening = true
    api.events.onNetworkChanged((payload) => {
      online.value = payload.online
    })
  }
  function set(value: boolean | null): void {
    online.value = value
  }
  return { online, listen, set }
})
