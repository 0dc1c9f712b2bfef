import { resolve } from 'node:path'
import { createAppServices, type AppServices } from '../main/app-services'
import type { Dialogs } from '../main/dialogs'
import type { KeytarLike } from '../main/services/keychain'
import type { KeyService } from '../main/services/key-service'
import type { CatalogService } from '../main/services/catalog-service'
import type { SnapshotService } from '../main/services/snapshot-service'
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
  /** A command's own `--region` (fetch); otherwise the app's setting. */
  region?: Region
}

export interface CliContext {
  services: AppServices
  dataDir: string
  profile: Profile
  region: Region
  /** The key service as seen from the chosen profile, whichever profile the desktop app has active. */
  keys: KeyService
  catalog: CatalogService
  /** Imports go through the app's own import code, with the file named on the command line. */
  importer(file: string): SnapshotService
  close(): Promise<void>
}

/**
 * The desktop app's own services (the one composition root, createAppServices) on its data folder
 * or --data-dir, as the chosen profile and region, for one command: the same retention, readers
 * and events as the window. The CLI never opens a window, so a dialog means "the file named on the
 * command line", and any other dialog is a bug.
 */
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
  let fileToOpen: string | null = null
  const dialogs: Dialogs = {
    chooseSavePath: async () => {
      throw new AppError('internal', 'The command line has no save dialog; pass --out instead.')
    },
    chooseOpenPath: async () => {
      if (fileToOpen) return fileToOpen
      throw new AppError('internal', 'The command line has no open dialog; pass the file name instead.')
    },
  }
  let services: AppServices
  try {
    services = await createAppServices({
      dataDir,
      appVersion: VERSION,
      env: process.env,
      // Loaded on first use: commands that never touch the key work without a keyring or libsecret.
      keytar: () => import('@github/keytar').then((m) => (m.default ?? m) as KeytarLike),
      dialogs,
      openExternal: async () => undefined,
      emit,
      ...(options.profile ? { profile: options.profile } : {}),
      ...(options.region ? { region: options.region } : {}),
    })
  } catch (err) {
    // A --profile that names no profile is the user's typo, not a failure: a usage error.
    if (err instanceof AppError && err.details?.unknownProfile !== undefined)
      throw new UsageError(err.message.replace(/^There/, 'there').replace(/\.$/, ''))
    throw err
  }
  const activeId = await services.keys.activeId()
  const { profiles } = await services.keys.listProfiles()
  const profile = profiles.find((p) => p.id === activeId)!
  return {
    services,
    dataDir,
    profile: { id: profile.id, name: profile.name },
    region: options.region ?? (await services.settings.get()).region,
    keys: services.keys,
    catalog: services.catalog,
    importer(file) {
      fileToOpen = file
      return services.snapshots
    },
    async close() {
      services.stop()
      await services.store.close()
    },
  }
}
