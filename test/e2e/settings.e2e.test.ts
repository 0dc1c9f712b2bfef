import { describe, expect } from 'vitest'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import keytar from '@github/keytar'
import type { BrowserContext, Page } from 'playwright-core'
import { startHarness, type Harness } from '../harness/harness-server'
import {
  keyLabel,
  recordedModels,
  TEST_KEYS,
  WRONG_KEY,
  DEFAULT_USER_EXCLUDED_IDS,
} from '../fake-openrouter/server'
import { newAppPage, screenshot } from './browser'
import { browserTest, KEYCHAIN_SERVICE, writeOwnProfile, type Theme } from './fixture'
import type { RawModel } from '../../src/shared/model/raw'
import { keychainError } from '../../src/main/services/keychain'

const PUBLIC_MODELS = recordedModels().length
const ALLOWED_MODELS = PUBLIC_MODELS - DEFAULT_USER_EXCLUDED_IDS.length

interface App {
  harness: Harness
  dataDir: string
  /** The first profile's id: unique per test, so parallel test files never share a keychain entry. */
  profileId: string
}

// Every test starts an app of its own (own data folder and profile) on the file's browser and fake
// OpenRouter; after it, the fake is back online and the app, its pages and its keychain entries are gone.
const it = browserTest()
  .extend('session', ({ browser, fake }, { onCleanup }) => {
    const apps: App[] = []
    const contexts: BrowserContext[] = []
    onCleanup(async () => {
      await fake.online()
      fake.clearFaults()
      for (const context of contexts.splice(0)) await context.close()
      for (const app of apps.splice(0)) {
        const { profiles } = await app.harness.services.keys.listProfiles()
        await app.harness.close()
        for (const p of profiles) await keytar.deletePassword(KEYCHAIN_SERVICE, p.id)
        rmSync(app.dataDir, { recursive: true, force: true })
      }
    })

    async function startApp(): Promise<App> {
      const dataDir = mkdtempSync(join(tmpdir(), 'md-e2e-settings-'))
      const profileId = writeOwnProfile(dataDir, 'e2e-settings')
      const harness = await startHarness({ dataDir, apiBase: fake.url })
      const app = { harness, dataDir, profileId }
      apps.push(app)
      return app
    }

    /**
     * `errors()` lists page errors, failed resources included, except the harness's missing favicon:
     * the app under app:// has none to fetch.
     */
    async function openSettings(
      app: App,
      theme: Theme = 'light',
    ): Promise<{ page: Page; errors: () => string[] }> {
      const { context, page, errors: raw } = await newAppPage(browser, app.harness.url, theme)
      contexts.push(context)
      const badResources: string[] = []
      page.on('response', (r) => {
        if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico')
          badResources.push(`${r.status()} ${r.url()}`)
      })
      const errors = () => [...raw.filter((e) => !e.startsWith('Failed to load resource')), ...badResources]
      await page.click('nav a[href="#/settings"]')
      await page.waitForSelector('[data-testid="key-none"], [data-testid="key-label"]')
      return { page, errors }
    }

    return { startApp, openSettings }
  })
  .extend('startApp', ({ session }) => session.startApp)
  .extend('openSettings', ({ session }) => session.openSettings)

describe('Settings: the API key and profiles in a real browser', () => {
  async function enterKey(page: Page, key: string): Promise<void> {
    await page.fill('[data-testid="key-input"]', key)
    await page.click('[data-testid="key-submit"]')
  }

  const text = (page: Page, testid: string) =>
    page.locator(`[data-testid="${testid}"]`).innerText({ timeout: 5_000 })
  const eventually = { timeout: 15_000 }
  const keyStatus = (page: Page) => page.evaluate(async () => window.api.key.status({}))

  it('lists a keychain entry no profile names, and removes it only on the second click', async ({
    startApp,
    openSettings,
  }) => {
    const orphan = `p-orphan-${randomUUID().slice(0, 8)}`
    await keytar.setPassword(KEYCHAIN_SERVICE, orphan, TEST_KEYS.work)
    try {
      const app = await startApp()
      const { page, errors } = await openSettings(app)
      const row = page.locator('[data-testid="orphan-key"]', { hasText: orphan })
      await row.waitFor(eventually)
      // This profile's own entry is never listed.
      expect(await page.locator('[data-testid="orphan-key"]', { hasText: app.profileId }).count()).toBe(0)
      await screenshot(page, 'settings-orphan-keys-light')
      const button = page.locator(`[data-testid="orphan-remove-${orphan}"]`)
      await button.click()
      expect(await button.innerText()).toBe('Remove from the keychain')
      expect(await keytar.getPassword(KEYCHAIN_SERVICE, orphan)).toBe(TEST_KEYS.work)
      await button.click()
      await row.waitFor({ state: 'detached', ...eventually })
      expect(await keytar.getPassword(KEYCHAIN_SERVICE, orphan)).toBeNull()
      // The window saw account names only, never a key.
      expect(await page.content()).not.toContain(TEST_KEYS.work)
      expect(errors()).toEqual([])
    } finally {
      await keytar.deletePassword(KEYCHAIN_SERVICE, orphan)
    }
  })

  it('a valid key shows its masked label, limits and usage, and the catalog then loads the allowed models', async ({
    startApp,
    openSettings,
  }) => {
    const app = await startApp()
    const { page, errors } = await openSettings(app)
    expect(await text(page, 'key-none')).toContain('No key for “Personal”')

    await enterKey(page, TEST_KEYS.personal)
    await page.waitForSelector('[data-testid="key-badge-verified"]')
    // The form forgets the key as soon as it is submitted.
    expect(await page.inputValue('[data-testid="key-input"]')).toBe('')
    expect(await text(page, 'key-label')).toBe(keyLabel(TEST_KEYS.personal))
    expect(await text(page, 'key-limit')).toBe('No limit')
    expect(await text(page, 'key-usage-daily')).toBe('$0.25')
    expect(await text(page, 'key-usage-weekly')).toBe('$1.50')
    expect(await text(page, 'key-usage-monthly')).toBe('$4.75')
    expect(await text(page, 'key-plan')).toBe('Paid')
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, app.profileId)).toBe(TEST_KEYS.personal)
    await screenshot(page, 'settings-key-light')

    await page.click('[data-testid="key-refresh-catalog"]')
    await expect.poll(() => text(page, 'key-refreshed'), eventually).toContain(`${ALLOWED_MODELS} models`)
    await page.click('[data-testid="key-refreshed"] a')
    await page.waitForSelector('section.view h1#catalog-title')
    const catalog = await app.harness.services.catalog.get({})
    expect(catalog.user?.models).toHaveLength(ALLOWED_MODELS)
    expect(catalog.all?.models).toHaveLength(PUBLIC_MODELS)
    const rows = page.locator('[data-testid="catalog-row"]')
    await rows.first().waitFor()
    expect(await rows.count()).toBeGreaterThan(10)

    // Reopened in the dark theme: the key is still there, shown only by its label.
    const dark = await openSettings(app, 'dark')
    await dark.page.waitForSelector('[data-testid="key-badge-verified"]')
    expect(await text(dark.page, 'key-label')).toBe(keyLabel(TEST_KEYS.personal))
    await screenshot(dark.page, 'settings-key-dark')
    expect(errors()).toEqual([])
    expect(dark.errors()).toEqual([])
  })

  it('a wrong key is rejected and nothing is stored', async ({ startApp, openSettings }) => {
    const app = await startApp()
    const { page, errors } = await openSettings(app)
    await enterKey(page, WRONG_KEY)
    const error = page.locator('[data-testid="key-error"]')
    await error.waitFor()
    expect(await error.innerText()).toMatch(/Rejected/)
    expect(await error.innerText()).toMatch(/Nothing was stored/)
    expect(await page.inputValue('[data-testid="key-input"]')).toBe('')
    await page.locator('[data-testid="key-none"]').waitFor()
    expect(await keyStatus(page)).toMatchObject({ ok: true, data: { present: false } })
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, app.profileId)).toBeNull()
    await screenshot(page, 'settings-rejected-light')

    // The error clears with the next attempt, which succeeds.
    await enterKey(page, TEST_KEYS.personal)
    await page.waitForSelector('[data-testid="key-badge-verified"]')
    expect(await page.locator('[data-testid="key-error"]').count()).toBe(0)
    expect(errors()).toEqual([])
  })

  it('offline: the connection test and a failed refresh say so, and a key can be stored unverified', async ({
    startApp,
    openSettings,
    fake,
  }) => {
    const app = await startApp()
    const { page, errors } = await openSettings(app)
    await fake.offline()

    await page.click('nav a[href="#/catalog"]')
    await page.click('[data-testid="catalog-refresh"]')
    await page.locator('[data-testid="offline-badge"]').waitFor()
    await page.click('nav a[href="#/settings"]')

    await page.click('[data-testid="test-connection"]')
    const result = page.locator('[data-testid="test-connection-result"]')
    await result.waitFor()
    expect(await result.innerText({ timeout: 5_000 })).toMatch(/Offline/)
    expect(await result.innerText({ timeout: 5_000 })).toMatch(/Could not reach OpenRouter/)

    await enterKey(page, TEST_KEYS.personal)
    const prompt = page.locator('[data-testid="key-prompt"]')
    await prompt.waitFor()
    expect(await prompt.innerText()).toContain('Store it anyway?')
    expect(await page.inputValue('[data-testid="key-input"]')).toBe('')
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, app.profileId)).toBeNull()

    await page.click('[data-testid="key-store-anyway"]')
    await page.waitForSelector('[data-testid="key-badge-unverified"]')
    expect(await text(page, 'key-status-error')).toMatch(/could not be checked/)
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, app.profileId)).toBe(TEST_KEYS.personal)
    await page.evaluate(() => document.querySelector('.view-body')?.scrollTo(0, 0))
    await screenshot(page, 'settings-offline-light')

    // Back online, one check verifies the key and fills in its details.
    await fake.online()
    await page.click('button:has-text("Check now")')
    await page.waitForSelector('[data-testid="key-badge-verified"]')
    expect(await text(page, 'key-label')).toBe(keyLabel(TEST_KEYS.personal))
    await page.click('[data-testid="test-connection"]')
    await expect
      .poll(() => result.innerText({ timeout: 5_000 }), eventually)
      .toMatch(new RegExp(`${PUBLIC_MODELS} public models`))
    await page.locator('[data-testid="offline-badge"]').waitFor({ state: 'detached' })
    expect(errors()).toEqual([])
  })

  it('profiles keep separate keys: create, switch, rename and delete with confirmation', async ({
    startApp,
    openSettings,
  }) => {
    const app = await startApp()
    await app.harness.services.keys.set(app.profileId, TEST_KEYS.personal)
    const { page, errors } = await openSettings(app)
    expect(await text(page, 'key-label')).toBe(keyLabel(TEST_KEYS.personal))

    await page.fill('[data-testid="profile-new-name"]', 'Work org')
    await page.click('[data-testid="profile-create"]')
    await expect.poll(() => text(page, 'header-profile'), eventually).toBe('Profile: Work org')
    await page.locator('[data-testid="key-none"]').waitFor()
    expect(await text(page, 'key-none')).toContain('No key for “Work org”')

    await enterKey(page, TEST_KEYS.work)
    await page.waitForSelector('[data-testid="key-badge-verified"]')
    expect(await text(page, 'key-label')).toBe(keyLabel(TEST_KEYS.work))
    expect(await text(page, 'key-limit')).toBe('$100.00')
    expect(await text(page, 'key-limit-remaining')).toBe('$61.20')
    expect(await text(page, 'key-limit-reset')).toBe('Monthly')
    const workId = (await app.harness.services.keys.listProfiles()).activeId
    expect(workId).not.toBe(app.profileId)
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, workId)).toBe(TEST_KEYS.work)

    const catalogLoadsBefore = app.harness.ipcLog.filter((e) => e.channel === 'catalog:get').length
    await page.click(
      '[data-testid="profile-row"][data-profile-name="Personal"] [data-testid="profile-switch"]',
    )
    await expect.poll(() => text(page, 'header-profile'), eventually).toBe('Profile: Personal')
    await expect.poll(() => text(page, 'key-label'), eventually).toBe(keyLabel(TEST_KEYS.personal))
    // The catalog follows the profile: it is reloaded for the one now active.
    const loads = app.harness.ipcLog.filter((e) => e.channel === 'catalog:get')
    expect(loads.length).toBeGreaterThan(catalogLoadsBefore)
    expect(loads.at(-1)?.result).toMatchObject({ ok: true, data: { profileId: app.profileId } })
    await screenshot(page, 'settings-profiles-light')

    const work = page.locator('[data-testid="profile-row"][data-profile-name="Work org"]')
    await work.locator('button:has-text("Rename")').click()
    await page.fill('[data-testid="profile-rename-input"]', 'Work')
    await page.keyboard.press('Enter')
    await page.locator('[data-testid="profile-row"][data-profile-name="Work"]').waitFor()

    // Deleting asks first; Cancel keeps everything.
    await page.click('[data-testid="profile-row"][data-profile-name="Work"] button:has-text("Delete")')
    await page.click('[role="alertdialog"] button:has-text("Cancel")')
    expect(await page.locator('[data-testid="profile-row"]').count()).toBe(2)
    await page.click('[data-testid="profile-row"][data-profile-name="Work"] button:has-text("Delete")')
    await page.click('[role="alertdialog"] button:has-text("Delete profile")')
    await page.locator('[data-testid="profile-row"][data-profile-name="Work"]').waitFor({ state: 'detached' })
    expect(await page.locator('[data-testid="profile-row"]').count()).toBe(1)
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, workId)).toBeNull()
    // The last profile cannot be deleted.
    expect(await page.locator('[data-testid="profile-row"] button:has-text("Delete")').isDisabled()).toBe(
      true,
    )

    // A duplicate name is refused where it was typed.
    await page.fill('[data-testid="profile-new-name"]', 'personal')
    await page.click('[data-testid="profile-create"]')
    await expect.poll(() => text(page, 'profiles-error'), eventually).toContain('already exists')
    expect(errors()).toEqual([])
  })

  it('a broken system keyring offers "this session only" and never a plain file', async ({
    startApp,
    openSettings,
  }) => {
    const app = await startApp()
    const { page, errors } = await openSettings(app)
    // The real keyring cannot be broken for one test without breaking the others: main's own error for
    // a missing Secret Service is played back for the first attempt, and the resend goes to main for real.
    const sent: unknown[] = []
    await page.route('**/__ipc/key%3Aset', async (route) => {
      const body = route.request().postDataJSON() as { sessionOnly?: boolean }
      sent.push({ sessionOnly: body.sessionOnly })
      if (body.sessionOnly) return route.continue()
      const error = keychainError(
        new Error('The name org.freedesktop.secrets was not provided by any .service files'),
        {
          action: 'save to',
        },
      )
      await route.fulfill({ json: { ok: false, error: error.toShape() } })
    })

    await enterKey(page, TEST_KEYS.personal)
    const prompt = page.locator('[data-testid="key-prompt"]')
    await prompt.waitFor()
    expect(await prompt.innerText()).toContain('No keyring service (Secret Service) is running')
    expect(await page.inputValue('[data-testid="key-input"]')).toBe('')
    await screenshot(page, 'settings-keychain-light')

    await page.click('[data-testid="key-session-only"]')
    await page.waitForSelector('[data-testid="key-badge-session"]')
    expect(await text(page, 'key-label')).toBe(keyLabel(TEST_KEYS.personal))
    expect(await text(page, 'key-session-note')).toContain('forgotten when Model Deck quits')
    expect(sent).toEqual([{ sessionOnly: undefined }, { sessionOnly: true }])
    expect(await keyStatus(page)).toMatchObject({ ok: true, data: { present: true, storage: 'session' } })
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, app.profileId)).toBeNull()
    expect(errors()).toEqual([])
  })

  it('removing the key asks first, then leaves nothing in the keyring', async ({
    startApp,
    openSettings,
  }) => {
    const app = await startApp()
    await app.harness.services.keys.set(app.profileId, TEST_KEYS.freeTier)
    const { page, errors } = await openSettings(app)
    await page.waitForSelector('[data-testid="key-badge-free"]')
    expect(await text(page, 'key-plan')).toBe('Free tier')

    await page.click('button:has-text("Remove key")')
    await page.click('[role="alertdialog"] button:has-text("Cancel")')
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, app.profileId)).toBe(TEST_KEYS.freeTier)

    await page.click('button:has-text("Remove key")')
    await page.click('[role="alertdialog"] button:has-text("Remove key")')
    await page.locator('[data-testid="key-none"]').waitFor()
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, app.profileId)).toBeNull()
    expect(errors()).toEqual([])
  })

  it('a late answer to an earlier request never undoes a setting the user just changed', async ({
    startApp,
    openSettings,
  }) => {
    const app = await startApp()
    const { page, errors } = await openSettings(app)
    // Choosing a region saves it and then re-reads the settings (for the API host). Hold that
    // re-read's answer back, and change the theme meanwhile: the re-read was answered before the
    // theme was saved, so it still says "light" when it finally arrives.
    let release: () => void = () => undefined
    const released = new Promise<void>((resolve) => (release = resolve))
    let held = 0
    let delivered = 0
    await page.route('**/__ipc/settings%3Aget', async (route) => {
      const response = await route.fetch()
      held++
      await released
      await route.fulfill({ response })
      delivered++
    })
    await page.check('[data-testid="region-eu"]')
    await expect.poll(() => held, eventually).toBe(1)
    await page.check('input[name="theme"][value="dark"]')
    await expect.poll(async () => (await app.harness.services.settings.get()).theme, eventually).toBe('dark')
    release()
    await expect.poll(() => delivered, eventually).toBe(1)
    await page.unroute('**/__ipc/settings%3Aget')
    // Give the page time to apply (or, rightly, drop) the stale answer.
    await page.waitForTimeout(300)
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    expect(await page.isChecked('input[name="theme"][value="dark"]')).toBe(true)
    expect(await page.isChecked('[data-testid="region-eu"]')).toBe(true)
    expect(errors()).toEqual([])
  })

  it('connection, refresh, retention and data settings are saved and explained', async ({
    startApp,
    openSettings,
    fake,
  }) => {
    const app = await startApp()
    const profile = app.profileId
    const models = recordedModels() as unknown as RawModel[]
    for (const count of [100, 200, 300]) {
      await app.harness.services.store.save({
        source: 'all',
        region: 'global',
        profile,
        models: models.slice(0, count),
        skipped: 0,
      })
    }
    const { page, errors } = await openSettings(app)

    expect(await text(page, 'data-dir')).toBe(app.dataDir)
    expect(await text(page, 'api-host')).toBe(new URL(fake.url).host)
    await page.locator('[data-testid="api-host-custom"]').waitFor()

    await page.click('[data-testid="test-connection"]')
    await expect
      .poll(() => text(page, 'test-connection-result'), eventually)
      .toMatch(new RegExp(`in \\d+ ms; it lists ${PUBLIC_MODELS} public models`))

    await page.check('[data-testid="region-eu"]')
    await expect.poll(async () => (await app.harness.services.settings.get()).region, eventually).toBe('eu')

    await page.fill('[data-testid="auto-refresh-hours"]', '200')
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.locator('.field-error').innerText({ timeout: 5_000 }), eventually)
      .toContain('from 0 to 168')
    expect((await app.harness.services.settings.get()).autoRefreshHours).toBe(0)
    await page.fill('[data-testid="auto-refresh-hours"]', '6')
    await page.keyboard.press('Enter')
    await expect
      .poll(async () => (await app.harness.services.settings.get()).autoRefreshHours, eventually)
      .toBe(6)
    expect(await page.locator('.field-error').count()).toBe(0)
    await expect
      .poll(() => page.locator('#auto-refresh-help').innerText({ timeout: 5_000 }), eventually)
      .toContain('Every 6 hours')

    await page.fill('[data-testid="retention-keep-last"]', '1')
    await page.keyboard.press('Enter')
    await expect
      .poll(async () => (await app.harness.services.settings.get()).retention.keepLast, eventually)
      .toBe(1)
    await page.click('[data-testid="prune-now"]')
    await expect.poll(() => text(page, 'prune-result'), eventually).toMatch(/\b2 snapshots\b/)
    expect(await app.harness.services.store.list()).toHaveLength(1)
    await page.click('[data-testid="prune-now"]')
    await expect.poll(() => text(page, 'prune-result'), eventually).toMatch(/^Nothing to prune/)

    await page.fill('[data-testid="retention-max-mb"]', '500')
    await page.keyboard.press('Enter')
    await expect
      .poll(async () => (await app.harness.services.settings.get()).retention.maxMegabytes, eventually)
      .toBe(500)
    // Emptied means no cap.
    await page.fill('[data-testid="retention-max-mb"]', '')
    await page.keyboard.press('Enter')
    await expect
      .poll(async () => (await app.harness.services.settings.get()).retention.maxMegabytes, eventually)
      .toBeNull()

    // The theme radio group still drives the whole app.
    await page.check('input[name="theme"][value="dark"]')
    await expect
      .poll(() => page.evaluate(() => document.documentElement.dataset.theme), eventually)
      .toBe('dark')
    expect((await app.harness.services.settings.get()).theme).toBe('dark')
    expect(errors()).toEqual([])
  })
})
