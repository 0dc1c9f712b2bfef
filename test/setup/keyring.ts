import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Vitest global setup: a private D-Bus session with an unlocked gnome-keyring, so keychain tests
 * run against a real Secret Service and never touch the user's own keyring. Where the tools are
 * missing the run fails and says what to install: a silent skip would prove nothing.
 */
interface Shared {
  users: number
  started: Promise<() => void>
}
const SHARED = Symbol.for('model-deck.test-keyring')
type WithShared = typeof globalThis & { [SHARED]?: Shared }

/**
 * The integration and e2e projects each name this setup; Vitest runs both in one process (maybe at
 * once), so the second reuses the first's bus and keyring: one Secret Service, one environment.
 */
export default async function setup(): Promise<() => void> {
  const g = globalThis as WithShared
  g[SHARED] ??= { users: 0, started: startKeyring() }
  const shared = g[SHARED]
  shared.users++
  const stop = await shared.started
  return () => {
    if (--shared.users > 0) return
    stop()
    g[SHARED] = undefined
  }
}

async function startKeyring(): Promise<() => void> {
  if (process.platform !== 'linux') return () => undefined
  for (const tool of ['dbus-daemon', 'gnome-keyring-daemon']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
      throw new Error(
        `The keychain tests need ${tool}: install the Debian packages "dbus gnome-keyring" (apt-get install dbus gnome-keyring).`,
      )
    }
  }
  const home = mkdtempSync(join(tmpdir(), 'model-deck-keyring-'))
  const dbus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  const address = await new Promise<string>((resolve, reject) => {
    let buf = ''
    const timer = setTimeout(() => reject(new Error('dbus-daemon did not print its address')), 10_000)
    dbus.stdout!.on('data', (chunk: Buffer) => {
      buf += chunk.toString()
      const line = buf.split('\n')[0]
      if (buf.includes('\n') && line) {
        clearTimeout(timer)
        resolve(line.trim())
      }
    })
    dbus.on('exit', (code) => reject(new Error(`dbus-daemon exited (${code})`)))
  })
  process.env.DBUS_SESSION_BUS_ADDRESS = address
  process.env.XDG_DATA_HOME = join(home, 'data')
  process.env.XDG_RUNTIME_DIR = home
  const keyring: ChildProcess = spawn(
    'gnome-keyring-daemon',
    ['--foreground', '--unlock', '--components=secrets'],
    { env: { ...process.env }, stdio: ['pipe', 'ignore', 'ignore'] },
  )
  keyring.stdin!.end('model-deck-test-password')
  // Wait until the Secret Service name is owned on our private bus.
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    const r = spawnSync('dbus-send', [
      '--session',
      '--print-reply',
      '--dest=org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus.NameHasOwner',
      'string:org.freedesktop.secrets',
    ])
    if (r.stdout?.toString().includes('boolean true')) break
    await new Promise((r2) => setTimeout(r2, 100))
  }
  return () => {
    keyring.kill()
    dbus.kill()
    rmSync(home, { recursive: true, force: true })
  }
}
