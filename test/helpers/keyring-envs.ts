import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { KeytarLike } from '../../src/main/services/keychain'

/**
 * Real keychain failures, cheaply: keytar runs in a child process whose environment points at a
 * broken or missing Secret Service, so the error strings are the ones users actually see.
 */

const KEYTAR_PATH = createRequire(import.meta.url).resolve('@github/keytar')

const CHILD = `
const keytar = require(process.argv[1]);
const [op, service, account] = process.argv.slice(2);
let input = '';
process.stdin.on('data', (c) => (input += c));
process.stdin.on('end', async () => {
  try {
    const value =
      op === 'get' ? await keytar.getPassword(service, account)
      : op === 'set' ? await keytar.setPassword(service, account, input)
      : await keytar.deletePassword(service, account);
    process.stdout.write(JSON.stringify({ ok: true, value: value === undefined ? null : value }));
  } catch (err) {
    process.stdout.write(JSON.stringify({ ok: false, message: String(err && err.message || err) }));
  }
});
`

function call(
  env: NodeJS.ProcessEnv,
  op: string,
  service: string,
  account: string,
  secret = '',
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CHILD, KEYTAR_PATH, op, service, account], {
      env,
      stdio: ['pipe', 'pipe', 'ignore'],
      timeout: 20_000,
    })
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    child.on('error', reject)
    child.on('close', () => {
      try {
        const result = JSON.parse(out) as { ok: boolean; value?: unknown; message?: string }
        if (result.ok) resolve(result.value)
        else reject(new Error(result.message))
      } catch {
        reject(new Error(`keytar child printed no result (${out.slice(0, 200)})`))
      }
    })
    child.stdin.end(secret)
  })
}

export function childProcessKeytar(env: NodeJS.ProcessEnv): KeytarLike {
  return {
    getPassword: (s, a) => call(env, 'get', s, a) as Promise<string | null>,
    setPassword: async (s, a, p) => {
      await call(env, 'set', s, a, p)
    },
    deletePassword: (s, a) => call(env, 'delete', s, a) as Promise<boolean>,
  }
}

function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env.DBUS_SESSION_BUS_ADDRESS
  delete env.DISPLAY
  delete env.WAYLAND_DISPLAY
  return env
}

/** No session bus at all, as on a headless server or over plain ssh. */
export function noBusEnv(): NodeJS.ProcessEnv {
  return baseEnv()
}

/** A bus address that points nowhere (stale variable after a logout). */
export function deadBusEnv(): NodeJS.ProcessEnv {
  return { ...baseEnv(), DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/model-deck-test-bus' }
}

export interface PrivateBus {
  env: NodeJS.ProcessEnv
  stop(): void
}

async function startBus(
  args: string[],
  env: NodeJS.ProcessEnv,
  extra: ChildProcess[] = [],
): Promise<PrivateBus> {
  const dbus = spawn('dbus-daemon', [...args, '--nofork', '--print-address=1'], {
    env,
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  const address = await new Promise<string>((resolve, reject) => {
    let buf = ''
    const timer = setTimeout(() => reject(new Error('dbus-daemon did not print its address')), 10_000)
    dbus.stdout!.on('data', (chunk: Buffer) => {
      buf += chunk.toString()
      if (buf.includes('\n')) {
        clearTimeout(timer)
        resolve(buf.split('\n')[0]!.trim())
      }
    })
    dbus.on('exit', (code) => reject(new Error(`dbus-daemon exited (${code})`)))
  })
  return {
    env: { ...env, DBUS_SESSION_BUS_ADDRESS: address },
    stop: () => {
      for (const p of extra) p.kill()
      dbus.kill()
    },
  }
}

function isolatedEnv(): { env: NodeJS.ProcessEnv; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'model-deck-bus-'))
  return { env: { ...baseEnv(), XDG_DATA_HOME: join(dir, 'data'), XDG_RUNTIME_DIR: dir }, dir }
}

/** A session bus that cannot start (activate) any service by itself. */
async function startBareBus(): Promise<PrivateBus & { dir: string }> {
  const { env, dir } = isolatedEnv()
  const config = join(dir, 'bus.conf')
  writeFileSync(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:tmpdir=${dir}</listen>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>`,
  )
  const bus = await startBus([`--config-file=${config}`], env)
  return { env: bus.env, dir, stop: () => (bus.stop(), rmSync(dir, { recursive: true, force: true })) }
}

/** A session bus with no Secret Service installed. */
export async function startBusWithoutSecretService(): Promise<PrivateBus> {
  return startBareBus()
}

/** GNOME Keyring is activated but was never unlocked, so it has no "login" collection. */
export async function startKeyringWithoutCollection(): Promise<PrivateBus> {
  const { env, dir } = isolatedEnv()
  const bus = await startBus(['--session'], env)
  return { env: bus.env, stop: () => (bus.stop(), rmSync(dir, { recursive: true, force: true })) }
}

/** GNOME Keyring with a login collection that is locked (as after a screen lock with some setups). */
export async function startLockedKeyring(): Promise<PrivateBus> {
  // A bus without activation, so no second, never-unlocked keyring can race ours for the name.
  const bus = await startBareBus()
  const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
    env: bus.env,
    stdio: ['pipe', 'ignore', 'ignore'],
  })
  keyring.stdin!.end('model-deck-test-password')
  const dbusSend = (...args: string[]): string =>
    spawnSync('dbus-send', ['--session', '--print-reply', ...args], { env: bus.env }).stdout?.toString() ?? ''
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    const owned = dbusSend(
      '--dest=org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus.NameHasOwner',
      'string:org.freedesktop.secrets',
    )
    if (owned.includes('boolean true')) break
    await new Promise((r) => setTimeout(r, 100))
  }
  // Writing once creates the login collection before we lock it.
  await childProcessKeytar(bus.env).setPassword('model-deck-probe', 'probe', 'x')
  dbusSend(
    '--dest=org.freedesktop.secrets',
    '/org/freedesktop/secrets',
    'org.freedesktop.Secret.Service.Lock',
    'array:objpath:/org/freedesktop/secrets/collection/login',
  )
  return {
    env: bus.env,
    stop: () => {
      keyring.kill()
      bus.stop()
    },
  }
}
