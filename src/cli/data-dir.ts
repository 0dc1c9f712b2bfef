import { homedir } from 'node:os'
import { join } from 'node:path'

const APP_NAME = 'Model Deck'

/**
 * Where Electron keeps `userData` for this app (`app.getPath('userData')`: the OS config folder plus
 * the product name), so the headless commands read and write the very snapshots and settings the
 * desktop app uses.
 */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: Record<string, string | undefined> = process.env,
  home: string = homedir(),
): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME)
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), APP_NAME)
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_NAME)
}
