import { describe, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { DEFAULT_USER_EXCLUDED_IDS, recordedModels, TEST_KEYS } from '../fake-openrouter/server'
import { screenshot } from './browser'
import { appTest, type OpenedPage, type Theme } from './fixture'

type Json = Record<string, unknown>
const excluded = new Set(DEFAULT_USER_EXCLUDED_IDS)
const original = recordedModels() as Json[]
const allowed = original.filter((m) => !excluded.has(m.id as string))
const promptOf = (m: Json): number => Number((m.pricing as Json).prompt)

// The story: two starred models; next week one of them costs twice as much, another model is withdrawn.
const priced = allowed.find((m) => promptOf(m) >= 0.000001 && Number(m.context_length) > 0)!
const PRICED = priced.id as string
const PRICED_NAME = priced.name as string
const [OTHER_STAR, REMOVED] = allowed
  .map((m) => m.id as string)
  .filter((id) => id !== PRICED)
  .slice(6, 8) as [string, string]
const REMOVED_NAME = original.find((m) => m.id === REMOVED)!.name as string
const RULE_NAME = 'Starred price changes'
const ADDED = 'model-deck-test/whats-new-model'
const ADDED_NAME = 'Model Deck Test: What’s New Model'

function nextWeek(): Json[] {
  const models = structuredClone(original).filter((m) => m.id !== REMOVED)
  const changed = models.find((m) => m.id === PRICED)!
  ;(changed.pricing as Json).prompt = String(promptOf(changed) * 2)
  models.push({ ...structuredClone(priced), id: ADDED, canonical_slug: ADDED, name: ADDED_NAME })
  return models
}

const perMillion = (perToken: number) => `$${(perToken * 1e6).toFixed(2)}`

const test = appTest({
  name: 'changes',
  ownProfile: 'e2e-changes',
  // The week before: a key and one refresh stored (the allowed and the public catalogs).
  seed: async ({ harness, profileId }) => {
    await harness.services.keys.set(profileId, TEST_KEYS.personal)
    const first = await harness.services.catalog.refresh({})
    expect(first.results.every((r) => r.ok && r.created)).toBe(true)
  },
})
const eventually = { timeout: 15_000 }

/** Opens the app and keeps its page errors (a resource the harness lacks is not one). */
async function openApp(
  openPage: (path?: string, theme?: Theme) => Promise<OpenedPage>,
  path = '',
  theme: Theme = 'light',
): Promise<{ page: Page; errors: () => string[] }> {
  const { page, errors } = await openPage(path, theme)
  return { page, errors: () => errors.filter((e) => !e.startsWith('Failed to load resource')) }
}

describe('What’s new: a refresh that changes the catalog, the feed, the archive and its export', () => {
  const byTestId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`)
  const feedRow = (page: Page, modelId: string, kind: string) =>
    page.locator(`[data-testid="feed-row"][data-model-id="${modelId}"][data-kind="${kind}"]`)

  async function gotoChanges(page: Page): Promise<void> {
    await page.click('nav a[href="#/changes"]')
    await page.waitForSelector('section.view h1#changes-title')
  }

  test('before a second fetch the feed explains that there is nothing to compare yet', async ({
    openPage,
  }) => {
    const { page, errors } = await openApp(openPage)
    await gotoChanges(page)
    await byTestId(page, 'feed-empty').waitFor(eventually)
    await expect(byTestId(page, 'feed-empty').innerText()).resolves.toContain('fetched twice')
    expect(errors()).toEqual([])
  })

  test('stars two models and saves a rule for price changes of starred models', async ({
    openPage,
    harness,
  }) => {
    const { page, errors } = await openApp(openPage)
    await byTestId(page, 'catalog-count').waitFor(eventually)
    // Each star from the catalog: search for the model, press its row's star.
    for (const id of [PRICED, OTHER_STAR]) {
      const name = allowed.find((m) => m.id === id)!.name as string
      await page.fill('[data-testid="catalog-search"]', id)
      await page.getByRole('button', { name: `Star ${name}`, exact: true }).click()
      await page.getByRole('button', { name: `Unstar ${name}`, exact: true }).waitFor(eventually)
    }
    await page.fill('[data-testid="catalog-search"]', '')
    // The rule, from What's new → Rules: the expression is checked as it is typed, then saved.
    await gotoChanges(page)
    await page.getByRole('tab', { name: 'Rules' }).click()
    await byTestId(page, 'watch-new-rule').click()
    await byTestId(page, 'watch-rule-name').fill(RULE_NAME)
    await byTestId(page, 'watch-rule-expr').fill('starred, event:price')
    await byTestId(page, 'watch-rule-summary').waitFor(eventually)
    await byTestId(page, 'watch-rule-save').click()
    await page.locator('[data-testid="watch-rule-title"]', { hasText: RULE_NAME }).waitFor(eventually)
    await screenshot(page, 'changes-rules-saved-light')
    await expect.poll(() => harness.services.stars.list(), eventually).toEqual([PRICED, OTHER_STAR].sort())
    const rules = (await harness.services.watch.list()).rules
    expect(rules.map((r) => r.name)).toEqual([RULE_NAME])
    expect(errors()).toEqual([])
  })

  test('a refresh against a changed catalog notifies and badges the sidebar; the click opens that rule’s feed', async ({
    fake,
    harness,
    openPage,
  }) => {
    fake.setModels(nextWeek())
    const { page, errors } = await openApp(openPage)
    await byTestId(page, 'catalog-refresh').click()
    await byTestId(page, 'catalog-progress').waitFor({ state: 'detached', timeout: 30_000 })
    // One rule matched one change (the starred model's price): one notification, and a badge until seen.
    expect(harness.notifications).toHaveLength(1)
    expect(harness.notifications[0]!.title).toContain(RULE_NAME)
    expect(harness.notifications[0]!.body).toContain(PRICED_NAME)
    const badge = page.locator('nav a[href="#/changes"] [data-testid="nav-badge"]')
    // One change, though both the allowed and the public catalog report it: the badge says 1.
    expect((await harness.services.watch.list()).unseenTotal).toBe(1)
    await expect(badge.innerText({ timeout: 15_000 })).resolves.toBe('1')
    await screenshot(page, 'changes-badge-light')

    // The click reaches the window as main's app:navigate: the feed of that rule, seen, so no badge.
    harness.clickNotification(0)
    await page.waitForURL(/#\/changes\?rule=/, eventually)
    const ruleId = (await harness.services.watch.list()).rules.find((r) => r.name === RULE_NAME)!.id
    expect(new URL(page.url()).hash).toBe(`#/changes?rule=${ruleId}`)
    await expect(byTestId(page, 'feed-rule-chip').innerText()).resolves.toContain(RULE_NAME)
    await feedRow(page, PRICED, 'price').waitFor(eventually)
    await expect(page.locator('[data-testid="feed-row"]').count()).resolves.toBe(1)
    await screenshot(page, 'changes-rule-light')
    await badge.waitFor({ state: 'detached', ...eventually })
    expect((await harness.services.watch.list()).unseenTotal).toBe(0)

    // The chip's ✕ shows every change again.
    await byTestId(page, 'feed-rule-clear').click()
    await feedRow(page, REMOVED, 'removed').waitFor(eventually)
    expect(new URL(page.url()).hash).toBe('#/changes')
    expect(errors()).toEqual([])
  })

  test('the feed, opened from the sidebar, says what changed and filters it', async ({
    harness,
    openPage,
  }) => {
    const { page, errors } = await openApp(openPage)
    await gotoChanges(page)

    const price = feedRow(page, PRICED, 'price')
    await price.waitFor(eventually)
    const text = await price.innerText()
    expect(text).toContain(PRICED_NAME)
    expect(text).toMatch(
      new RegExp(
        `${escape(perMillion(promptOf(priced)))}\\s*→\\s*${escape(perMillion(promptOf(priced) * 2))}`,
      ),
    )
    expect(text).toContain('/ 1M tokens')
    expect(text).toContain('+100%')
    await expect(feedRow(page, REMOVED, 'removed').innerText()).resolves.toContain(REMOVED_NAME)
    // In the allowed list a new model is one the key may now use; the public list calls it added.
    await expect(feedRow(page, ADDED, 'allowed-entered').innerText()).resolves.toContain(ADDED_NAME)
    await page.getByRole('radio', { name: 'Public' }).click()
    await expect(feedRow(page, ADDED, 'added').innerText()).resolves.toContain(ADDED_NAME)
    await page.getByRole('radio', { name: 'Allowed' }).click()
    await feedRow(page, ADDED, 'allowed-entered').waitFor(eventually)
    await expect(byTestId(page, 'feed-day').first().innerText()).resolves.toMatch(/^TODAY|^Today/)

    // The kind toggles say how many of each; one toggle keeps only its kind.
    const removedToggle = page.locator('label', { has: byTestId(page, 'feed-kind-removed') })
    await expect(removedToggle.innerText()).resolves.toMatch(/^Removed\s+1$/)
    // Kinds read as words, not ids.
    await expect(
      page.locator('label', { has: byTestId(page, 'feed-kind-allowed-entered') }).innerText(),
    ).resolves.toMatch(/^Now allowed\s+1$/)
    await removedToggle.click()
    await price.waitFor({ state: 'detached', ...eventually })
    await expect(page.locator('[data-testid="feed-row"]').count()).resolves.toBe(1)
    await byTestId(page, 'feed-clear').click()
    await price.waitFor(eventually)

    // Starred only: of the two starred models only one changed.
    await page.locator('label', { has: byTestId(page, 'feed-starred') }).click()
    await feedRow(page, REMOVED, 'removed').waitFor({ state: 'detached', ...eventually })
    await expect(page.locator('[data-testid="feed-row"]').count()).resolves.toBe(1)
    await expect(price.count()).resolves.toBe(1)
    await byTestId(page, 'feed-clear').click()
    await feedRow(page, REMOVED, 'removed').waitFor(eventually)

    // Each row carries its model's star; S on a focused row stars it, and again unstars it.
    await expect(price.getByRole('button', { name: `Unstar ${PRICED_NAME}` }).count()).resolves.toBe(1)
    const removedRow = feedRow(page, REMOVED, 'removed')
    await removedRow.focus()
    await page.keyboard.press('s')
    await removedRow.getByRole('button', { name: `Unstar ${REMOVED_NAME}` }).waitFor(eventually)
    await expect.poll(() => harness.services.stars.list(), eventually).toContain(REMOVED)
    await page.keyboard.press('s')
    await removedRow.getByRole('button', { name: `Star ${REMOVED_NAME}` }).waitFor(eventually)
    await expect.poll(() => harness.services.stars.list(), eventually).not.toContain(REMOVED)

    // An author keeps that author's changes only.
    await byTestId(page, 'feed-author').fill(REMOVED.split('/')[0]!)
    await price.waitFor({ state: 'detached', ...eventually })
    await feedRow(page, REMOVED, 'removed').waitFor(eventually)
    await byTestId(page, 'feed-clear').click()
    await price.waitFor(eventually)

    // Typing a model narrows the feed after a pause; nothing matching says so.
    await byTestId(page, 'feed-model').fill('no-such-model-anywhere')
    await page.getByText('No changes match').waitFor(eventually)
    await byTestId(page, 'feed-empty-clear').click()
    await price.waitFor(eventually)

    // A date range: from tomorrow holds nothing yet; from today holds it all; the last 24 h too.
    const day = (offset: number) => {
      const d = new Date(Date.now() + offset * 86_400_000)
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
    }
    await page.getByRole('radio', { name: 'Dates' }).click()
    await byTestId(page, 'feed-from').fill(day(1))
    await page.getByText('No changes match').waitFor(eventually)
    await screenshot(page, 'changes-feed-dates-light')
    await byTestId(page, 'feed-from').fill(day(0))
    await price.waitFor(eventually)
    await page.getByRole('radio', { name: '24 h' }).click()
    await price.waitFor(eventually)
    await byTestId(page, 'feed-clear').click()
    expect(errors()).toEqual([])
  })

  test('rows are reached with the keyboard, and Enter opens the model’s details', async ({ openPage }) => {
    const { page } = await openApp(openPage, '#/changes')
    const first = page.locator('[data-testid="feed-row"][tabindex="0"]')
    await first.waitFor(eventually)
    await first.focus()
    await page.keyboard.press('End')
    const last = page.locator('[data-testid="feed-row"]:focus')
    await last.waitFor()
    await page.keyboard.press('Home')
    const top = page.locator('[data-testid="feed-row"]:focus')
    const modelId = await top.getAttribute('data-model-id')
    await page.keyboard.press('Enter')
    await expect(byTestId(page, 'detail-id').innerText()).resolves.toBe(modelId)
  })

  test('the archive lists the removed model with its dates; it opens read-only, and compares', async ({
    openPage,
  }) => {
    const { page, errors } = await openApp(openPage, '#/changes')
    await page.getByRole('tab', { name: 'Archive' }).click()
    const row = page.locator(`[data-testid="archive-table"] tr[data-model-id="${REMOVED}"]`)
    await row.waitFor(eventually)
    const today = new Date()
    await expect(row.innerText()).resolves.toContain(REMOVED_NAME)
    await expect(byTestId(page, 'archive-search').fill('zzzz-nothing')).resolves.toBeUndefined()
    await byTestId(page, 'archive-empty').waitFor(eventually)
    await byTestId(page, 'archive-search').fill(REMOVED_NAME)
    await row.waitFor(eventually)

    await row.focus()
    await page.keyboard.press('Enter')
    await expect(byTestId(page, 'detail-id').innerText()).resolves.toBe(REMOVED)
    const notice = await byTestId(page, 'detail-notice').innerText()
    const day = new Intl.DateTimeFormat(undefined, {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
    }).format(today)
    expect(notice).toBe(`Removed on ${day}, last seen ${day}`)
    // Its last record has no providers to look up.
    await expect(byTestId(page, 'catalog-endpoints').count()).resolves.toBe(0)
    await screenshot(page, 'changes-archive-light')

    await byTestId(page, `archive-compare-${REMOVED}`).click()
    await page.waitForURL(/#\/compare/)
    await page.locator('[data-testid="compare-column"]').first().waitFor(eventually)
    await screenshot(page, 'changes-archive-compare-light')
    await expect(page.locator('[data-testid="compare-column"]').first().innerText()).resolves.toContain(
      REMOVED_NAME,
    )
    expect(errors()).toEqual([])
  })

  test('exports the feed as the filters show it, to JSON, CSV, Markdown and XLSX', async ({
    harness,
    dataDir,
    openPage,
  }) => {
    const { page } = await openApp(openPage, '#/changes')
    await feedRow(page, PRICED, 'price').waitFor(eventually)
    const json = join(dataDir, 'changes.json')
    harness.setNextSavePath(json)
    await byTestId(page, 'feed-export').click()
    await byTestId(page, 'feed-export-json').click()
    await byTestId(page, 'changes-notice').waitFor(eventually)
    await expect(byTestId(page, 'changes-notice').innerText()).resolves.toMatch(
      /^Saved changes\.json \(\d+ changes\)/,
    )
    const written = JSON.parse(readFileSync(json, 'utf8')) as {
      query: { source?: string }
      events: { modelId: string; kind: string; from?: string; to?: string }[]
    }
    expect(written.query.source).toBe('user')
    const price = written.events.find((e) => e.modelId === PRICED && e.kind === 'price')!
    expect(Number(price.to)).toBeCloseTo(promptOf(priced) * 2, 12)
    expect(written.events.some((e) => e.modelId === REMOVED && e.kind === 'removed')).toBe(true)

    // Filtered to removals, the CSV holds only that row.
    await page.locator('label', { has: byTestId(page, 'feed-kind-removed') }).click()
    await feedRow(page, PRICED, 'price').waitFor({ state: 'detached', ...eventually })
    const csv = join(dataDir, 'changes.csv')
    harness.setNextSavePath(csv)
    await byTestId(page, 'feed-export').click()
    await byTestId(page, 'feed-export-csv').click()
    await page.getByText('Saved changes.csv (1 change).').waitFor(eventually)
    const lines = readFileSync(csv, 'utf8').trim().split(/\r?\n/)
    expect(lines).toHaveLength(2)
    expect(lines[1]).toContain(REMOVED)

    // Markdown and XLSX of the same query: a readable table, and a real workbook (a zip).
    const md = join(dataDir, 'changes.md')
    harness.setNextSavePath(md)
    await byTestId(page, 'feed-export').click()
    await byTestId(page, 'feed-export-md').click()
    await page.getByText('Saved changes.md (1 change).').waitFor(eventually)
    const markdown = readFileSync(md, 'utf8')
    expect(markdown).toContain('OpenRouter catalog changes')
    expect(markdown).toContain(REMOVED)
    expect(markdown).not.toContain(PRICED)
    const xlsx = join(dataDir, 'changes.xlsx')
    harness.setNextSavePath(xlsx)
    await byTestId(page, 'feed-export').click()
    await byTestId(page, 'feed-export-xlsx').click()
    await page.getByText('Saved changes.xlsx (1 change).').waitFor(eventually)
    expect(readFileSync(xlsx).subarray(0, 2).toString('latin1')).toBe('PK')
  })

  test('each tab looks right in light and dark', async ({ openPage }) => {
    for (const theme of ['light', 'dark'] as const) {
      const { page, errors } = await openApp(openPage, '#/changes', theme)
      await feedRow(page, PRICED, 'price').waitFor(eventually)
      await screenshot(page, `changes-feed-${theme}`)
      await page.getByRole('tab', { name: 'Archive' }).click()
      await page.locator(`[data-testid="archive-table"] tr[data-model-id="${REMOVED}"]`).click()
      await byTestId(page, 'detail-notice').waitFor(eventually)
      await screenshot(page, `changes-archive-detail-${theme}`)
      await page.getByRole('tab', { name: 'Rules' }).click()
      // The Rules tab is the watch panel, loaded on first use.
      await page.locator('#changes-panel-rules > *').first().waitFor(eventually)
      await screenshot(page, `changes-rules-${theme}`)
      expect(errors()).toEqual([])
    }
  })

  test('a long feed renders only the rows on screen and reads the next page as it scrolls', async ({
    fake,
    harness,
    openPage,
  }) => {
    // Every priced model's prompt and completion prices up by half: hundreds of events from one refresh.
    const later = nextWeek().map((m) => {
      const pricing = { ...(m.pricing as Json) }
      for (const key of ['prompt', 'completion']) {
        const value = Number(pricing[key])
        if (value > 0) pricing[key] = String(value * 1.5)
      }
      return { ...m, pricing }
    })
    fake.setModels(later)
    await harness.services.catalog.refresh({})
    const { page, errors } = await openApp(openPage, '#/changes')
    const summary = byTestId(page, 'feed-summary')
    await summary.waitFor(eventually)
    const total = Number((await summary.innerText()).match(/^([\d,]+) changes/)![1]!.replace(/,/g, ''))
    expect(total).toBeGreaterThan(500)
    await expect(summary.innerText()).resolves.toContain('showing 500')
    // Virtual: a screenful of rows in the page, not hundreds.
    expect(await page.locator('[data-testid="feed-row"]').count()).toBeLessThan(60)

    // End goes to the last row loaded; reaching it reads the rest.
    await page.locator('[data-testid="feed-row"][tabindex="0"]').focus()
    await page.keyboard.press('End')
    await expect.poll(async () => (await summary.innerText()).includes('showing'), eventually).toBe(false)
    await page.keyboard.press('End')
    // Focus is on the feed's oldest event: every page was read.
    const last = page.locator('[data-testid="feed-row"]:focus')
    const oldest = (await harness.services.changes.list({ source: 'user' })).events.at(-1)!
    // Focus moves once the scroll has brought the row in: a frame or two later.
    await expect
      .poll(
        async () => `${await last.getAttribute('data-kind')} ${await last.getAttribute('data-model-id')}`,
        eventually,
      )
      .toBe(`${oldest.kind} ${oldest.modelId}`)
    expect(await page.locator('[data-testid="feed-row"]').count()).toBeLessThan(60)
    expect(errors()).toEqual([])
  })
})

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\$]/g, '\\$&')
}
