import { randomUUID } from 'node:crypto'
import keytar from '@github/keytar'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../src/shared/ipc/result'
import { classifyKeychainError, createKeychain, type KeychainFailure } from '../../src/main/services/keychain'
import {
  childProcessKeytar,
  deadBusEnv,
  noBusEnv,
  startBusWithoutSecretService,
  startKeyringWithoutCollection,
  startLockedKeyring,
  type PrivateBus,
} from '../helpers/keyring-envs'

const SECRET = 'sk-or-v1-test-keychain-secret-0123456789abcdef'
const service = `Model Deck test ${randomUUID()}`

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  return err as AppError
}

describe('keychain on the real Secret Service', () => {
  const keychain = createKeychain({ keytar, service })
  afterAll(async () => {
    await keytar.deletePassword(service, 'roundtrip').catch(() => undefined)
  })

  it('stores, reads and deletes one secret per account', async () => {
    expect(await keychain.get('roundtrip')).toBeNull()
    await keychain.set('roundtrip', SECRET)
    expect(await keychain.get('roundtrip')).toBe(SECRET)
    expect(await keytar.getPassword(service, 'roundtrip')).toBe(SECRET)
    expect(await keychain.delete('roundtrip')).toBe(true)
    expect(await keychain.get('roundtrip')).toBeNull()
    expect(await keychain.delete('roundtrip')).toBe(false)
  })

  it('refuses an empty account name', async () => {
    expect(() => keychain.get('')).toThrow(AppError)
  })
})

describe('keychain failures, with the errors a real system gives', () => {
  const buses: PrivateBus[] = []
  const envs: Record<string, NodeJS.ProcessEnv> = {}
  beforeAll(async () => {
    const bare = await startBusWithoutSecretService()
    const noCollection = await startKeyringWithoutCollection()
    const locked = await startLockedKeyring()
    buses.push(bare, noCollection, locked)
    envs.bare = bare.env
    envs.noCollection = noCollection.env
    envs.locked = locked.env
  }, 60_000)
  afterAll(() => buses.forEach((b) => b.stop()))

  const cases: {
    name: string
    env: () => NodeJS.ProcessEnv
    op: 'get' | 'set'
    cause: KeychainFailure
    raw: RegExp
    says: RegExp
  }[] = [
    {
      name: 'no session bus',
      env: noBusEnv,
      op: 'get',
      cause: 'no-session-bus',
      raw: /Cannot autolaunch D-Bus without X11 \$DISPLAY/,
      says: /D-Bus/,
    },
    {
      name: 'bus address pointing nowhere',
      env: deadBusEnv,
      op: 'set',
      cause: 'no-session-bus',
      raw: /Could not connect/,
      says: /dbus-run-session/,
    },
    {
      name: 'no Secret Service on the bus',
      env: () => envs.bare!,
      op: 'set',
      cause: 'no-secret-service',
      raw: /org\.freedesktop\.secrets was not provided/,
      says: /GNOME Keyring or KeePassXC/,
    },
    {
      name: 'keyring never unlocked (no login collection)',
      env: () => envs.noCollection!,
      op: 'set',
      cause: 'locked',
      raw: /Object does not exist at path/,
      says: /Unlock it/,
    },
    {
      name: 'locked login collection',
      env: () => envs.locked!,
      op: 'set',
      cause: 'locked',
      raw: /Cannot create an item in a locked collection/,
      says: /locked/,
    },
  ]

  it.each(cases)('$name → keychain-unavailable ($cause)', async ({ env, op, cause, raw, says }) => {
    const keychain = createKeychain({ keytar: childProcessKeytar(env()), service, env: {} })
    const err = await failure(op === 'get' ? keychain.get('profile') : keychain.set('profile', SECRET))
    expect(err.code).toBe('keychain-unavailable')
    expect(err.details?.cause).toBe(cause)
    expect(String(err.details?.systemMessage)).toMatch(raw)
    expect(err.message).toMatch(says)
    expect(JSON.stringify(err.toShape())).not.toContain(SECRET)
  })

  it('tells a Snap or Flatpak user which permission to grant', async () => {
    const snap = createKeychain({
      keytar: childProcessKeytar(envs.bare!),
      service,
      env: { SNAP: '/snap/model-deck/1' },
    })
    expect((await failure(snap.get('p'))).message).toMatch(/password-manager-service/)
    const flatpak = createKeychain({
      keytar: childProcessKeytar(envs.bare!),
      service,
      env: { FLATPAK_ID: 'x' },
    })
    expect((await failure(flatpak.get('p'))).message).toMatch(/--talk-name=org\.freedesktop\.secrets/)
  })

  it('reports a native module that fails to load, and retries the load later', async () => {
    let attempts = 0
    const keychain = createKeychain({
      service,
      keytar: async () => {
        attempts++
        if (attempts === 1)
          throw new Error('libsecret-1.so.0: cannot open shared object file: No such file or directory')
        return keytar
      },
    })
    const err = await failure(keychain.get('loader'))
    expect(err.details?.cause).toBe('native-module')
    expect(err.message).toMatch(/libsecret/)
    expect(await keychain.get('loader')).toBeNull()
  })

  it('never repeats the secret, even if the system error echoes it', async () => {
    const keychain = createKeychain({
      service,
      keytar: {
        getPassword: async () => null,
        deletePassword: async () => false,
        setPassword: async (_s, _a, p) => {
          throw new Error(`Cannot create an item in a locked collection (value ${p})`)
        },
      },
    })
    const err = await failure(keychain.set('p', SECRET))
    expect(JSON.stringify(err.toShape())).not.toContain(SECRET)
  })

  it.each([
    ['Cannot autolaunch D-Bus without X11 $DISPLAY', 'no-session-bus'],
    ['The name org.freedesktop.secrets was not provided by any .service files', 'no-secret-service'],
    ['Object does not exist at path “/org/freedesktop/secrets/collection/login”', 'locked'],
    ['Cannot create an item in a locked collection', 'locked'],
    ['User canceled the operation.', 'access-denied'],
    ['libsecret-1.so.0: cannot open shared object file: No such file or directory', 'native-module'],
    ['something else entirely', 'unknown'],
  ] as const)('classifies "%s" as %s', (raw, cause) => {
    expect(classifyKeychainError(raw)).toBe(cause)
  })
})
