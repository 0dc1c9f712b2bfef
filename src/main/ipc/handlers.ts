import type { Handlers } from './dispatch'
import type { AppInfo } from '../../shared/app-types'
import type { SettingsService } from '../services/settings'
import type { SafeShell } from '../safe-shell'
import { AppError } from '../../shared/ipc/result'

interface HandlerServices {
  info: AppInfo
  settings: SettingsService
  shell: SafeShell
}

const pending = (): never => {
  throw new AppError('internal', 'Not available in this build yet.')
}

/** One line per channel: validation already happened in dispatch, so handlers only delegate. */
export function createHandlers(s: HandlerServices): Handlers {
  return {
    'app:get-info': () => s.info,
    'settings:get': () => s.settings.get(),
    'settings:update': ({ patch }) => s.settings.update(patch),
    'profiles:list': pending,
    'profiles:create': pending,
    'profiles:rename': pending,
    'profiles:remove': pending,
    'profiles:switch': pending,
    'key:status': pending,
    'key:set': pending,
    'key:clear': pending,
    'key:test-connection': pending,
    'catalog:get': pending,
    'catalog:refresh': pending,
    'catalog:cancel': pending,
    'catalog:endpoints': pending,
    'snapshots:list': pending,
    'snapshots:open': pending,
    'snapshots:diff': pending,
    'snapshots:update': pending,
    'snapshots:remove': pending,
    'snapshots:prune': pending,
    'snapshots:history': pending,
    'snapshots:import': pending,
    'snapshots:export-bundle': pending,
    'export:save': pending,
    'shell:open-external': async ({ url }) => ({ opened: await s.shell.open(url) }),
  }
}
