/// <reference types="vite/client" />

// Window.api is declared once, in src/preload/api.d.ts, beside the preload that builds it.
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}
