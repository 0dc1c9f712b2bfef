import { describe, expect } from 'vitest'
import { join } from 'node:path'
import { startHarness } from '../harness/harness-server'
import { newAppPage, screenshot } from './browser'
import { browserTest } from './fixture'
import { fillDisk, freeDisk, mountTmpfs } from '../integration/snapshots/mounts'

const ROWS = '[data-testid="catalog-row"]'
const eventually = { timeout: 20_000 }

// A data folder on a real disk that fills up: the window still opens on what is stored, says why it
// cannot save, keeps Refresh available (the disk may take a write again), and saves once space is free.
const it = browserTest()
  // eslint-disable-next-line no-empty-pattern
  .extend('disk', { scope: 'file' }, ({}, { onCleanup }) => {
    const disk = mountTmpfs('8m', 'md-e2e-full-')
    if (!disk.mounted) throw new Error('mount -t tmpfs failed: this test needs root (CI runs as root)')
    onCleanup(() => disk.unmount())
    return disk
  })
  // A catalog stored while there was room, then a disk filled to the last byte, then the app.
  .extend('full', { scope: 'file' }, async ({ disk, fake }, { onCleanup }) => {
    const dataDir = join(disk.dir, 'data')
    const seeding = await startHarness({ dataDir, apiBase: fake.url })
    await seeding.services.catalog.refresh({ sources: ['all'] })
    await seeding.close()
    const filler = fillDisk(disk.dir)
    const harness = await startHarness({ dataDir, apiBase: fake.url })
    onCleanup(() => harness.close())
    return { harness, filler }
  })
  .extend('harness', { scope: 'file' }, ({ full }) => full.harness)
  // One window for the file: each test goes on from where the one before left it.
  .extend('window', { scope: 'file' }, async ({ browser, harness }, { onCleanup }) => {
    const opened = await newAppPage(browser, `${harness.url}#/catalog`)
    onCleanup(() => opened.context.close())
    return opened
  })

describe('the app on a full disk', { timeout: 120_000 }, () => {
  it('opens on the stored catalog, says the disk is full, and keeps Refresh on', async ({
    window: { page },
  }) => {
    await page.locator(ROWS).first().waitFor(eventually)
    expect(await page.locator(ROWS).count()).toBeGreaterThan(10)
    const banner = page.locator('[data-testid="catalog-read-only"]')
    await banner.waitFor(eventually)
    expect(await banner.innerText()).toMatch(/full/)
    expect(await page.locator('[data-testid="catalog-refresh"]').isEnabled()).toBe(true)
    await screenshot(page, 'catalog-full-disk-light')
  })

  it('a refresh while the disk is still full fails with the reason and loses nothing', async ({
    harness,
    window: { page },
  }) => {
    const before = await harness.services.snapshots.list()
    await page.click('[data-testid="catalog-refresh"]')
    await page.locator('[data-testid="catalog-refresh-error"]').waitFor(eventually)
    expect(await page.locator('[data-testid="catalog-refresh-error"]').innerText()).toMatch(/full|space/i)
    expect((await harness.services.snapshots.list()).snapshots).toEqual(before.snapshots)
    expect(await page.locator(ROWS).count()).toBeGreaterThan(10)
  })

  it('once space is freed, Refresh saves again and the banner goes', async ({
    harness,
    full: { filler },
    window: { page },
  }) => {
    freeDisk(filler)
    await page.click('[data-testid="catalog-refresh"]')
    await page.locator('[data-testid="catalog-read-only"]').waitFor({ state: 'detached', ...eventually })
    expect(harness.services.store.readOnly).toBe(false)
  })
})
