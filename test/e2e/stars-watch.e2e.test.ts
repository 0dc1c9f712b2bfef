import { describe, expect } from 'vitest'
import type { Page } from 'playwright-core'
import { DEFAULT_USER_EXCLUDED_IDS, recordedModels, TEST_KEYS } from '../fake-openrouter/server'
import { screenshot } from './browser'
import { appTest, type OpenedPage, type Theme } from './fixture'

type Json = Record<string, unknown>
const excluded = new Set(DEFAULT_USER_EXCLUDED_IDS)
const allowed = (recordedModels() as Json[]).filter((m) => !excluded.has(m.id as string))
const pick = (i: number) => ({ id: allowed[i]!.id as string, name: allowed[i]!.name as string })
// Two models of the allowed list, starred one from its row and one from the detail panel.
const FROM_ROW = pick(2)
const FROM_DETAIL = pick(9)

const test = appTest({
  name: 'stars-watch',
  ownProfile: 'e2e-stars-watch',
  seed: async ({ harness, profileId }) => {
    await harness.services.keys.set(profileId, TEST_KEYS.personal)
    const first = await harness.services.catalog.refresh({})
    expect(first.results.every((r) => r.ok)).toBe(true)
  },
})
const eventually = { timeout: 15_000 }
const byTestId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`)
const rowStar = (page: Page, id: string) =>
  page.locator(`[data-testid="catalog-row"][data-model-id="${id}"] [data-testid="star-toggle"]`)

async function openApp(
  openPage: (path?: string, theme?: Theme) => Promise<OpenedPage>,
  path = '',
  theme: Theme = 'light',
): Promise<{ page: Page; errors: () => string[] }> {
  const { page, errors } = await openPage(path, theme)
  return { page, errors: () => errors.filter((e) => !e.startsWith('Failed to load resource')) }
}

async function openCatalog(page: Page): Promise<void> {
  await byTestId(page, 'catalog-count').waitFor(eventually)
}

async function search(page: Page, text: string): Promise<void> {
  await page.fill('[data-testid="catalog-search"]', text)
}

async function openRules(page: Page): Promise<void> {
  await page.click('nav a[href="#/changes"]')
  await page.click('#changes-tab-rules')
  await byTestId(page, 'watch-rules').waitFor(eventually)
}

describe('Stars: in the catalog rows, the detail panel and the filters, kept per profile', () => {
  test('stars one model from its row and one from the detail panel; main keeps both', async ({
    openPage,
    harness,
  }) => {
    const { page, errors } = await openApp(openPage)
    await openCatalog(page)

    await search(page, FROM_ROW.id)
    const star = rowStar(page, FROM_ROW.id)
    await expect(star.getAttribute('aria-pressed')).resolves.toBe('false')
    await expect(star.getAttribute('aria-label')).resolves.toBe(`Star ${FROM_ROW.name}`)
    await star.click()
    await expect.poll(() => star.getAttribute('aria-pressed'), eventually).toBe('true')
    await expect(star.getAttribute('aria-label')).resolves.toBe(`Unstar ${FROM_ROW.name}`)
    // The star's click is its own: the row did not open the detail panel.
    expect(await byTestId(page, 'catalog-detail').count()).toBe(0)

    await search(page, FROM_DETAIL.id)
    await page.click(`[data-testid="catalog-row"][data-model-id="${FROM_DETAIL.id}"] .col-name`)
    const detail = byTestId(page, 'catalog-detail')
    await expect
      .poll(() => detail.locator('[data-testid="detail-id"]').textContent(), eventually)
      .toBe(FROM_DETAIL.id)
    const detailStar = detail.getByRole('button', { name: `Star ${FROM_DETAIL.name}`, exact: true })
    await detailStar.press('Enter')
    await detail.getByRole('button', { name: `Unstar ${FROM_DETAIL.name}`, exact: true }).waitFor(eventually)
    // The row shows the same star at once.
    await expect.poll(() => rowStar(page, FROM_DETAIL.id).getAttribute('aria-pressed')).toBe('true')
    await screenshot(page, 'stars-catalog-light')

    await expect
      .poll(() => harness.services.stars.list(), eventually)
      .toEqual([FROM_ROW.id, FROM_DETAIL.id].sort())
    expect(errors()).toEqual([])
  })

  test('the stars survive a reload; S on the active row stars it from the keyboard', async ({
    openPage,
    harness,
  }) => {
    const { page, errors } = await openApp(openPage, '', 'dark')
    await openCatalog(page)
    await search(page, FROM_ROW.id)
    await expect.poll(() => rowStar(page, FROM_ROW.id).getAttribute('aria-pressed'), eventually).toBe('true')
    await search(page, FROM_DETAIL.id)
    await expect
      .poll(() => rowStar(page, FROM_DETAIL.id).getAttribute('aria-pressed'), eventually)
      .toBe('true')
    await screenshot(page, 'stars-catalog-dark')

    // The table is one Tab stop: focus it, and S stars (then unstars) the active row, the first.
    await search(page, '')
    const first = (await page.getAttribute('[data-testid="catalog-row"]', 'data-model-id'))!
    expect([FROM_ROW.id, FROM_DETAIL.id]).not.toContain(first)
    await page.focus('[data-testid="catalog-table"]')
    await page.keyboard.press('s')
    await expect.poll(() => rowStar(page, first).getAttribute('aria-pressed'), eventually).toBe('true')
    await expect
      .poll(() => harness.services.stars.list(), eventually)
      .toEqual([first, FROM_ROW.id, FROM_DETAIL.id].sort())
    await page.keyboard.press('s')
    await expect
      .poll(() => harness.services.stars.list(), eventually)
      .toEqual([FROM_ROW.id, FROM_DETAIL.id].sort())
    expect(errors()).toEqual([])
  })

  test('"Starred only" shows just the starred models, with a chip that removes it', async ({ openPage }) => {
    const { page, errors } = await openApp(openPage)
    await openCatalog(page)
    await search(page, '')
    await page.click('[data-testid="catalog-filters-button"]')
    await expect(page.locator('label:has([data-testid="filter-starred"])').innerText()).resolves.toMatch(
      /Starred only\s*\(2\)/,
    )
    await page.click('[data-testid="filter-starred"]')
    await page.keyboard.press('Escape')
    await expect
      .poll(() => byTestId(page, 'catalog-count').textContent(), eventually)
      .toContain(`2 of ${allowed.length} models`)
    const shown = await page.$$eval('[data-testid="catalog-row"]', (rows) =>
      rows.map((r) => r.getAttribute('data-model-id')),
    )
    expect(shown.sort()).toEqual([FROM_ROW.id, FROM_DETAIL.id].sort())
    const chip = page.locator('[data-testid="filter-chip"][data-key="starredOnly"]')
    await expect(chip.innerText()).resolves.toContain('Starred only')

    // Unstarring a model under the filter takes it off the list.
    await rowStar(page, FROM_ROW.id).click()
    await expect
      .poll(() => byTestId(page, 'catalog-count').textContent(), eventually)
      .toContain(`1 of ${allowed.length} models`)
    await rowStar(page, FROM_DETAIL.id).click()
    await expect.poll(() => byTestId(page, 'catalog-no-match').count(), eventually).toBe(1)

    await chip.getByRole('button').click()
    await expect
      .poll(() => byTestId(page, 'catalog-count').textContent(), eventually)
      .toContain(`${allowed.length} models`)
    // Starred again for the tests below.
    await search(page, FROM_ROW.id)
    await rowStar(page, FROM_ROW.id).click()
    await expect.poll(() => rowStar(page, FROM_ROW.id).getAttribute('aria-pressed'), eventually).toBe('true')
    expect(errors()).toEqual([])
  })

  test('stars belong to the profile: another profile has none, and switching back shows them again', async ({
    openPage,
    harness,
    profileId,
  }) => {
    const { page, errors } = await openApp(openPage)
    await openCatalog(page)
    await search(page, FROM_ROW.id)
    await expect.poll(() => rowStar(page, FROM_ROW.id).getAttribute('aria-pressed'), eventually).toBe('true')

    const workId = await page.evaluate(async () => {
      const created = await window.api.profiles.create({ name: 'Work' })
      if (!created.ok) throw new Error(created.error.message)
      const work = created.data.profiles.find((p) => p.name === 'Work')!
      await window.api.profiles.switch({ id: work.id })
      return work.id
    })
    // The other profile has no key and no catalog yet: a refresh fetches the public one, without a star.
    await byTestId(page, 'catalog-refresh').first().click()
    await expect.poll(() => rowStar(page, FROM_ROW.id).getAttribute('aria-pressed'), eventually).toBe('false')
    await expect.poll(() => harness.services.stars.list(), eventually).toEqual([])

    await page.evaluate(async (id) => window.api.profiles.switch({ id }), profileId)
    await expect.poll(() => rowStar(page, FROM_ROW.id).getAttribute('aria-pressed'), eventually).toBe('true')
    await page.evaluate(async (id) => window.api.profiles.remove({ id }), workId)
    await expect.poll(() => harness.services.stars.list(), eventually).toEqual([FROM_ROW.id])
    expect(errors()).toEqual([])
  })
})

describe('Stars in Compare: "Add starred" and the star in each column header', () => {
  test('adds the starred models, and a column’s star unstars its model', async ({ openPage, harness }) => {
    const { page, errors } = await openApp(openPage, '#/compare')
    const add = byTestId(page, 'compare-add-starred')
    await expect.poll(() => add.innerText(), eventually).toContain('Add starred (1)')
    await add.click()
    const column = page.locator(`[data-testid="compare-column"][data-model-id="${FROM_ROW.id}"]`)
    await column.waitFor(eventually)
    // Nothing starred is left to add.
    await expect.poll(() => add.innerText()).toContain('Add starred (0)')
    await expect(add.isDisabled()).resolves.toBe(true)
    await screenshot(page, 'stars-compare-light')

    await column.getByRole('button', { name: `Unstar ${FROM_ROW.name}`, exact: true }).click()
    await column.getByRole('button', { name: `Star ${FROM_ROW.name}`, exact: true }).waitFor(eventually)
    // The star shows at once; main has it a moment later.
    await expect.poll(() => harness.services.stars.list(), eventually).toEqual([])
    // No star left: the button goes, the column stays.
    await expect.poll(() => add.count(), eventually).toBe(0)
    await expect(column.count()).resolves.toBe(1)
    expect(errors()).toEqual([])
  })
})

describe('Watch rules: add from an example, edit with a bad term, switch off, remove; quiet hours', () => {
  const PRESET = 'Any price change of anthropic/claude-*'
  const rule = (page: Page, name: string) =>
    page.locator('[data-testid="watch-rule"]', { has: page.locator(`text="${name}"`) })

  test('adds a rule from an example; the live check reads it back as a sentence', async ({
    openPage,
    harness,
  }) => {
    const { page, errors } = await openApp(openPage)
    await openRules(page)
    await byTestId(page, 'watch-empty').waitFor(eventually)
    await byTestId(page, 'watch-new-rule').click()
    await page.getByRole('button', { name: PRESET, exact: true }).click()
    await expect(page.inputValue('[data-testid="watch-rule-expr"]')).resolves.toBe(
      'event:price, model:anthropic/claude-*',
    )
    await expect
      .poll(() => byTestId(page, 'watch-rule-summary').textContent(), eventually)
      .toMatch(/anthropic\/claude-\*/)
    await byTestId(page, 'watch-rule-save').click()
    await rule(page, PRESET).waitFor(eventually)
    await expect(byTestId(page, 'watch-notice').innerText()).resolves.toContain(`Rule “${PRESET}” added.`)
    await expect(rule(page, PRESET).innerText()).resolves.toContain('Never matched')

    const saved = (await harness.services.watch.list()).rules
    expect(saved).toMatchObject([
      { name: PRESET, expr: 'event:price, model:anthropic/claude-*', enabled: true },
    ])
    expect(errors()).toEqual([])
  })

  for (const theme of ['light', 'dark'] as const) {
    test(`a bad term is named under the field and nothing is saved until it is fixed (${theme})`, async ({
      openPage,
      harness,
    }) => {
      const { page, errors } = await openApp(openPage, '', theme)
      await openRules(page)
      await rule(page, PRESET).waitFor(eventually)
      await rule(page, PRESET).locator('[data-testid="watch-rule-edit"]').click()
      const expr = byTestId(page, 'watch-rule-expr')
      await expr.fill('event:price, colour:red')
      await expect
        .poll(() => byTestId(page, 'watch-rule-problem').textContent(), eventually)
        .toContain('colour:red')
      await expect(expr.getAttribute('aria-invalid')).resolves.toBe('true')
      await expect(byTestId(page, 'watch-rule-save').isDisabled()).resolves.toBe(true)
      await screenshot(page, `watch-rule-bad-term-${theme}`)

      await expr.fill(`event:price, model:anthropic/claude-*, prompt<=${theme === 'light' ? 5 : 10}`)
      await expect.poll(() => byTestId(page, 'watch-rule-summary').count(), eventually).toBe(1)
      await byTestId(page, 'watch-rule-save').click()
      await expect.poll(() => byTestId(page, 'watch-notice').innerText(), eventually).toContain('saved')
      const saved = (await harness.services.watch.list()).rules
      expect(saved).toHaveLength(1)
      expect(saved[0]!.expr).toBe(
        `event:price, model:anthropic/claude-*, prompt<=${theme === 'light' ? 5 : 10}`,
      )
      await screenshot(page, `watch-rules-${theme}`)
      expect(errors()).toEqual([])
    })
  }

  test('the switch turns a rule off and on; main keeps the choice', async ({ openPage, harness }) => {
    const { page, errors } = await openApp(openPage)
    await openRules(page)
    const toggle = rule(page, PRESET).getByRole('switch')
    await toggle.waitFor(eventually)
    await expect(toggle.isChecked()).resolves.toBe(true)
    await toggle.click()
    await expect
      .poll(async () => (await harness.services.watch.list()).rules[0]!.enabled, eventually)
      .toBe(false)
    await expect.poll(() => rule(page, PRESET).innerText(), eventually).toContain('off')
    // From the keyboard too: Space on the focused switch.
    await toggle.focus()
    await page.keyboard.press('Space')
    await expect
      .poll(async () => (await harness.services.watch.list()).rules[0]!.enabled, eventually)
      .toBe(true)
    expect(errors()).toEqual([])
  })

  test('quiet hours are saved, shown after a reload, and turned off again', async ({ openPage, harness }) => {
    const { page, errors } = await openApp(openPage)
    await openRules(page)
    await byTestId(page, 'quiet-on').check()
    await byTestId(page, 'quiet-start').fill('23:00')
    await byTestId(page, 'quiet-end').fill('06:30')
    await byTestId(page, 'quiet-save').click()
    await expect
      .poll(() => byTestId(page, 'quiet-status').innerText(), eventually)
      .toContain('No notifications from 23:00 to 06:30 (overnight)')
    await expect(harness.services.watch.list()).resolves.toMatchObject({
      quietHours: { start: '23:00', end: '06:30' },
    })

    await page.reload()
    await openRules(page)
    await expect.poll(() => page.inputValue('[data-testid="quiet-start"]'), eventually).toBe('23:00')
    await expect(page.inputValue('[data-testid="quiet-end"]')).resolves.toBe('06:30')
    await expect(byTestId(page, 'quiet-on').isChecked()).resolves.toBe(true)

    await byTestId(page, 'quiet-on').uncheck()
    await byTestId(page, 'quiet-save').click()
    await expect.poll(async () => (await harness.services.watch.list()).quietHours, eventually).toBeNull()
    expect(errors()).toEqual([])
  })

  test('a refresh that matches a rule shows its unseen count and last match; the count opens its feed', async ({
    openPage,
    harness,
    fake,
  }) => {
    const saved = await harness.services.watch.save({ name: 'Any price', expr: 'event:price', enabled: true })
    const ruleId = saved.rules.find((r) => r.name === 'Any price')!.id
    // The Rules tab was the last one shown; the refresh happens while the catalog is on screen, and
    // What's new opens on Rules again (the feed, which counts as seeing the matches, is not shown).
    const { page, errors } = await openApp(openPage)
    await openRules(page)
    await page.click('nav a[href="#/catalog"]')
    await openCatalog(page)
    const models = structuredClone(recordedModels()) as Json[]
    const changed = models.find((m) => m.id === FROM_ROW.id)!
    ;(changed.pricing as Json).prompt = (Number((changed.pricing as Json).prompt) * 2 || 0.000001).toFixed(10)
    fake.setModels(models)
    const outcome = await harness.services.catalog.refresh({})
    expect(outcome.results.some((r) => r.ok && r.created)).toBe(true)
    const unseen = (await harness.services.watch.list()).unseen[ruleId]
    expect(unseen).toBeGreaterThan(0)
    await page.click('nav a[href="#/changes"]')
    await byTestId(page, 'watch-rules').waitFor(eventually)
    const row = rule(page, 'Any price')
    await expect
      .poll(() => row.locator('[data-testid="watch-rule-unseen"]').innerText(), eventually)
      .toBe(`${unseen} new`)
    await expect(row.innerText()).resolves.toContain('Last matched')
    await expect(row.locator('[data-testid="watch-rule-sentence"]').innerText()).resolves.toBe(
      'A model changes price.',
    )
    await screenshot(page, 'watch-rules-matched-light')
    await row.locator('[data-testid="watch-rule-unseen"]').click()
    await expect.poll(() => page.url(), eventually).toContain(`rule=${ruleId}`)
    // Seen in the feed: the count goes.
    await expect
      .poll(async () => (await harness.services.watch.list()).unseen[ruleId] ?? 0, eventually)
      .toBe(0)
    await harness.services.watch.remove(ruleId)
    expect(errors()).toEqual([])
  })

  test('removing a rule asks first; Cancel keeps it, Remove takes it away', async ({ openPage, harness }) => {
    const { page, errors } = await openApp(openPage)
    await openRules(page)
    await rule(page, PRESET).locator('[data-testid="watch-rule-remove"]').click()
    const dialog = page.getByRole('dialog', { name: 'Remove this rule?' })
    await dialog.waitFor(eventually)
    await expect(dialog.innerText()).resolves.toContain(PRESET)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await dialog.waitFor({ state: 'hidden' })
    expect((await harness.services.watch.list()).rules).toHaveLength(1)

    await rule(page, PRESET).locator('[data-testid="watch-rule-remove"]').click()
    await dialog.getByRole('button', { name: 'Remove rule' }).click()
    await byTestId(page, 'watch-empty').waitFor(eventually)
    await expect(byTestId(page, 'watch-notice').innerText()).resolves.toContain(`Rule “${PRESET}” removed.`)
    expect((await harness.services.watch.list()).rules).toEqual([])
    expect(errors()).toEqual([])
  })
})
