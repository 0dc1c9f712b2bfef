import { describe, expect } from 'vitest'
import { readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { DEFAULT_USER_EXCLUDED_IDS, recordedModels, TEST_KEYS } from '../fake-openrouter/server'
import { screenshot } from './browser'
import { appTest, type Theme } from './fixture'

const MAY_FIXTURE = resolve('test/fixtures/openrouter/models-2026-05-16.json.gz')

type Json = Record<string, unknown>
const excluded = new Set(DEFAULT_USER_EXCLUDED_IDS)
const original = recordedModels() as Json[]
const allowedIds = original.map((m) => m.id as string).filter((id) => !excluded.has(id))
const promptOf = (m: Json): number => Number((m.pricing as Json).prompt)

// The models this story changes, all from the key's allowed list.
const completionOf = (m: Json): number => Number((m.pricing as Json).completion)
const priced = original.find(
  (m) =>
    !excluded.has(m.id as string) &&
    promptOf(m) >= 0.000001 &&
    completionOf(m) > 0 &&
    Number(m.context_length) > 0,
)!
const PRICED = priced.id as string
const PRICED_NAME = priced.name as string
const [REMOVED, LEFT] = allowedIds.filter((id) => id !== PRICED).slice(3, 5) as [string, string]
const ADDED = 'model-deck-test/brand-new-model'
const ADDED_NAME = 'Model Deck Test: Brand New Model'
const NEW_DESCRIPTION = 'Rewritten for the snapshot diff test.'

/** The catalog a week later: one price doubled, one model withdrawn, one new model. */
function nextWeek(): Json[] {
  const models = structuredClone(original).filter((m) => m.id !== REMOVED)
  const changed = models.find((m) => m.id === PRICED)!
  ;(changed.pricing as Json).prompt = String(promptOf(changed) * 2)
  changed.description = NEW_DESCRIPTION
  models.push({ ...structuredClone(priced), id: ADDED, canonical_slug: ADDED, name: ADDED_NAME })
  return models
}

// The tests tell one story in order on one data folder, with a profile of this file's own.
const it = appTest({
  name: 'snapshots',
  ownProfile: 'e2e-snapshots',
  seed: async ({ harness, profileId }) => {
    await harness.services.keys.set(profileId, TEST_KEYS.personal)
  },
})
  .extend('open', ({ openPage }) => {
    return async (theme: Theme = 'light'): Promise<{ page: Page; errors: () => string[] }> => {
      const { page, errors } = await openPage('', theme)
      return { page, errors: () => errors.filter((e) => !e.startsWith('Failed to load resource')) }
    }
  })
  // Read through `app`, so a list after a restart asks the new harness.
  .extend(
    'storedIds',
    ({ app }) =>
      async () =>
        (await app.harness.services.snapshots.list()).snapshots,
  )

async function gotoSnapshots(page: Page): Promise<void> {
  await page.click('nav a[href="#/snapshots"]')
  await page.waitForSelector('section.view h1#snapshots-title')
}

const byTestId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`)
const rows = (page: Page) => page.locator('[data-testid="snapshots-table"] tbody tr')
const eventually = { timeout: 15_000 }

describe('Snapshots: fetch, change, go offline, restart, open, diff, history, import', () => {
  it('starts empty, explains snapshots, and the first refresh stores the allowed and public catalogs', async ({
    open,
  }) => {
    const { page, errors } = await open()
    await gotoSnapshots(page)
    await expect(page.getByRole('heading', { name: 'No snapshots yet' }).isVisible()).resolves.toBe(true)
    await screenshot(page, 'snapshots-empty-light')
    await page.getByRole('button', { name: 'Refresh the catalog' }).click()
    await rows(page).nth(1).waitFor(eventually)
    expect(await rows(page).count()).toBe(2)
    const table = await byTestId(page, 'snapshots-table').innerText()
    expect(table).toContain('Allowed')
    expect(table).toContain('Public')
    expect(table).toContain(String(allowedIds.length))
    expect(table).toContain(String(original.length))
    expect(errors()).toEqual([])
  })

  it('a later fetch of a changed catalog adds snapshots; a note and a pin are kept', async ({
    open,
    storedIds,
    fake,
    harness,
  }) => {
    fake.setModels(nextWeek())
    fake.setUserSubset((m) => !excluded.has(m.id as string) && m.id !== LEFT)
    const outcome = await harness.services.catalog.refresh({})
    expect(outcome.results.every((r) => r.ok && r.created)).toBe(true)

    const { page } = await open()
    await gotoSnapshots(page)
    await expect(byTestId(page, 'snapshots-count').innerText()).resolves.toBe('4')
    const latestUser = (await storedIds()).find((s) => s.source === 'user')!
    const row = page.locator(`tr[data-snapshot-id="${latestUser.id}"]`)
    await row.getByRole('button', { name: /^Edit the note/ }).click()
    await row.getByRole('textbox').fill('after the price change')
    await row.getByRole('textbox').press('Enter')
    await row.getByText('after the price change').waitFor()
    await row.getByRole('button', { name: /^Pin the snapshot/ }).click()
    await row.getByRole('button', { name: /^Unpin the snapshot/ }).waitFor()
    const saved = (await storedIds()).find((s) => s.id === latestUser.id)!
    expect(saved).toMatchObject({ note: 'after the price change', pinned: true })
  })

  it('shows the snapshots of one catalog with the segmented choice, by pointer and by arrow keys', async ({
    open,
    storedIds,
  }) => {
    const stored = await storedIds()
    const { page, errors } = await open()
    await gotoSnapshots(page)
    await rows(page)
      .nth(stored.length - 1)
      .waitFor(eventually)
    const group = page.getByRole('radiogroup', { name: 'Show snapshots of' })
    const sourcesShown = async () =>
      (await rows(page).allInnerTexts()).map((t) => (/Allowed|Public/.exec(t) ?? ['?'])[0])
    await group.getByRole('radio', { name: 'Public' }).click()
    await expect.poll(sourcesShown).toEqual(stored.filter((s) => s.source === 'all').map(() => 'Public'))
    expect(await group.getByRole('radio', { name: 'Public' }).isChecked()).toBe(true)
    // One Tab stop: the arrow keys move the choice, as in any radio group.
    await page.keyboard.press('ArrowLeft')
    await expect.poll(sourcesShown).toEqual(stored.filter((s) => s.source === 'user').map(() => 'Allowed'))
    expect(await group.getByRole('radio', { name: 'Allowed' }).isChecked()).toBe(true)
    await page.keyboard.press('ArrowLeft')
    await expect.poll(async () => await rows(page).count()).toBe(stored.length)
    expect(errors()).toEqual([])
  })

  it('after a restart with no network the catalog is on screen from the latest snapshot, labelled as of and offline', async ({
    open,
    fake,
    harness,
    reopenHarness,
  }) => {
    await fake.offline()
    await harness.close()
    await reopenHarness()
    const { page } = await open()
    const asOf = byTestId(page, 'catalog-as-of')
    await asOf.waitFor(eventually)
    expect(await asOf.innerText()).toMatch(/as of/i)
    // The latest allowed snapshot: one model withdrawn, one filtered out, one added.
    await expect(byTestId(page, 'catalog-count').innerText()).resolves.toContain(
      `${allowedIds.length - 1} models`,
    )
    await byTestId(page, 'catalog-refresh').click()
    await byTestId(page, 'catalog-offline').waitFor(eventually)
    await expect(page.locator('[data-testid="offline-badge"]').isVisible()).resolves.toBe(true)
    await byTestId(page, 'catalog-progress').waitFor({ state: 'detached', timeout: 30_000 })
    await screenshot(page, 'catalog-offline-restart-light')
  }, 60_000)

  it('opens the older snapshot read-only in the Catalog view', async ({ open, storedIds }) => {
    const { page } = await open()
    await gotoSnapshots(page)
    const older = (await storedIds()).filter((s) => s.source === 'user')[1]!
    await page
      .locator(`tr[data-snapshot-id="${older.id}"]`)
      .getByRole('button', { name: /^Open the catalog as of/ })
      .click()
    await page.waitForURL(/#\/catalog/)
    await byTestId(page, 'catalog-historical').waitFor(eventually)
    expect(await page.evaluate(() => location.hash)).toBe('#/catalog')
  })

  it('diffs the latest allowed catalog against the one before: counts, a price change and the allowed set', async ({
    open,
    harness,
    dataDir,
  }) => {
    const { page, errors } = await open()
    await gotoSnapshots(page)
    await page.getByRole('tab', { name: 'Diff' }).click()
    await byTestId(page, 'diff-count-changed').waitFor(eventually)
    const count = (id: string) => byTestId(page, `diff-count-${id}`).locator('.value').innerText()
    expect(await count('added')).toBe('1')
    expect(await count('removed')).toBe('2')
    expect(await count('changed')).toBe('1')
    expect(await count('unchanged')).toBe(String(allowedIds.length - 3))

    const price = page.locator(`[data-model-id="${PRICED}"] tr[data-path="pricing.prompt"]`)
    const before = `$${(promptOf(priced) * 1e6).toFixed(2)} / 1M tokens`
    const after = `$${(promptOf(priced) * 2e6).toFixed(2)} / 1M tokens`
    await expect(price.innerText()).resolves.toMatch(
      new RegExp(`${escape(before)}\\s*→\\s*${escape(after)}\\s*\\+100%`),
    )
    const changedModel = page.locator(`[data-model-id="${PRICED}"]`)
    await changedModel.getByRole('button', { name: /Show before \/ after/ }).click()
    await expect(changedModel.locator('.text.after').innerText()).resolves.toBe(NEW_DESCRIPTION)
    await screenshot(page, 'snapshots-diff-light')

    // Filters: by group keeps only the price row; by text can hide everything.
    await page.getByRole('button', { name: /^Pricing/, pressed: false }).click()
    await expect(changedModel.locator('tr[data-path]').count()).resolves.toBe(1)
    await page.getByRole('button', { name: 'Clear' }).click()
    await expect(changedModel.locator('tr[data-path]').count()).resolves.toBe(2)
    await page.getByRole('searchbox', { name: /Filter the diff/ }).fill('no-such-model')
    await page.getByText('No changed model matches these filters.').waitFor()
    await page.getByRole('searchbox', { name: /Filter the diff/ }).fill('')

    await byTestId(page, 'diff-count-added').click()
    await expect(page.locator(`[data-model-id="${ADDED}"]`).innerText()).resolves.toContain(ADDED_NAME)
    await byTestId(page, 'diff-count-removed').click()
    const removed = page.locator(`[data-model-id="${REMOVED}"]`)
    await removed.getByRole('button', { name: /last record/ }).click()
    await expect(removed.locator('pre').innerText()).resolves.toContain(`"id": "${REMOVED}"`)

    await byTestId(page, 'diff-count-allowed').click()
    const left = page.getByRole('region', { name: /Left/ })
    await expect(left.locator('li', { hasText: LEFT }).innerText()).resolves.toContain('still public')
    await expect(left.locator('li', { hasText: REMOVED }).innerText()).resolves.not.toContain('still public')
    await expect(page.getByRole('region', { name: /Entered/ }).innerText()).resolves.toContain(ADDED)
    expect(errors()).toEqual([])

    // Export diff hands A and B to the export dialog, which saves the diff.
    const saved = join(dataDir, 'diff.json')
    harness.setNextSavePath(saved)
    await page.getByRole('button', { name: 'Export diff' }).click()
    await byTestId(page, 'export-dialog').waitFor()
    await byTestId(page, 'export-format-json').check({ force: true })
    await byTestId(page, 'export-save').click()
    await byTestId(page, 'export-saved').waitFor(eventually)
    const written = JSON.parse(readFileSync(saved, 'utf8')) as { added: string[]; changed: { id: string }[] }
    expect(written.added).toEqual([ADDED])
    expect(written.changed.map((c) => c.id)).toEqual([PRICED])

    const dark = await open('dark')
    await gotoSnapshots(dark.page)
    await dark.page.getByRole('tab', { name: 'Diff' }).click()
    await byTestId(dark.page, 'diff-count-changed').waitFor(eventually)
    await screenshot(dark.page, 'snapshots-diff-dark')
  }, 60_000)

  it('shows a model’s price history as a chart and a table, from the diff and from the search box', async ({
    open,
    storedIds,
  }) => {
    const { page } = await open()
    await gotoSnapshots(page)
    await page.getByRole('tab', { name: 'Diff' }).click()
    await page.getByRole('button', { name: `Show the history of ${PRICED}` }).click()
    await byTestId(page, 'history-chart').locator('canvas').first().waitFor(eventually)
    const userSnapshots = (await storedIds()).filter((s) => s.source === 'user').length
    const table = page.locator('[data-testid="history-table"] tbody tr')
    expect(await table.count()).toBe(userSnapshots)
    expect(await table.first().locator('td.changed').count()).toBeGreaterThan(0)
    await screenshot(page, 'snapshots-history-light')

    const dark = await open('dark')
    await gotoSnapshots(dark.page)
    await dark.page.getByRole('combobox', { name: /Model history/ }).fill(PRICED)
    await dark.page.getByRole('combobox', { name: /Model history/ }).press('Enter')
    await byTestId(dark.page, 'history-chart').locator('canvas').first().waitFor(eventually)
    await screenshot(dark.page, 'snapshots-history-dark')

    await page.getByRole('tab', { name: 'All snapshots' }).click()
    const search = page.getByRole('combobox', { name: /Model history/ })
    await search.fill(PRICED_NAME.slice(0, 12))
    await page.getByRole('option').first().waitFor()
    await search.press('Enter')
    await byTestId(page, 'history-model-name').waitFor(eventually)
    expect(await page.getByRole('tab', { name: 'Model history' }).getAttribute('aria-selected')).toBe('true')

    // The view tabs work from the keyboard, like any tablist.
    await page.getByRole('tab', { name: 'Model history' }).focus()
    await page.keyboard.press('ArrowRight')
    const listTab = page.getByRole('tab', { name: 'All snapshots' })
    expect(await listTab.getAttribute('aria-selected')).toBe('true')
    expect(await listTab.evaluate((el) => el === document.activeElement)).toBe(true)
  }, 60_000)

  it('refuses a bad import file with a clear message and changes nothing', async ({
    open,
    storedIds,
    harness,
    dataDir,
  }) => {
    const bad = join(dataDir, 'not-a-catalog.json')
    writeFileSync(bad, JSON.stringify({ hello: 'world' }))
    const before = (await storedIds()).length
    const { page } = await open()
    await gotoSnapshots(page)
    harness.setNextOpenPath(bad)
    await page.getByRole('button', { name: 'Import…' }).click()
    await byTestId(page, 'snapshots-import-choose').click()
    const error = byTestId(page, 'snapshots-import-error')
    await error.waitFor(eventually)
    expect(await error.innerText()).toContain('Nothing was changed')
    expect(harness.ipcLog.at(-1)?.result).toMatchObject({ ok: false, error: { code: 'bad-file' } })
    expect(await byTestId(page, 'snapshots-count').innerText()).toBe(String(before))
    expect((await storedIds()).length).toBe(before)
    await screenshot(page, 'snapshots-import-error-light')
  })

  it('imports the real May 2026 catalog, which then appears in the list; it can be deleted again', async ({
    open,
    storedIds,
    harness,
  }) => {
    const before = (await storedIds()).length
    const { page } = await open()
    await gotoSnapshots(page)
    harness.setNextOpenPath(MAY_FIXTURE)
    await page.getByRole('button', { name: 'Import…' }).click()
    await page.locator('#snapshots-import-panel input[type="date"]').fill('2026-05-16')
    await screenshot(page, 'snapshots-import-panel-light')
    await byTestId(page, 'snapshots-import-choose').click()
    await byTestId(page, 'snapshots-notice')
      .getByText(/Imported models-2026-05-16\.json\.gz/)
      .waitFor(eventually)
    const imported = (await storedIds()).find((s) => s.origin === 'import')!
    expect(imported.takenAt.startsWith('2026-05-16')).toBe(true)
    const row = page.locator(`tr[data-snapshot-id="${imported.id}"]`)
    await expect(row.innerText()).resolves.toMatch(/May 2026|2026/)
    await expect(row.innerText()).resolves.toContain('Imported')
    expect(await byTestId(page, 'snapshots-count').innerText()).toBe(String(before + 1))
    await screenshot(page, 'snapshots-list-light')

    const dark = await open('dark')
    await gotoSnapshots(dark.page)
    await rows(dark.page).nth(before).waitFor()
    await screenshot(dark.page, 'snapshots-list-dark')

    // A diff across three months of catalog changes stays responsive: only what is on screen renders.
    const latestPublic = (await storedIds()).find((s) => s.source === 'all' && s.origin === 'fetch')!
    await page.getByRole('tab', { name: 'Diff' }).click()
    await page.getByRole('combobox', { name: /^From snapshot/ }).selectOption(imported.id)
    await page.getByRole('combobox', { name: /^To snapshot/ }).selectOption(latestPublic.id)
    await page.waitForFunction(() => !document.querySelector('.diff [aria-busy="true"]'))
    const { diff } = await harness.services.snapshots.diff(imported.id, latestPublic.id)
    await expect(byTestId(page, 'diff-count-changed').locator('.value').innerText()).resolves.toBe(
      String(diff.counts.changed),
    )
    expect(diff.counts.changed).toBeGreaterThan(100)
    const rendered = await page.locator('[role="list"][aria-label="Changed models"] [data-model-id]').count()
    expect(rendered).toBeGreaterThan(0)
    expect(rendered).toBeLessThan(40)
    await screenshot(page, 'snapshots-diff-large-light')
    await page.getByRole('tab', { name: 'All snapshots' }).click()

    await row.getByRole('button', { name: /^Delete the snapshot/ }).click()
    const dialog = page.getByRole('dialog', { name: 'Delete this snapshot?' })
    await dialog.getByRole('button', { name: 'Delete' }).click()
    await row.waitFor({ state: 'detached', ...eventually })
    expect((await storedIds()).length).toBe(before)
  }, 60_000)

  it('reports a damaged file prominently after a restart, and the other snapshots stay usable', async ({
    open,
    harness,
    reopenHarness,
    dataDir,
  }) => {
    await harness.close()
    const packs = findDir(dataDir, 'packs')
    // The smallest pack holds only what the second fetch changed: the first snapshots do not need it.
    const smallest = readdirSync(packs)
      .map((name) => join(packs, name))
      .sort((a, b) => statSync(a).size - statSync(b).size)[0]!
    truncateSync(smallest, 10)
    await reopenHarness()

    const { page } = await open()
    await gotoSnapshots(page)
    const problems = byTestId(page, 'snapshots-problems')
    await problems.waitFor(eventually)
    expect(await problems.innerText()).toMatch(/moved\s+aside/)
    expect(await problems.innerText()).toContain('truncated')
    const unavailable = page.locator('tr.unavailable')
    expect(await unavailable.count()).toBeGreaterThan(0)
    await expect(
      unavailable
        .first()
        .getByRole('button', { name: /^Open the catalog/ })
        .isDisabled(),
    ).resolves.toBe(true)
    const usable = page.locator('tr:not(.unavailable)[data-snapshot-id]')
    expect(await usable.count()).toBeGreaterThan(0)
    await expect(
      usable
        .first()
        .getByRole('button', { name: /^Open the catalog/ })
        .isEnabled(),
    ).resolves.toBe(true)
    await screenshot(page, 'snapshots-problems-light')
  })

  it('a store written by a newer Model Deck opens read-only: it says so, offers no writes, and changes no file', async ({
    open,
    harness,
    reopenHarness,
    dataDir,
  }) => {
    await harness.close()
    const storeDir = dirname(findDir(dataDir, 'packs'))
    const infoPath = join(storeDir, 'store.json')
    const info = JSON.parse(readFileSync(infoPath, 'utf8')) as Json
    writeFileSync(infoPath, JSON.stringify({ ...info, formatVersion: 99 }))
    const before = listFiles(storeDir)
    await reopenHarness()

    const { page, errors } = await open()
    const banner = byTestId(page, 'catalog-read-only')
    await banner.waitFor(eventually)
    expect(await banner.innerText()).toMatch(/newer Model Deck \(format 99\).*read-only/)
    // The catalog itself is still there to browse; only fetching (which must save) is off.
    await page.waitForSelector('[data-testid="catalog-row"]')
    expect(await byTestId(page, 'catalog-refresh').isDisabled()).toBe(true)

    await gotoSnapshots(page)
    await byTestId(page, 'snapshots-read-only').waitFor(eventually)
    const first = page.locator('tr:not(.unavailable)[data-snapshot-id]').first()
    expect(await first.getByRole('button', { name: /^Open the catalog/ }).isEnabled()).toBe(true)
    for (const name of [/^Delete/, /^(Pin|Unpin) the snapshot/, /^Edit the note/]) {
      const button = first.getByRole('button', { name })
      expect(await button.count(), String(name)).toBe(1)
      expect(await button.isDisabled(), String(name)).toBe(true)
    }
    await screenshot(page, 'snapshots-read-only-light')
    expect(listFiles(storeDir)).toEqual(before)
    expect(errors()).toEqual([])
  })
})

/** Every file under `dir` with its size and modification time: equal lists, untouched files. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const path = join(e.parentPath, e.name)
      const st = statSync(path)
      return `${path} ${st.size} ${st.mtimeMs}`
    })
    .sort()
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function findDir(root: string, name: string): string {
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue
    const path = join(root, entry.name)
    if (entry.name === name) return path
    try {
      return findDir(path, name)
    } catch {
      // not under this folder
    }
  }
  throw new Error(`no ${name} folder under ${root}`)
}
