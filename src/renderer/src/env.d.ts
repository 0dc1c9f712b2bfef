/// <reference types="vite/client" />
import type { Api } from '../../shared/ipc/bridge'

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

// The one declaration of the bridge: only src/renderer/src/api.ts reads it.
declare global {
  interface Window {
    readonly api: Api
  }
}
