import { describe, expect } from 'vitest'
import type { Page } from 'playwright-core'
import type { Harness } from '../harness/harness-server'
import { recordedModels } from '../fake-openrouter/server'
import { newAppPage } from './browser'
import { appTest } from './fixture'
import type { RawModel } from '../../src/shared/model/raw'

const NEWCOMER: RawModel = {
  id: 'acme/reload-once-1',
  name: 'Acme: Reload Once 1',
  created: 1786000000,
  context_length: 64000,
  architecture: { input_modalities: ['text'], output_modalities: ['text'], tokenizer: 'Other' },
  pricing: { prompt: '0.000001', completion: '0.000002' },
  top_provider: { context_length: 64000, max_completion_tokens: 8000, is_moderated: false },
  supported_parameters: ['temperature'],
}

/** Longer than a catalog read takes here: a second read after the first would be in the log by then. */
const QUIET_MS = 1_500
const eventually = { timeout: 20_000 }

// The window follows main's events: each change main announces is read once, never once more by the
// code that asked for it. The harness logs every IPC call the page makes, so the reads are counted.
// One window for the whole file: each test's counts start from where the previous one left it.
const it = appTest({
  name: 'reloads',
  seed: async ({ harness }) => {
    await harness.services.catalog.refresh({})
  },
}).extend('window', { scope: 'file' }, async ({ browser, app }, { onCleanup }) => {
  const opened = await newAppPage(browser, `${app.harness.url}#/catalog`)
  onCleanup(() => opened.context.close())
  await opened.page.locator('[data-testid="catalog-row"]').first().waitFor()
  return opened
})

const catalogReads = (harness: Harness) => harness.ipcLog.filter((e) => e.channel === 'catalog:get').length

/** Runs the step, lets every reload it causes land, and returns how many catalog reads it made. */
async function readsDuring(harness: Harness, page: Page, step: () => Promise<void>): Promise<number> {
  const before = catalogReads(harness)
  await step()
  await page.waitForTimeout(QUIET_MS)
  return catalogReads(harness) - before
}

async function refreshAndWait(page: Page): Promise<void> {
  await page.click('[data-testid="catalog-refresh"]')
  await page.locator('[data-testid="catalog-refresh"]').waitFor(eventually)
}

describe('the window reads the catalog once per change', { timeout: 90_000 }, () => {
  it('a refresh that stores a new snapshot: one read, and the new model is on screen', async ({
    fake,
    harness,
    window: { page },
  }) => {
    fake.setModels([...recordedModels(), structuredClone(NEWCOMER)])
    const reads = await readsDuring(harness, page, async () => {
      await refreshAndWait(page)
      await page.fill('[data-testid="catalog-search"]', NEWCOMER.id)
      await page.locator(`[data-testid="catalog-row"][data-model-id="${NEWCOMER.id}"]`).waitFor(eventually)
    })
    expect(reads).toBe(1)
    await page.fill('[data-testid="catalog-search"]', '')
  })

  it('a refresh that finds nothing new: one read, for the fresh "as of" time', async ({
    harness,
    window: { page },
  }) => {
    const reads = await readsDuring(harness, page, () => refreshAndWait(page))
    expect(reads).toBe(1)
    const latest = harness.ipcLog.filter((e) => e.channel === 'catalog:get').at(-1)
    expect(latest?.result).toMatchObject({ ok: true })
  })

  it('a profile switch: one read, of the profile now active', async ({
    harness,
    window: { page, errors },
  }) => {
    await harness.services.keys.createProfile('Reload work')
    const { profiles } = await harness.services.keys.listProfiles()
    const work = profiles.find((p) => p.name === 'Reload work')!
    await page.click('nav a[href="#/settings"]')
    const reads = await readsDuring(harness, page, async () => {
      await page.click(
        '[data-testid="profile-row"][data-profile-name="Reload work"] [data-testid="profile-switch"]',
      )
      await expect
        .poll(async () => (await page.textContent('[data-testid="header-profile"]'))?.trim(), eventually)
        .toBe('Profile: Reload work')
    })
    expect(reads).toBe(1)
    const latest = harness.ipcLog.filter((e) => e.channel === 'catalog:get').at(-1)
    expect(latest?.result).toMatchObject({ ok: true, data: { profileId: work.id } })
    expect(errors.filter((e) => !e.includes('404 (Not Found)'))).toEqual([])
  })
})
