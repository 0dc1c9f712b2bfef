import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startHarness, type Harness } from '../harness/harness-server'
import { startFakeOpenRouter, type FakeOpenRouter } from '../fake-openrouter/server'
import { launchBrowser, newAppPage, screenshot } from './browser'
import { fillDisk, freeDisk, mountTmpfs, type Tmpfs } from '../integration/snapshots/mounts'

const ROWS = '[data-testid="catalog-row"]'
const eventually = { timeout: 20_000 }

// A data folder on a real disk that fills up: the window still opens on what is stored, says why it
// cannot save, keeps Refresh available (the disk may take a write again), and saves once space is free.
describe('the app on a full disk', { timeout: 120_000 }, () => {
  let disk: Tmpfs
  let fake: FakeOpenRouter
  let harness: Harness
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let filler = ''

  beforeAll(async () => {
    disk = mountTmpfs('8m', 'md-e2e-full-')
    if (!disk.mounted) throw new Error('mount -t tmpfs failed: this test needs root (CI runs as root)')
    const dataDir = join(disk.dir, 'data')
    fake = await startFakeOpenRouter()
    const seeding = await startHarness({ dataDir, apiBase: fake.url })
    await seeding.services.catalog.refresh({ sources: ['all'] })
    await seeding.close()
    filler = fillDisk(disk.dir)
    harness = await startHarness({ dataDir, apiBase: fake.url })
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await harness?.close()
    await fake?.close()
    disk?.unmount()
  })

  it('opens on the stored catalog, says the disk is full, and keeps Refresh on', async () => {
    ;({ context, page } = await newAppPage(browser, `${harness.url}#/catalog`))
    await page.locator(ROWS).first().waitFor(eventually)
    expect(await page.locator(ROWS).count()).toBeGreaterThan(10)
    const banner = page.locator('[data-testid="catalog-read-only"]')
    await banner.waitFor(eventually)
    expect(await banner.innerText()).toMatch(/full/)
    expect(await page.locator('[data-testid="catalog-refresh"]').isEnabled()).toBe(true)
    await screenshot(page, 'catalog-full-disk-light')
  })

  it('a refresh while the disk is still full fails with the reason and loses nothing', async () => {
    const before = await harness.services.snapshots.list()
    await page.click('[data-testid="catalog-refresh"]')
    await page.locator('[data-testid="catalog-refresh-error"]').waitFor(eventually)
    expect(await page.locator('[data-testid="catalog-refresh-error"]').innerText()).toMatch(/full|space/i)
    expect((await harness.services.snapshots.list()).snapshots).toEqual(before.snapshots)
    expect(await page.locator(ROWS).count()).toBeGreaterThan(10)
  })

  it('once space is freed, Refresh saves again and the banner goes', async () => {
    freeDisk(filler)
    await page.click('[data-testid="catalog-refresh"]')
    await page.locator('[data-testid="catalog-read-only"]').waitFor({ state: 'detached', ...eventually })
    expect(harness.services.store.readOnly).toBe(false)
  })
})
