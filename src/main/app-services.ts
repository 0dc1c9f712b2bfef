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
import { createKeychain, type KeytarLike } from './services/keychain'
import { createKeyService, keyInfoFetcher, type KeyService } from './services/key-service'
import { createFileProfileStore } from './services/profile-store'
import { createOpenRouterClient } from './services/openrouter/client'
import { resolveApiBase } from './services/openrouter/base-url'
import { createSnapshotStore } from './services/snapshots/snapshot-store'
import { createCatalogService } from './services/catalog-service'
import { createSnapshotService } from './services/snapshot-service'
import { createExportService } from './services/export-service'
import { createChangeFeed } from './services/changes/change-feed'
import { createStarsService } from './services/stars'
import { createWatchService, type Notifier } from './services/watch/watch-service'
import { log } from './log'
import { createNetworkState } from './services/network-state'
import { AppError } from '../shared/ipc/result'

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
  /**
   * Work as this profile (an id, or a name in any case) without switching the one the app has
   * active: the CLI's `--profile`. Without it, the active profile, which the window can switch.
   */
  profile?: string
  /** Use this region instead of the setting (the CLI's `--region`); the setting then has no effect. */
  region?: Region
  /** Desktop notifications for watch rules (Electron's, or a recording one); none in the CLI. */
  notifier?: Notifier
}

/**
 * The composition root: builds every main-process service from its dependencies. Electron's
 * main, the browser test harness and the headless commands all call this, with options, so they
 * run the same services (retention, file readers, events) on the same data. The IPC handlers are
 * not part of it: they are adapters over it, built by whoever serves a window (createHandlers).
 */
export async function createAppServices(deps: AppServiceDeps) {
  await mkdir(deps.dataDir, { recursive: true })
  const settings = createSettingsService({ dir: deps.dataDir })
  const initial = await settings.get()
  let region: Region = deps.region ?? initial.region
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
  // With a pinned profile, everything that asks "which profile" gets that one.
  const pinned = deps.profile ? await findProfile(keys, deps.profile) : null
  if (pinned) {
    const base = keys
    keys = { ...base, activeId: async () => pinned, getActiveKey: () => base.getKey(pinned) }
  }
  // Reads `keys` when asked, so it follows the pinned and announcing wrappers below.
  const stars = createStarsService({
    dataDir: deps.dataDir,
    activeProfile: () => keys!.activeId(),
    emit: deps.emit,
  })
  // A switch or removal of the active profile changes which catalogs are shown: announced here,
  // where the profile service is made, so every caller (window, tests) gets the same event.
  const announced =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const result = await fn(...args)
      deps.emit('catalog:changed', { reason: 'profile' })
      await stars.announce().catch((err: unknown) => log.warn('Could not read the stars:', err))
      return result
    }
  keys = { ...keys, setActive: announced(keys.setActive), deleteProfile: announced(keys.deleteProfile) }
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
  const baseCatalog = createCatalogService({
    client,
    store,
    keys,
    region: currentRegion,
    emit: deps.emit,
    afterSave,
    network,
  })
  const exporter = createExportService({ store, dialogs: deps.dialogs, settings })
  const changes = createChangeFeed({
    store,
    dataDir: deps.dataDir,
    dialogs: deps.dialogs,
    settings,
    // What's new shows the catalogs the window shows: the active profile's, in the current region.
    scope: async () => ({ profile: await activeProfile(), region: currentRegion() }),
  })
  const watch = createWatchService({
    dataDir: deps.dataDir,
    feed: changes,
    starred: (profile) => stars.starredSet(profile),
    emit: deps.emit,
    ...(deps.notifier ? { notifier: deps.notifier } : {}),
  })
  // Watch rules see every refresh that stored something new: manual or automatic, window or CLI.
  // Evaluation never throws, so a rule cannot fail the refresh it follows.
  const catalog: typeof baseCatalog = {
    ...baseCatalog,
    async refresh(opts) {
      const outcome = await baseCatalog.refresh(opts)
      const added = outcome.results.flatMap((r) => (r.ok && r.created && r.snapshotId ? [r.snapshotId] : []))
      if (added.length > 0) await watch.evaluate(added)
      // In the app, the feed's events for the new snapshot are worked out now, in the background,
      // so What's new opens from its event file even after months of refreshes nobody looked at.
      if (started && added.length > 0)
        void changes
          .eventsOf(added.at(-1)!)
          .catch((err: unknown) => log.warn('The change feed could not be updated:', err))
      return outcome
    },
  }

  const info: AppInfo = {
    name: 'Model Deck',
    version: deps.appVersion,
    platform: process.platform,
    dataDir: deps.dataDir,
    apiHost: new URL(baseUrl()).host,
    customApiBase: Boolean(deps.env.MODEL_DECK_API_BASE),
  }

  let timer: NodeJS.Timeout | null = null
  let scheduledHours = -1
  function scheduleAutoRefresh(hours: number): void {
    // Only a change of the interval restarts it: saving other settings (the view state is saved as
    // the user works) must not keep pushing the next automatic refresh away.
    if (hours === scheduledHours) return
    scheduledHours = hours
    if (timer) clearInterval(timer)
    timer = null
    if (hours <= 0) return
    timer = setInterval(() => {
      void catalog.refresh({}).catch((err: unknown) => log.warn('Automatic refresh failed:', err))
    }, hours * 3_600_000)
    timer.unref?.()
  }
  let started = false
  // The services that follow a setting subscribe to it here; nobody has to remember to tell them.
  settings.onChange((next) => {
    if (!deps.region && next.region !== region) {
      region = next.region
      info.apiHost = new URL(baseUrl()).host
      deps.emit('catalog:changed', { reason: 'region' })
    }
    if (started) scheduleAutoRefresh(next.autoRefreshHours)
  })

  return {
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
    changes,
    stars,
    watch,
    /** `changes:list`'s ruleId and starred, as a predicate for the feed (see createHandlers). */
    matchFor: watch.matchFor,
    start(): void {
      started = true
      void settings.get().then((current) => scheduleAutoRefresh(current.autoRefreshHours))
    },
    stop(): void {
      started = false
      if (timer) clearInterval(timer)
      timer = null
      scheduledHours = -1
      catalog.cancel()
      void store.close()
    },
  }
}
export type AppServices = Awaited<ReturnType<typeof createAppServices>>

/** A profile by id, or by name ignoring case; an unknown one names the profiles there are. */
async function findProfile(keys: KeyService, wanted: string): Promise<string> {
  const { profiles } = await keys.listProfiles()
  const lower = wanted.toLowerCase()
  const found = profiles.find((p) => p.id === wanted) ?? profiles.find((p) => p.name.toLowerCase() === lower)
  if (found) return found.id
  const known = profiles.map((p) => `${p.name} (${p.id})`).join(', ')
  throw new AppError('not-found', `There is no profile "${wanted}"; profiles: ${known}.`, {
    unknownProfile: wanted,
  })
}
