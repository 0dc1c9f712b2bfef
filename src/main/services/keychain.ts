import { AppError } from '../../shared/ipc/result'
import { redact } from '../log'

/** The part of keytar (@github/keytar) we use; tests may hand in the real module or a stand-in. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
  /** Every entry of the service; only the account names are kept from it. */
  findCredentials?(service: string): Promise<{ account: string; password: string }[]>
}

export interface Keychain {
  get(account: string): Promise<string | null>
  set(account: string, secret: string): Promise<void>
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>
  /** The account names of every entry of this service (never their secrets). */
  accounts(): Promise<string[]>
}

export type KeychainFailure =
  'no-session-bus' | 'no-secret-service' | 'locked' | 'access-denied' | 'native-module' | 'unknown'

export interface KeychainOptions {
  /** The module, or a loader: loading the native module can itself fail (missing libsecret). */
  keytar: KeytarLike | (() => Promise<KeytarLike>)
  service?: string
  /** Only read to tell a Snap or Flatpak user which permission is missing. */
  env?: Record<string, string | undefined>
  platform?: NodeJS.Platform
}

// Order matters: a missing libsecret also says "No such file or directory".
const PATTERNS: [KeychainFailure, RegExp][] = [
  [
    'native-module',
    /libsecret|cannot open shared object|Cannot find module|NODE_MODULE_VERSION|was compiled against|dlopen/i,
  ],
  [
    'no-session-bus',
    /autolaunch D-Bus|Could not connect|DBUS_SESSION_BUS_ADDRESS|Failed to connect to socket/i,
  ],
  ['no-secret-service', /org\.freedesktop\.secrets|ServiceUnknown|not provided by any \.service files/i],
  [
    'locked',
    /locked collection|Object does not exist at path|Cannot unlock|is locked|No such secret collection/i,
  ],
  [
    'access-denied',
    /access denied|AccessDenied|not allowed|permission denied|User canceled|authorization|errSecAuthFailed|user interaction/i,
  ],
]

export function classifyKeychainError(raw: string): KeychainFailure {
  for (const [failure, pattern] of PATTERNS) if (pattern.test(raw)) return failure
  return 'unknown'
}

function sandboxHint(env: Record<string, string | undefined>): string {
  if (env.SNAP) {
    return ' Model Deck runs as a Snap: connect its keyring permission with `snap connect model-deck:password-manager-service`.'
  }
  if (env.FLATPAK_ID || env.container === 'flatpak') {
    return ' Model Deck runs as a Flatpak: it needs `--talk-name=org.freedesktop.secrets` (e.g. via Flatseal).'
  }
  return ''
}

const ADVICE: Record<KeychainFailure, string> = {
  'no-session-bus':
    'There is no desktop session bus (D-Bus), which the system keyring needs. Start Model Deck from a desktop session, or run it under `dbus-run-session`.',
  'no-secret-service':
    'No keyring service (Secret Service) is running. Install and start one, such as GNOME Keyring or KeePassXC with Secret Service enabled, then try again.',
  locked:
    'The system keyring is locked or has no default ("login") collection. Unlock it (or create it) in your keyring manager, e.g. GNOME "Passwords and Keys", then try again.',
  'access-denied':
    'The system keyring refused access to Model Deck. Allow access when the keyring asks, or check its access settings.',
  'native-module':
    'The keyring library could not be loaded. On Linux install libsecret (e.g. `apt install libsecret-1-0`), then restart Model Deck.',
  unknown: 'The system keyring reported an error. Check that it is running and unlocked, then try again.',
}

/**
 * Every failure of the OS keychain becomes one user-facing AppError naming the cause and the fix.
 * The raw message is kept in details for support, scrubbed of the secret we may have been writing.
 */
export function keychainError(
  err: unknown,
  opts: { action: string; secret?: string; env?: Record<string, string | undefined> },
): AppError {
  const raw = err instanceof Error ? err.message : String(err)
  // Scrubbed whole, then cut: a secret cut in two would no longer match, and its start would stay.
  const scrubbed = redact(opts.secret ? raw.split(opts.secret).join('[redacted]') : raw)
  const systemMessage = scrubbed.length > 300 ? `${scrubbed.slice(0, 300)}…` : scrubbed
  const failure = classifyKeychainError(raw)
  const hint = failure === 'unknown' || failure === 'native-module' ? '' : sandboxHint(opts.env ?? {})
  return new AppError(
    'keychain-unavailable',
    `Could not ${opts.action} the system keyring. ${ADVICE[failure]}${hint}`,
    {
      cause: failure,
      systemMessage,
    },
  )
}

function checkAccount(account: string): void {
  if (typeof account !== 'string' || !account || account.length > 200) {
    throw new AppError(
      'invalid-input',
      'Keychain account names must be non-empty strings of at most 200 characters.',
    )
  }
}

export function createKeychain(options: KeychainOptions): Keychain {
  const service = options.service ?? 'Model Deck'
  const env = options.env ?? process.env
  let loaded: Promise<KeytarLike> | undefined

  const keytar = async (): Promise<KeytarLike> => {
    if (typeof options.keytar !== 'function') return options.keytar
    loaded ??= options.keytar()
    try {
      return await loaded
    } catch (err) {
      // Not cached: a retry after the user fixes the system should get a fresh chance.
      loaded = undefined
      throw err
    }
  }

  async function run<T>(action: string, fn: (k: KeytarLike) => Promise<T>, secret?: string): Promise<T> {
    try {
      return await fn(await keytar())
    } catch (err) {
      throw keychainError(err, { action, env, ...(secret ? { secret } : {}) })
    }
  }

  return {
    get: (account) => {
      checkAccount(account)
      return run('read from', (k) => k.getPassword(service, account))
    },
    set: (account, secret) => {
      checkAccount(account)
      return run('save to', (k) => k.setPassword(service, account, secret), secret)
    },
    delete: (account) => {
      checkAccount(account)
      return run('delete from', (k) => k.deletePassword(service, account))
    },
    accounts: () =>
      run('list the entries of', async (k) => {
        if (!k.findCredentials) throw new Error('This keychain cannot list its entries.')
        // The secrets come along from the OS; they are dropped here, before anything else sees them.
        return (await k.findCredentials(service)).map((c) => c.account).sort()
      }),
  }
}
