import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { EventName } from '../shared/ipc/channels'
import type { EventPayloads } from '../shared/ipc/events'
import type { AppInfo } from '../shared/app-types'
import type { Region } from '../shared/model/raw'
import { parseModelsBody } from '../shared/model/parse'
import { createSettingsService } from './services/settings'
import { createSafeShell } from './safe-shell'
import type { Dialogs } from './dialogs'
import { createHandlers } from './ipc/handlers'
import { createKeychain, type KeytarLike } from './services/keychain'
import { createKeyService, keyInfoFetcher } from './services/key-service'
import { createFileProfileStore } from './services/profile-store'
import { createOpenRouterClient } from './services/openrouter/client'
import { resolveApiBase } from './services/openrouter/base-url'
import { createSnapshotStore } from './services/snapshots/snapshot-store'
import { createCatalogService } from './services/catalog-service'
import { createSnapshotService } from './services/snapshot-service'
import { createExportService } from './services/export-service'
import { log } from './log'
import { createNetworkState } from './services/network-state'

export interface AppServiceDeps {
  dataDir: string
  appVersion: string
  env: NodeJS.ProcessEnv
  /** The module or a loader: loading the native module can itself fail (no libsecret). */
  keytar: KeytarLike | (() => Promise<KeytarLike>)
  dialogs: Dialogs
  openExternal: (url: string) => Promise<void>
  emit: <E extends EventName>(event: E, payload: EventPayloads[E]) => void
  fetch?: typeof fetch
}

/**
 * Builds every main-process service from its dependencies. Electron's main, the browser test
 * harness and the headless commands all call this, so they run the same code on the same data.
 */
export async function createAppServices(deps: AppServiceDeps) {
  await mkdir(deps.dataDir, { recursive: true })
  const settings = createSettingsService({ dir: deps.dataDir })
  const initial = await settings.get()
  let region: Region = initial.region
  const currentRegion = () => region
  // Resolved once up front so a bad MODEL_DECK_API_BASE fails at start with a clear message.
  const baseUrl = () => resolveApiBase({ region, env: deps.env })
  baseUrl()

  const shell = createSafeShell(deps.openExternal)
  const keychain = createKeychain({ keytar: deps.keytar, env: deps.env })
  let keys: ReturnType<typeof createKeyService> | null = null
  const network = createNetworkState({ emit: deps.emit })
  const client = createOpenRouterClient({
    onReachability: network.report,
    baseUrl,
    getKey: () => keys!.getActiveKey(),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  })
  keys = createKeyService({
    keychain,
    getKeyInfo: keyInfoFetcher(client),
    profileStore: createFileProfileStore(join(deps.dataDir, 'profiles.json')),
  })
  const store = await createSnapshotStore({
    dir: join(deps.dataDir, 'snapshots'),
    appVersion: deps.appVersion,
    parseModels: parseModelsBody,
  })
  const activeProfile = () => keys.activeId()
  const snapshots = createSnapshotService({
    store,
    dialogs: deps.dialogs,
    settings,
    activeProfile,
    region: currentRegion,
    emit: deps.emit,
  })
  // Retention applies as snapshots arrive, not only when the user presses "Prune now"; the CLI's
  // own catalog service (for its --profile and --region) runs this same step.
  const afterSave = () =>
    // The refresh announces its own catalog:changed right after: one event, one reload.
    snapshots.prune({ announce: false }).then(
      () => undefined,
      (err: unknown) => log.warn('Pruning snapshots failed:', err),
    )
  const catalog = createCatalogService({
    client,
    store,
    keys,
    region: currentRegion,
    emit: deps.emit,
    afterSave,
    network,
  })
  const exporter = createExportService({ store, dialogs: deps.dialogs, settings })

  const info: AppInfo = {
    name: 'Model Deck',
    version: deps.appVersion,
    platform: process.platform,
    dataDir: deps.dataDir,
    apiHost: new URL(baseUrl()).host,
    customApiBase: Boolean(deps.env.MODEL_DECK_API_BASE),
  }

  let timer: NodeJS.Timeout | null = null
  function scheduleAutoRefresh(hours: number): void {
    if (timer) clearInterval(timer)
    timer = null
    if (hours <= 0) return
    timer = setInterval(() => {
      void catalog.refresh({}).catch((err: unknown) => log.warn('Automatic refresh failed:', err))
    }, hours * 3_600_000)
    timer.unref?.()
  }

  const services = {
    deps,
    info,
    settings,
    shell,
    keys,
    client,
    store,
    catalog,
    afterSave,
    snapshots,
    exporter,
    /** Settings changes that other services must follow (the region picks the API host). */
    profileChanged(): void {
      deps.emit('catalog:changed', { reason: 'profile' })
    },
    async applySettings(): Promise<void> {
      const current = await settings.get()
      if (current.region !== region) {
        region = current.region
        info.apiHost = new URL(baseUrl()).host
        deps.emit('catalog:changed', { reason: 'region' })
      }
      scheduleAutoRefresh(current.autoRefreshHours)
    },
  }
  const handlers = createHandlers(services)
  return {
    ...services,
    handlers,
    start(): void {
      scheduleAutoRefresh(initial.autoRefreshHours)
    },
    stop(): void {
      if (timer) clearInterval(timer)
      timer = null
      catalog.cancel()
      void store.close()
    },
  }
}
export type AppServices = Awaited<ReturnType<typeof createAppServices>>
