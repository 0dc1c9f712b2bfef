import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { EventName } from '../shared/ipc/channels'
import type { EventPayloads } from '../shared/ipc/events'
import type { AppInfo } from '../shared/app-types'
import { createSettingsService } from './services/settings'
import { createSafeShell } from './safe-shell'
import type { Dialogs } from './dialogs'
import { createHandlers } from './ipc/handlers'

export interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
}

export interface AppServiceDeps {
  dataDir: string
  appVersion: string
  env: NodeJS.ProcessEnv
  keytar: Keytar
  dialogs: Dialogs
  openExternal: (url: string) => Promise<void>
  emit: <E extends EventName>(event: E, payload: EventPayloads[E]) => void
  isOnline?: () => boolean
  fetch?: typeof fetch
}

/**
 * Builds every main-process service from its dependencies. Electron's main, the browser test
 * harness and the headless commands all call this, so they run the same code on the same data.
 */
export async function createAppServices(deps: AppServiceDeps) {
  await mkdir(deps.dataDir, { recursive: true })
  const settings = createSettingsService({ dir: deps.dataDir })
  const shell = createSafeShell(deps.openExternal)
  const info: AppInfo = {
    name: 'Model Deck',
    version: deps.appVersion,
    platform: process.platform,
    dataDir: deps.dataDir,
    apiHost: 'openrouter.ai',
    customApiBase: Boolean(deps.env.MODEL_DECK_API_BASE),
  }
  const services = { deps, info, settings, shell, snapshotsDir: join(deps.dataDir, 'snapshots') }
  const handlers = createHandlers(services)
  return {
    ...services,
    handlers,
    start(): void {},
    stop(): void {},
  }
}
export type AppServices = Awaited<ReturnType<typeof createAppServices>>
