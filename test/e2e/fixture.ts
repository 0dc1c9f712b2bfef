import { test as base } from 'vitest'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import keytar from '@github/keytar'
import type { BrowserContext } from 'playwright-core'
import { startHarness, type Harness } from '../harness/harness-server'
import { startFakeOpenRouter, type FakeOpenRouter } from '../fake-openrouter/server'
import { launchBrowser, newAppPage, type Viewport } from './browser'

/**
 * The one set-up every e2e file shares: a real Chromium, a fake OpenRouter on loopback, a temp data
 * folder and the harness serving the built renderer against it. The browser, the fake, the folder
 * and the seeded app are file-scoped (made once, on first use, and torn down after the file's last
 * test), because the tests of a file build on each other's state; pages are per test and closed
 * after it even when it fails, so a stray page cannot save view state into the next test.
 *
 *   const it = appTest({ name: 'compare', seed: async ({ harness }) => { … } })
 *   it('…', async ({ harness, openPage }) => { const { page } = await openPage('#/compare', 'dark') })
 */

export type Theme = 'light' | 'dark'
export type OpenedPage = Awaited<ReturnType<typeof newAppPage>>

export const KEYCHAIN_SERVICE = 'Model Deck'

export interface BrowserSetup {
  /** What the fake OpenRouter serves at first; the recorded catalog when absent. */
  models?: unknown[]
}

/** Browser and fake OpenRouter only, for files that start their own harnesses. */
export function browserTest(setup: BrowserSetup = {}) {
  return (
    base
      // Vitest reads each fixture's dependencies from its first parameter's pattern: `{}` is none.
      // eslint-disable-next-line no-empty-pattern
      .extend('browser', { scope: 'file' }, async ({}, { onCleanup }) => {
        const browser = await launchBrowser()
        onCleanup(() => browser.close())
        return browser
      })
      // eslint-disable-next-line no-empty-pattern
      .extend('fake', { scope: 'file' }, async ({}, { onCleanup }) => {
        const fake = await startFakeOpenRouter(setup.models ? { models: setup.models } : {})
        onCleanup(() => fake.close())
        return fake
      })
      .extend('newPage', async ({ browser }, { onCleanup }) => {
        const contexts: BrowserContext[] = []
        onCleanup(async () => {
          await Promise.all(contexts.splice(0).map((c) => c.close()))
        })
        /** A fresh context and page at `url`, closed after this test. */
        return async (url: string, theme: Theme = 'light', viewport?: Viewport): Promise<OpenedPage> => {
          const opened = await newAppPage(browser, url, theme, viewport)
          contexts.push(opened.context)
          return opened
        }
      })
  )
}

/**
 * Writes profiles.json with one profile of a random id (`prefix-<uuid>`) before a harness starts on
 * `dataDir`, so parallel test files never share a keychain entry. Returns the id.
 */
export function writeOwnProfile(dataDir: string, prefix: string): string {
  const id = `${prefix}-${randomUUID()}`
  writeFileSync(
    join(dataDir, 'profiles.json'),
    JSON.stringify({ version: 1, activeId: id, profiles: [{ id, name: 'Personal', unverified: false }] }),
  )
  return id
}

export interface SeedContext {
  harness: Harness
  fake: FakeOpenRouter
  dataDir: string
  /** The file's own profile when `ownProfile` is set, else the harness's active one. */
  profileId: string
}

export interface AppSetup<Seed> extends BrowserSetup {
  /** Names the temp folder (md-e2e-<name>-…), so a leftover says which file made it. */
  name: string
  /**
   * A profile of the file's own, written to profiles.json before the harness starts (random id
   * with this prefix), so parallel files never share a keychain entry; the entry is deleted after.
   */
  ownProfile?: string
  /** The data folder is this sub-folder of `tempDir`, for tests that write files beside it. */
  dataSubdir?: string
  /** Runs just before the harness starts (to catch its start-up logs, say); the function it returns runs after the file. */
  beforeHarness?: () => () => void
  /** Runs once the harness is up, before the first test needs it: keys, refreshes, fake changes. Its result is `seeded`. */
  seed?: (app: SeedContext) => Promise<Seed>
}

/** A whole app: the browser test plus a data folder, a harness on it and the file's seed. */
export function appTest<Seed = undefined>(setup: AppSetup<Seed>) {
  return (
    browserTest(setup)
      // eslint-disable-next-line no-empty-pattern
      .extend('tempDir', { scope: 'file' }, async ({}, { onCleanup }) => {
        const dir = mkdtempSync(join(tmpdir(), `md-e2e-${setup.name}-`))
        onCleanup(() => rmSync(dir, { recursive: true, force: true }))
        return dir
      })
      .extend('dataDir', { scope: 'file' }, ({ tempDir }) => {
        if (!setup.dataSubdir) return tempDir
        const dir = join(tempDir, setup.dataSubdir)
        mkdirSync(dir, { recursive: true })
        return dir
      })
      .extend('ownProfileId', { scope: 'file' }, ({ dataDir }, { onCleanup }) => {
        if (!setup.ownProfile) return null
        const id = writeOwnProfile(dataDir, setup.ownProfile)
        onCleanup(async () => {
          await keytar.deletePassword(KEYCHAIN_SERVICE, id).catch(() => false)
        })
        return id
      })
      // One fixture starts the harness and seeds it, so a test that reads `harness` sees the seeded
      // app. A test may close it and start another (`reopenHarness`): `app.harness` is then the new
      // one, and so is `harness` in every later test; a file's own file-scoped fixtures read `app.harness`.
      .extend('app', { scope: 'file' }, async ({ dataDir, fake, ownProfileId }, { onCleanup }) => {
        const undo = setup.beforeHarness?.()
        const harness = await startHarness({ dataDir, apiBase: fake.url }).catch((err: unknown) => {
          undo?.()
          throw err
        })
        const app: { harness: Harness; profileId: string; seeded: Seed } = {
          harness,
          profileId: '',
          seeded: undefined as Seed,
        }
        onCleanup(async () => {
          await app.harness.close()
          undo?.()
        })
        app.profileId = ownProfileId ?? (await app.harness.services.keys.activeId())
        if (setup.seed)
          app.seeded = await setup.seed({ harness: app.harness, fake, dataDir, profileId: app.profileId })
        return app
      })
      .extend('harness', ({ app }) => app.harness)
      .extend('profileId', { scope: 'file' }, ({ app }) => app.profileId)
      .extend('seeded', { scope: 'file' }, ({ app }) => app.seeded)
      .extend('reopenHarness', ({ app, dataDir, fake }) => {
        /** After the test closed `harness` (to damage a file, say): a new one on the same folder. */
        return async (): Promise<Harness> => {
          app.harness = await startHarness({ dataDir, apiBase: fake.url })
          return app.harness
        }
      })
      .extend('openPage', ({ app, newPage }) => {
        /** A fresh page on the (current) harness at `path`, e.g. `#/compare`, closed after this test. */
        return (path = '', theme: Theme = 'light', viewport?: Viewport): Promise<OpenedPage> =>
          newPage(`${app.harness.url}${path}`, theme, viewport)
      })
  )
}
