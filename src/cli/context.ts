import { resolve } from 'node:path'
import { createAppServices, type AppServices } from '../main/app-services'
import type { Dialogs } from '../main/dialogs'
import type { KeytarLike } from '../main/services/keychain'
import type { KeyService } from '../main/services/key-service'
import { createOpenRouterClient } from '../main/services/openrouter/client'
import { resolveApiBase } from '../main/services/openrouter/base-url'
import { createCatalogService } from '../main/services/catalog-service'
import { createSnapshotService } from '../main/services/snapshot-service'
import { setConsoleLogging } from '../main/log'
import { AppError } from '../shared/ipc/result'
import type { Profile } from '../shared/app-types'
import type { Region } from '../shared/model/raw'
import type { AppServiceDeps } from '../main/app-services'
import type { EventPayloads } from '../shared/ipc/events'
import { defaultDataDir } from './data-dir'
import { UsageError } from './errors'
import type { CliIo } from './io'
import { VERSION } from './version'

type Emit = AppServiceDeps['emit']

export interface GlobalOptions {
  dataDir?: string
  profile?: string
}

/** The CLI never opens a window: any code path that would ask for a file through a dialog is a bug. */
const refusingDialogs: Dialogs = {
  chooseSavePath: async () => {
    throw new AppError('internal', 'The command line has no save dialog; pass --out instead.')
  },
  chooseOpenPath: async () => {
    throw new AppError('internal', 'The command line has no open dialog; pass the file name instead.')
  },
}

export interface CliContext {
  services: AppServices
  dataDir: string
  profile: Profile
  region: Region
  /** The key service as seen from the chosen profile, whichever profile the desktop app has active. */
  keys: KeyService
  catalog(region?: Region): ReturnType<typeof createCatalogService>
  /** Imports go through the app's own import code, with the file named on the command line. */
  importer(file: string): ReturnType<typeof createSnapshotService>
  close(): Promise<void>
}

function findProfile(profiles: Profile[], wanted: string): Profile {
  const lower = wanted.toLowerCase()
  const found = profiles.find((p) => p.id === wanted) ?? profiles.find((p) => p.name.toLowerCase() === lower)
  if (!found) {
    const known = profiles.map((p) => `${p.name} (${p.id})`).join(', ')
    throw new UsageError(`there is no profile "${wanted}"; profiles: ${known}`)
  }
  return found
}

/** Builds the desktop app's own services on its data folder (or --data-dir) for one command. */
export async function openContext(options: GlobalOptions, io: CliIo): Promise<CliContext> {
  // Log lines would break the promise of one clear line on stderr; failures surface as errors instead.
  setConsoleLogging(false)
  const dataDir = resolve(options.dataDir ?? defaultDataDir())
  const emit: Emit = (event, payload) => {
    if (event !== 'catalog:refresh-progress') return
    const p = payload as EventPayloads['catalog:refresh-progress']
    const what = p.source === 'user' ? 'the models your key may use' : 'the public catalog'
    if (p.phase === 'fetching') io.progress(`Fetching ${what} from OpenRouter…`)
    else if (p.phase === 'saving') io.progress(`Saving the snapshot of ${what}…`)
  }
  const services = await createAppServices({
    dataDir,
    appVersion: VERSION,
    env: process.env,
    // Loaded on first use: commands that never touch the key work without a keyring or libsecret.
    keytar: () => import('@github/keytar').then((m) => (m.default ?? m) as KeytarLike),
    dialogs: refusingDialogs,
    openExternal: async () => undefined,
    emit,
  })
  const state = await services.keys.listProfiles()
  const profile = options.profile
    ? findProfile(state.profiles, options.profile)
    : findProfile(state.profiles, state.activeId)
  const region = (await services.settings.get()).region
  // The chosen profile stands in for the active one without switching the desktop app's own choice.
  const keys: KeyService = {
    ...services.keys,
    activeId: async () => profile.id,
    getActiveKey: () => services.keys.getKey(profile.id),
  }
  return {
    services,
    dataDir,
    profile,
    region,
    keys,
    catalog(chosen = region) {
      const client = createOpenRouterClient({
        baseUrl: () => resolveApiBase({ region: chosen, env: process.env }),
        getKey: () => services.keys.getKey(profile.id),
      })
      return createCatalogService({
        client,
        store: services.store,
        keys,
        region: () => chosen,
        emit,
        afterSave: services.afterSave,
      })
    },
    importer(file) {
      return createSnapshotService({
        store: services.store,
        dialogs: { ...refusingDialogs, chooseOpenPath: async () => file },
        settings: services.settings,
        activeProfile: async () => profile.id,
        region: () => region,
      })
    },
    async close() {
      services.stop()
      await services.store.close()
    },
  }
}
