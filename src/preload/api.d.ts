import type { Api } from '../shared/ipc/bridge'

declare global {
  interface Window {
    readonly api: Api
  }
}
export {}
