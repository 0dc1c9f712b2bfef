import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createFileProfileStore } from '../../src/main/services/profile-store'
import keytar from '@github/keytar'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../src/shared/ipc/result'
import { createKeychain } from '../../src/main/services/keychain'
import { createKeyService, type KeyServiceOptions } from '../../src/main/services/key-service'
import { keyInfoFetcher, MAX_KEY_LENGTH, parseKeyInfo } from '../../src/main/services/profile-keys'
import { DEFAULT_PROFILE, type ProfilesState } from '../../src/main/services/profiles'
import { createMemoryProfileStore } from '../helpers/memory-profile-store'
import { createOpenRouterClient } from '../../src/main/services/openrouter/client'
import {
  defaultKeys,
  startFakeOpenRouter,
  TEST_KEYS,
  WRONG_KEY,
  type FakeOpenRouter,
} from '../fake-openrouter/server'
import { addLogSink, log, redact, setConsoleLogging } from '../../src/main/log'
import { leakedPiece, OTHER_KEY_SHAPES } from '../helpers/key-shapes'
import { childProcessKeytar, noBusEnv } from '../helpers/keyring-envs'

let server: FakeOpenRouter
const services: string[] = []

beforeAll(async () => {
  server = await startFakeOpenRouter()
})
afterAll(async () => {
  await server.close()
  // Leave nothing behind in the test keyring.
  for (const service of services) {
    for (const cred of await keytar.findCredentials(service))
      await keytar.deletePassword(service, cred.account)
  }
})
afterEach(async () => {
  server.clearFaults()
  server.resetRequests()
  await server.online()
})

const client = () =>
  createOpenRouterClient({ baseUrl: server.url, getKey: async () => null, maxRetries: 0, timeoutMs: 2_000 })

function setup(overrides: Partial<KeyServiceOptions> & { initial?: ProfilesState; service?: string } = {}) {
  const service = overrides.service ?? `Model Deck test ${randomUUID()}`
  services.push(service)
  const profileStore = createMemoryProfileStore(overrides.initial)
  const keys = createKeyService({
    keychain: createKeychain({ keytar, service }),
    getKeyInfo: keyInfoFetcher(client()),
    profileStore,
    ...overrides,
  })
  return { keys, profileStore, service }
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  return err as AppError
}

const KEY = TEST_KEYS.personal

describe('storing a key', () => {
  it('starts with one active default profile and no key', async () => {
    const { keys } = setup()
    expect(await keys.listProfiles()).toEqual({
      activeId: DEFAULT_PROFILE.id,
      profiles: [{ ...DEFAULT_PROFILE, unverified: false }],
    })
    expect(await keys.status('default')).toEqual({
      present: false,
      storage: 'none',
      verified: false,
      info: null,
    })
    expect(await keys.getActiveKey()).toBeNull()
  })

  it('checks the key with GET /key, then keeps it in the real keychain', async () => {
    const { keys, service, profileStore } = setup()
    const status = await keys.set('default', `  ${KEY}\n`)
    expect(server.requestsTo('/key')).toHaveLength(1)
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(status).toMatchObject({ present: true, storage: 'keychain', verified: true })
    expect(status.info).toEqual({
      label: 'sk-or-v1-tes...abc',
      limit: null,
      limit_remaining: null,
      limit_reset: null,
      usage: 12.5,
      usage_daily: 0.25,
      usage_weekly: 1.5,
      usage_monthly: 4.75,
      is_free_tier: false,
    })
    expect(await keytar.getPassword(service, 'default')).toBe(KEY)
    expect(await keys.getKey('default')).toBe(KEY)
    expect(JSON.stringify(status)).not.toContain(KEY)
    expect(JSON.stringify(profileStore.saved)).not.toContain(KEY)
  })

  it('survives a restart: a new service on the same keychain and store sees the key', async () => {
    const first = setup()
    await first.keys.set('default', KEY)
    const again = createKeyService({
      keychain: createKeychain({ keytar, service: first.service }),
      getKeyInfo: keyInfoFetcher(client()),
      profileStore: first.profileStore,
    })
    expect(await again.status('default')).toMatchObject({
      present: true,
      storage: 'keychain',
      verified: true,
      info: null,
    })
    expect(await again.getActiveKey()).toBe(KEY)
  })

  it('does not store a key OpenRouter rejects', async () => {
    const { keys, service } = setup()
    const err = await failure(keys.set('default', WRONG_KEY))
    expect(err.code).toBe('key-rejected')
    expect(JSON.stringify(err.toShape())).not.toContain(WRONG_KEY)
    expect(await keytar.getPassword(service, 'default')).toBeNull()
    expect((await keys.status('default')).present).toBe(false)
  })

  it('keeps the previous key when a new one is rejected', async () => {
    const { keys } = setup()
    await keys.set('default', KEY)
    await failure(keys.set('default', WRONG_KEY))
    expect(await keys.getKey('default')).toBe(KEY)
  })

  it.each([
    ['empty', ''],
    ['blank', '   \n'],
    ['inner space', 'sk-or-v1-test abc'],
    ['tab', 'sk-or-v1-test\tabc'],
    ['newline inside', 'sk-or-v1-test\nabc'],
    ['control character', 'sk-or-v1-test\u0000abc'],
    ['zero-width space', 'sk-or-v1-test\u200babc'],
    ['too long', `sk-or-v1-test${'a'.repeat(MAX_KEY_LENGTH)}`],
    ['not text', 42 as unknown as string],
  ])('refuses a malformed key (%s) before any request', async (_name, raw) => {
    const { keys } = setup()
    const err = await failure(keys.set('default', raw))
    expect(err.code).toBe('invalid-input')
    expect(server.requests).toHaveLength(0)
  })

  it('refuses an unknown profile', async () => {
    const { keys } = setup()
    expect((await failure(keys.set('nope', KEY))).code).toBe('invalid-input')
    expect((await failure(keys.status('nope'))).code).toBe('invalid-input')
  })
})

describe('when the key cannot be checked', () => {
  it('refuses to store it offline unless allowed', async () => {
    const { keys, service } = setup()
    await server.offline()
    const err = await failure(keys.set('default', KEY))
    expect(err.code).toBe('offline')
    expect(await keytar.getPassword(service, 'default')).toBeNull()
  })

  it('stores it unverified when allowed, until the next successful check', async () => {
    const { keys, service, profileStore } = setup()
    await server.offline()
    const status = await keys.set('default', KEY, { allowUnverified: true })
    expect(status).toMatchObject({ present: true, storage: 'keychain', verified: false, info: null })
    expect(status.error?.code).toBe('offline')
    expect(await keytar.getPassword(service, 'default')).toBe(KEY)
    expect(profileStore.saved?.profiles[0]?.unverified).toBe(true)

    // Still offline: verify reports the problem without throwing.
    expect((await keys.verify('default')).verified).toBe(false)

    await server.online()
    const verified = await keys.verify('default')
    expect(verified).toMatchObject({ present: true, verified: true })
    expect(verified.info?.label).toBe('sk-or-v1-tes...abc')
    expect(verified.error).toBeUndefined()
    expect(profileStore.saved?.profiles[0]?.unverified).toBe(false)
  })

  it('stores it unverified on a timeout or an OpenRouter outage too', async () => {
    const { keys } = setup({
      getKeyInfo: keyInfoFetcher(
        createOpenRouterClient({
          baseUrl: server.url,
          getKey: async () => null,
          maxRetries: 0,
          timeoutMs: 100,
        }),
      ),
    })
    server.setFault('/key', { type: 'slow', ms: 1_000 }, { times: 1 })
    expect((await failure(keys.set('default', KEY))).code).toBe('timeout')
    server.setFault('/key', { type: 'slow', ms: 1_000 }, { times: 1 })
    expect(await keys.set('default', KEY, { allowUnverified: true })).toMatchObject({ verified: false })
    server.setFault('/key', 503, { times: 1 })
    expect(await keys.set('default', TEST_KEYS.work, { allowUnverified: true })).toMatchObject({
      verified: false,
      error: { code: 'upstream' },
    })
  })

  it('never stores a rejected key, even when unverified keys are allowed', async () => {
    const { keys } = setup()
    expect((await failure(keys.set('default', WRONG_KEY, { allowUnverified: true }))).code).toBe(
      'key-rejected',
    )
    expect((await keys.status('default')).present).toBe(false)
  })

  it('markVerified clears the flag after any successful keyed call', async () => {
    const { keys, profileStore } = setup()
    await server.offline()
    await keys.set('default', KEY, { allowUnverified: true })
    await keys.markVerified('default')
    expect((await keys.status('default')).verified).toBe(true)
    expect(profileStore.saved?.profiles[0]?.unverified).toBe(false)
  })

  it('markFailed with key-rejected makes status unverified and explains why', async () => {
    const { keys } = setup()
    await keys.set('default', KEY)
    await keys.markFailed('default', {
      code: 'key-rejected',
      message: 'OpenRouter rejected the API key (HTTP 401)',
    })
    expect(await keys.status('default')).toMatchObject({ verified: false, error: { code: 'key-rejected' } })
    await keys.markVerified('default')
    expect((await keys.status('default')).verified).toBe(true)
  })

  it('verify marks a key that was revoked since it was stored', async () => {
    const { keys } = setup()
    await keys.set('default', KEY)
    server.setKeys({})
    try {
      expect(await keys.verify('default')).toMatchObject({
        present: true,
        verified: false,
        error: { code: 'key-rejected' },
      })
    } finally {
      server.setKeys((await import('../fake-openrouter/server')).defaultKeys())
    }
  })
})

describe('clearing', () => {
  it('removes the key from the keychain and resets the status', async () => {
    const { keys, service } = setup()
    await keys.set('default', KEY)
    await keys.clear('default')
    expect(await keytar.getPassword(service, 'default')).toBeNull()
    expect(await keys.status('default')).toEqual({
      present: false,
      storage: 'none',
      verified: false,
      info: null,
    })
    await keys.clear('default')
  })
})

describe('the key in logs', () => {
  it.each(OTHER_KEY_SHAPES)(
    '%s is redacted exactly while held, from the keychain too',
    async (_label, key) => {
      server.setKeys({ ...defaultKeys(), [key]: { label: 'odd-shaped key' } })
      const lines: string[] = []
      const stop = addLogSink((_level, line) => lines.push(line))
      setConsoleLogging(false)
      try {
        const { keys, service } = setup()
        await keys.set('default', key)
        log.warn(`upstream said: bad ${key}`)
        // A fresh run that only reads the key back from the keychain knows it too.
        const again = setup({ service })
        expect(await again.keys.getKey('default')).toBe(key)
        log.warn(`upstream said: bad ${key}`)
        expect(lines).toEqual(['upstream said: bad …redacted', 'upstream said: bad …redacted'])
        expect(leakedPiece(redact(key), key)).toBeNull()
        await keys.clear('default')
        await again.keys.clear('default')
        // Cleared everywhere: the logger no longer holds it (an sk-or- key is still caught by its pattern).
        expect(redact(`x ${key}`)).not.toBe('x …redacted')
      } finally {
        stop()
        server.setKeys(defaultKeys())
      }
    },
  )
})

describe('a damaged or newer profiles file never strands a key', () => {
  const dirs: string[] = []
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  })
  function onFile(state: unknown) {
    const dir = mkdtempSync(join(tmpdir(), 'md-key-profiles-'))
    dirs.push(dir)
    const file = join(dir, 'profiles.json')
    writeFileSync(file, typeof state === 'string' ? state : JSON.stringify(state))
    const service = `Model Deck test ${randomUUID()}`
    services.push(service)
    const open = () =>
      createKeyService({
        keychain: createKeychain({ keytar, service }),
        getKeyInfo: keyInfoFetcher(client()),
        profileStore: createFileProfileStore(file),
      })
    return { file, service, open }
  }

  it('keeps the key of every good entry when one entry is bad, and finds the stranded one', async () => {
    const { file, service, open } = onFile({
      version: 1,
      activeId: 'p-home',
      profiles: [
        { id: 'p-home', name: 'Personal', unverified: false },
        { id: 'p-work', name: 'Work', unverified: false },
      ],
    })
    const before = open()
    await before.set('p-home', KEY)
    await before.set('p-work', TEST_KEYS.work)
    // A stranded entry: its profile entry lost its id (hand edit, bad sync).
    await keytar.setPassword(service, 'p-lost', TEST_KEYS.freeTier)
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        activeId: 'p-home',
        profiles: [{ id: 'p-home', name: 'Personal', unverified: false }, { name: 'Work' }, { id: 'p-work' }],
      }),
    )
    const after = open()
    expect((await after.listProfiles()).profiles.map((p) => p.id)).toEqual(['p-home', 'p-work'])
    expect(await after.getKey('p-home')).toBe(KEY)
    expect(await after.getKey('p-work')).toBe(TEST_KEYS.work)
    expect(await after.orphanedKeys()).toEqual(['p-lost'])
    expect(JSON.stringify(await after.orphanedKeys())).not.toContain(TEST_KEYS.freeTier)
    // Only orphans can be removed, whatever is asked for.
    expect(await after.removeOrphanedKeys(['p-home', 'p-lost', 'nobody'])).toEqual(['p-lost'])
    expect(await keytar.getPassword(service, 'p-lost')).toBeNull()
    expect(await keytar.getPassword(service, 'p-home')).toBe(KEY)
    expect(await after.orphanedKeys()).toEqual([])
  })

  it('lists the entry of a profiles file lost whole, so it can be found and removed', async () => {
    const { file, service, open } = onFile({
      version: 1,
      activeId: 'p-old',
      profiles: [{ id: 'p-old', name: 'Personal', unverified: false }],
    })
    await open().set('p-old', KEY)
    writeFileSync(file, '{"version":1,"activeId":')
    const after = open()
    const { activeId } = await after.listProfiles()
    expect(activeId).not.toBe('p-old')
    expect(await after.orphanedKeys()).toEqual(['p-old'])
    expect(await after.removeOrphanedKeys()).toEqual(['p-old'])
    expect(await keytar.getPassword(service, 'p-old')).toBeNull()
  })

  it('opens a newer file read-only: keys work, profile changes are refused, the file is never rewritten', async () => {
    const original = JSON.stringify({
      version: 3,
      activeId: 'p-work',
      profiles: [
        { id: 'p-home', name: 'Personal', unverified: false },
        { id: 'p-work', name: 'Work', unverified: false, sso: true },
      ],
    })
    const { file, service, open } = onFile(original)
    await keytar.setPassword(service, 'p-work', TEST_KEYS.work)
    const keys = open()
    expect(await keys.listProfiles()).toEqual({
      activeId: 'p-work',
      profiles: [
        { id: 'p-home', name: 'Personal', unverified: false },
        { id: 'p-work', name: 'Work', unverified: false },
      ],
    })
    expect(await keys.getActiveKey()).toBe(TEST_KEYS.work)
    expect(keys.profilesReadOnly()).toMatch(/newer Model Deck \(format 3\)/)
    for (const change of [
      () => keys.createProfile('Third'),
      () => keys.renameProfile('p-home', 'Home'),
      () => keys.deleteProfile('p-home'),
      () => keys.setActive('p-home'),
    ]) {
      const err = await failure(change())
      expect(err.code).toBe('store-read-only')
      expect(err.message).toMatch(/profiles\.json was written by a newer Model Deck/)
    }
    expect((await keys.listProfiles()).profiles).toHaveLength(2)
    // A key can still be stored for an existing profile: the keychain is not the file.
    expect((await keys.set('p-home', KEY)).present).toBe(true)
    expect(await keytar.getPassword(service, 'p-home')).toBe(KEY)
    expect(readFileSync(file, 'utf8')).toBe(original)
    expect(readdirSync(join(file, '..'))).toEqual(['profiles.json'])
  })
})

describe('profiles', () => {
  it('keeps one key per profile, each in its own keychain account', async () => {
    let n = 0
    const { keys, service, profileStore } = setup({ newId: () => `p${++n}` })
    const work = await keys.createProfile('  Work org ')
    expect(work).toEqual({ id: 'p1', name: 'Work org' })
    await keys.set('default', KEY)
    await keys.set(work.id, TEST_KEYS.work)
    expect(await keytar.getPassword(service, 'default')).toBe(KEY)
    expect(await keytar.getPassword(service, 'p1')).toBe(TEST_KEYS.work)
    expect((await keys.status(work.id)).info?.limit).toBe(100)

    expect(await keys.getActiveKey()).toBe(KEY)
    await keys.setActive(work.id)
    expect(await keys.activeId()).toBe('p1')
    expect(await keys.getActiveKey()).toBe(TEST_KEYS.work)
    expect(profileStore.saved?.activeId).toBe('p1')

    await keys.renameProfile(work.id, 'Work')
    expect((await keys.listProfiles()).profiles.map((p) => p.name)).toEqual(['Personal', 'Work'])
    expect(JSON.stringify(profileStore.saved)).not.toMatch(/sk-or-v1/)
  })

  it('refuses duplicate or empty names', async () => {
    const { keys } = setup()
    expect((await failure(keys.createProfile('personal'))).code).toBe('invalid-input')
    expect((await failure(keys.createProfile('  '))).code).toBe('invalid-input')
    expect((await failure(keys.createProfile('a\nb'))).code).toBe('invalid-input')
    expect((await failure(keys.createProfile('x'.repeat(61)))).code).toBe('invalid-input')
  })

  it('deletes a profile with its key, moves the active profile, and keeps the last one', async () => {
    const { keys, service } = setup({ newId: () => 'work' })
    await keys.createProfile('Work')
    await keys.set('work', TEST_KEYS.work)
    await keys.setActive('work')
    await keys.deleteProfile('work')
    expect(await keytar.getPassword(service, 'work')).toBeNull()
    expect(await keys.activeId()).toBe('default')
    expect((await failure(keys.deleteProfile('default'))).code).toBe('invalid-input')
  })

  it('repairs a damaged saved state instead of locking the user out', async () => {
    const { keys } = setup({
      initial: {
        version: 1,
        activeId: 'gone',
        profiles: [
          { id: 'a', name: 'A', unverified: true },
          { id: 'a', name: 'dup', unverified: false },
          { id: '', name: 'bad', unverified: false },
        ],
      } as ProfilesState,
    })
    expect(await keys.listProfiles()).toEqual({
      activeId: 'a',
      profiles: [{ id: 'a', name: 'A', unverified: true }],
    })
  })

  it('serialises concurrent changes so none is lost', async () => {
    let n = 0
    const { keys, profileStore } = setup({ newId: () => `p${++n}` })
    await Promise.all(['One', 'Two', 'Three', 'Four'].map((name) => keys.createProfile(name)))
    expect(profileStore.saved?.profiles).toHaveLength(5)
  })
})

describe('without a usable keychain', () => {
  // keytar in a child process with no session bus: the real "Cannot autolaunch D-Bus" failure.
  const broken = () =>
    createKeychain({ keytar: childProcessKeytar(noBusEnv()), service: 'Model Deck broken', env: {} })

  it('refuses to store the key and says why', async () => {
    const { keys } = setup({ keychain: broken() })
    const err = await failure(keys.set('default', KEY))
    expect(err.code).toBe('keychain-unavailable')
    expect(err.message).toMatch(/D-Bus/)
    expect(JSON.stringify(err.toShape())).not.toContain(KEY)
    expect((await keys.status('default')).error?.code).toBe('keychain-unavailable')
  })

  it('holds the key in memory only when asked, and forgets it on restart', async () => {
    const { keys, profileStore } = setup({ keychain: broken() })
    const status = await keys.set('default', KEY, { sessionOnly: true })
    expect(status).toMatchObject({ present: true, storage: 'session', verified: true })
    expect(await keys.getActiveKey()).toBe(KEY)
    expect(JSON.stringify(profileStore.saved)).not.toContain(KEY)

    const restarted = createKeyService({
      keychain: broken(),
      getKeyInfo: keyInfoFetcher(client()),
      profileStore,
    })
    const after = await restarted.status('default')
    expect(after.present).toBe(false)
    expect(after.error?.code).toBe('keychain-unavailable')
  })

  it('can clear a session-only key even though the keychain is down', async () => {
    const { keys } = setup({ keychain: broken() })
    await keys.set('default', KEY, { sessionOnly: true })
    await keys.clear('default')
    expect(await keys.getKey('default').catch((e: AppError) => e.code)).toBe('keychain-unavailable')
  })

  it('session-only on a working keychain removes an older stored key', async () => {
    const { keys, service } = setup()
    await keys.set('default', KEY)
    await keys.set('default', TEST_KEYS.work, { sessionOnly: true })
    expect(await keytar.getPassword(service, 'default')).toBeNull()
    expect(await keys.status('default')).toMatchObject({ storage: 'session', present: true })
  })
})

describe('parseKeyInfo', () => {
  it('is lenient with odd fields and strict with the envelope', () => {
    expect(parseKeyInfo({ data: { label: 5, limit: '10', usage: 1, is_free_tier: true } })).toEqual({
      label: null,
      limit: null,
      limit_remaining: null,
      limit_reset: null,
      usage: 1,
      usage_daily: null,
      usage_weekly: null,
      usage_monthly: null,
      is_free_tier: true,
    })
    expect(() => parseKeyInfo({ data: [] })).toThrow(AppError)
    expect(() => parseKeyInfo(null)).toThrow(AppError)
  })
})
