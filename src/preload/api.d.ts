// The one declaration of window.api; the renderer, its tests and the e2e specs all read this one.
import type { Api } from '../shared/ipc/bridge'

declare global {
  interface Window {
    readonly api: Api
  }
}
export {}
