import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { router } from './router'
import { useCatalogStore } from './stores/catalog'
import { useSettingsStore } from './stores/settings'
import './styles/base.css'

/**
 * Mounting waits, briefly, for the two answers every screen starts from. They come from disk (the
 * bridge asked for them before this bundle even ran), so the first frame shows the catalog and the
 * saved view instead of a skeleton that is replaced a moment later. A slow main process only
 * delays the mount by MAX_WAIT_MS; the views then show their loading states as before.
 */
const MAX_WAIT_MS = 150

const pinia = createPinia()
const app = createApp(App).use(pinia).use(router)
const ready = Promise.all([useSettingsStore(pinia).load(), useCatalogStore(pinia).load()])
void Promise.race([ready, new Promise((resolve) => setTimeout(resolve, MAX_WAIT_MS))]).then(() =>
  app.mount('#app'),
)
