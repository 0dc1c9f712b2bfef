import type { Handlers } from './dispatch'
import { packCatalogState } from '../../shared/catalog-wire'
import type { AppInfo, KeyStatus as SharedKeyStatus, ProfilesState } from '../../shared/app-types'
import type { SettingsService } from '../services/settings'
import type { SafeShell } from '../safe-shell'
import type { KeyService, KeyStatus } from '../services/key-service'
import type { CatalogService } from '../services/catalog-service'
import type { SnapshotService } from '../services/snapshot-service'
import type { ExportService } from '../services/export-service'
import type { OpenRouterClient } from '../services/openrouter/client'
import type { ChangeFeedService, EventMatch } from '../services/changes/change-feed'
import type { ChangeQuery } from '../../shared/changes/types'
import type { StarsService } from '../services/stars'
import type { WatchService } from '../services/watch/watch-service'

interface HandlerServices {
  info: AppInfo
  settings: SettingsService
  shell: SafeShell
  keys: KeyService
  client: OpenRouterClient
  catalog: CatalogService
  snapshots: SnapshotService
  exporter: ExportService
  changes: ChangeFeedService
  /**
   * The seam for watch rules and stars: turns a query's `ruleId` / `starred` into a predicate over
   * events. Absent, those two parts of a query match everything.
   */
  matchFor?: (query: ChangeQuery) => Promise<EventMatch | undefined>
  stars: StarsService
  watch: WatchService
}

/**
 * The IPC adapters over the services: one line per channel, built by whoever serves a window
 * (Electron's main, the browser harness). Validation already happened in dispatch, and the
 * reactions to a change (a new region, a profile switch) belong to the services, so a handler only
 * calls a service and shapes its answer for the window.
 */
export function createHandlers(s: HandlerServices): Handlers {
  const profiles = async (): Promise<ProfilesState> => {
    const { activeId, profiles: list } = await s.keys.listProfiles()
    return { activeId, profiles: list.map(({ id, name }) => ({ id, name })) }
  }
  const keyStatus = async (refresh = false): Promise<SharedKeyStatus> => {
    const id = await s.keys.activeId()
    return toSharedStatus(id, refresh ? await s.keys.verify(id) : await s.keys.status(id))
  }
  const matchOpts = async (query: ChangeQuery): Promise<{ match?: EventMatch }> => {
    const match = await s.matchFor?.(query)
    return match ? { match } : {}
  }
  return {
    'app:get-info': () => s.info,
    'settings:get': () => s.settings.get(),
    'settings:update': ({ patch }) => s.settings.update(patch),
    'profiles:list': profiles,
    'profiles:create': async ({ name }) => (await s.keys.createProfile(name), profiles()),
    'profiles:rename': async ({ id, name }) => (await s.keys.renameProfile(id, name), profiles()),
    'profiles:remove': async ({ id }) => (await s.keys.deleteProfile(id), profiles()),
    'profiles:switch': async ({ id }) => (await s.keys.setActive(id), profiles()),
    'key:status': ({ refresh }) => keyStatus(refresh),
    'key:set': async ({ key, allowUnverified, sessionOnly }) => {
      const id = await s.keys.activeId()
      return toSharedStatus(id, await s.keys.set(id, key, { allowUnverified, sessionOnly }))
    },
    'key:clear': async () => (await s.keys.clear(await s.keys.activeId()), keyStatus()),
    'key:test-connection': async () => {
      const started = Date.now()
      const body = await s.client.countModels()
      const count = (body.data as { count?: unknown }).count
      return {
        ok: true as const,
        latencyMs: Date.now() - started,
        publicModels: typeof count === 'number' ? count : 0,
      }
    },
    'key:list-orphans': async () => ({ accounts: await s.keys.orphanedKeys() }),
    'key:remove-orphans': async ({ accounts }) => ({ removed: await s.keys.removeOrphanedKeys(accounts) }),
    'catalog:get': async ({ snapshotId }) => packCatalogState(await s.catalog.get({ snapshotId })),
    'catalog:refresh': ({ sources }) => s.catalog.refresh({ sources }),
    'catalog:cancel': () => s.catalog.cancel(),
    'catalog:endpoints': (input) => s.catalog.endpoints(input),
    'catalog:get-records': (input) => s.catalog.records(input),
    'snapshots:list': () => s.snapshots.list(),
    'snapshots:open': ({ ref }) => s.snapshots.open(ref),
    'snapshots:diff': ({ a, b }) => s.snapshots.diff(a, b),
    'snapshots:update': ({ id, ...patch }) => s.snapshots.update(id, patch),
    'snapshots:remove': ({ id }) => s.snapshots.remove(id),
    'snapshots:prune': () => s.snapshots.prune(),
    'snapshots:history': ({ modelId, source }) => s.snapshots.history(modelId, source),
    'snapshots:import': (input) => s.snapshots.importFile(input),
    'snapshots:export-bundle': ({ id }) => s.snapshots.exportBundle(id),
    'export:save': (request) => s.exporter.save(request),
    'changes:list': async (query) => s.changes.list(query, await matchOpts(query)),
    'changes:archive': async (query) => ({ models: await s.changes.archive(query) }),
    'changes:export': async ({ query, format }) =>
      s.changes.exportFeed(query, format, await matchOpts(query)),
    'shell:open-external': async ({ url }) => ({ opened: await s.shell.open(url) }),
    'stars:list': async () => ({ ids: await s.stars.list() }),
    'stars:set': async ({ modelId, starred }) => ({ ids: await s.stars.set(modelId, starred) }),
    'watch:list': () => s.watch.list(),
    'watch:save': ({ rule }) => s.watch.save(rule),
    'watch:remove': ({ id }) => s.watch.remove(id),
    'watch:check': ({ expr }) => s.watch.check(expr),
    'watch:set-quiet-hours': ({ quietHours }) => s.watch.setQuietHours(quietHours),
    'watch:mark-seen': ({ ruleId }) => s.watch.markSeen(ruleId),
  }
}

/** The service's status, reshaped for the window: never the key, only what it may show. */
function toSharedStatus(profileId: string, status: KeyStatus): SharedKeyStatus {
  const info = status.info
  const error = status.error ? { code: status.error.code, message: status.error.message } : null
  return {
    profileId,
    present: status.present,
    storage: status.storage,
    verified: status.verified,
    info: info
      ? {
          label: info.label ?? '',
          limit: info.limit,
          limitRemaining: info.limit_remaining,
          limitReset: info.limit_reset,
          usage: info.usage,
          usageDaily: info.usage_daily,
          usageWeekly: info.usage_weekly,
          usageMonthly: info.usage_monthly,
          isFreeTier: info.is_free_tier,
        }
      : null,
    error,
    keychainError: error?.code === 'keychain-unavailable' ? error : null,
  }
}
