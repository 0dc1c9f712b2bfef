import { describe, expect } from 'vitest'
import type { Page } from 'playwright-core'
import type { Harness } from '../harness/harness-server'
import { DEFAULT_USER_EXCLUDED_IDS, TEST_KEYS, recordedModels } from '../fake-openrouter/server'
import { screenshot } from './browser'
import { appTest, type Theme } from './fixture'
import { normaliseModel, type NormalisedModel } from '../../src/shared/model/normalise'
import { sortModels } from '../../src/shared/model/sort'
import type { RawModel } from '../../src/shared/model/raw'

/** A real model whose description gets hostile Markdown: a relative link, a script and an image handler. */
const DETAIL_ID = 'anthropic/claude-opus-5'
const HOSTILE_DESCRIPTION = [
  'Opus 5 is the **flagship** model; see [Opus 4.7](/anthropic/claude-opus-4.7) for the previous one.',
  '',
  '<script>window.__pwned = "script"</script>',
  '',
  'Inline <img src="x" onerror="window.__pwned = \'img\'"> markup.',
  '',
  '[a trap](javascript:window.__pwned=1)',
].join('\n')

const excluded = new Set(DEFAULT_USER_EXCLUDED_IDS)
const records = recordedModels().map((m) =>
  m.id === DETAIL_ID ? { ...m, description: HOSTILE_DESCRIPTION } : m,
) as RawModel[]
const userModels: NormalisedModel[] = records.filter((m) => !excluded.has(m.id)).map(normaliseModel)
const byId = new Map(userModels.map((m) => [m.id, m]))

const rowIds = (page: Page) =>
  page.$$eval('[data-testid="catalog-row"]', (rows) => rows.map((r) => (r as HTMLElement).dataset.modelId!))
const countText = (page: Page) =>
  page.textContent('[data-testid="catalog-count"]').then((t) => t?.trim() ?? '')
const countsIn = (text: string) => (text.match(/[\d,]+/g) ?? []).map((n) => Number(n.replace(/,/g, '')))

/** Waits until the count line changes from `before`, i.e. the rows were recomputed. */
async function countChange(page: Page, before: string): Promise<string> {
  await page.waitForFunction(
    (prev) => document.querySelector('[data-testid="catalog-count"]')?.textContent?.trim() !== prev,
    before,
  )
  return countText(page)
}

type SavedView = Record<string, unknown> & { query?: string; mode?: string; columns?: string[] }

/** Waits until main has stored a catalog view state that satisfies `done` (saves are debounced). */
async function waitForSavedView(harness: Harness, done: (view: SavedView) => boolean): Promise<void> {
  await expect
    .poll(
      () =>
        harness.ipcLog.some((e) => {
          const result = e.result as { ok: boolean; data?: { ui?: { catalog?: SavedView } } }
          const view = result.ok ? result.data?.ui?.catalog : undefined
          return e.channel === 'settings:update' && view !== undefined && done(view)
        }),
      { timeout: 5_000 },
    )
    .toBe(true)
}

/** The favicon request is the only resource the app lacks; anything else is a real error. */
const pageErrors = (errors: string[]) => errors.filter((e) => !/Failed to load resource.*404/.test(e))

const it = appTest({
  name: 'catalog',
  models: records,
  seed: async ({ harness }) => {
    await harness.services.keys.set(await harness.services.keys.activeId(), TEST_KEYS.personal)
    const outcome = await harness.services.catalog.refresh({})
    expect(outcome.results.every((r) => r.ok)).toBe(true)
  },
})
  /** A fresh page; unless told otherwise the saved view is reset first, so tests do not leak into each other. */
  .extend('openCatalog', ({ harness, openPage }) => {
    return async (theme: Theme = 'light', opts: { fresh?: boolean } = {}) => {
      if (opts.fresh !== false) {
        // A page closed by the previous test flushes its view state on pagehide; let that save land
        // before resetting, or it would restore the old search into this test's page.
        await new Promise((r) => setTimeout(r, 500))
        await harness.services.settings.update({ ui: { catalog: {} } })
      }
      // Closed after the test even when it fails, so a stray page cannot save view state into the next.
      const opened = await openPage('', theme)
      await opened.page.waitForSelector('[data-testid="catalog-row"]')
      if (opts.fresh !== false)
        expect(await opened.page.inputValue('[data-testid="catalog-search"]')).toBe('')
      return opened
    }
  })

describe('the catalog view', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`shows the allowed models with their snapshot date (${theme})`, async ({ openCatalog }) => {
      const { context, page, errors } = await openCatalog(theme)
      expect(await countText(page)).toContain(`${userModels.length} models`)
      expect(await page.textContent('[data-testid="catalog-as-of"]')).toMatch(/as of .+\(just now\)/)
      // Rows come in the snapshot's order and are virtualised: far fewer in the DOM than in the list.
      const ids = await rowIds(page)
      expect(ids.slice(0, 5)).toEqual(userModels.slice(0, 5).map((m) => m.id))
      expect(ids.length).toBeLessThan(60)
      await screenshot(page, `catalog-${theme}`)
      expect(pageErrors(errors)).toEqual([])
      await context.close()
    })
  }

  for (const theme of ['light', 'dark'] as const) {
    it(`searches as you type and marks the matched letters (${theme})`, async ({ openCatalog }) => {
      const { context, page } = await openCatalog(theme)
      const before = await countText(page)
      await page.fill('[data-testid="catalog-search"]', 'claude')
      const after = await countChange(page, before)
      const ids = await rowIds(page)
      const expected = userModels.filter((m) =>
        `${m.name} ${m.id} ${m.description}`.toLowerCase().includes('claude'),
      )
      expect(countsIn(after)).toEqual([expected.length, userModels.length])
      const matching = new Set(expected.map((m) => m.id))
      for (const id of ids) expect(matching, id).toContain(id)
      // Name matches rank first, and their letters are marked.
      const firstMarks = await page.$$eval('[data-testid="catalog-row"]:first-child mark', (ms) =>
        ms.map((m) => m.textContent).join(''),
      )
      expect(firstMarks.toLowerCase()).toBe('claude')
      // Every row that matched on its name or id shows where.
      const marks = await page.$$eval('[data-testid="catalog-row"]', (rs) =>
        rs.map((r) => ({
          id: (r as HTMLElement).dataset.modelId!,
          text: Array.from(r.querySelectorAll('mark'), (m) => m.textContent).join(''),
        })),
      )
      const byName = marks.filter(({ id }) => `${byId.get(id)!.name} ${id}`.toLowerCase().includes('claude'))
      expect(byName.length).toBeGreaterThan(10)
      for (const row of byName) expect(row.text.toLowerCase(), row.id).toContain('claude')
      await screenshot(page, `catalog-search-${theme}`)
      await context.close()
    })
  }

  for (const theme of ['light', 'dark'] as const) {
    it(`combines filters shown as removable chips (${theme})`, async ({ openCatalog }) => {
      const { context, page } = await openCatalog(theme)
      await page.click('[data-testid="catalog-filters-button"]')
      await page.click('label:has([data-testid="filter-param-tools"])')
      await page.click('label:has([data-testid="filter-input-image"])')
      await page.fill('[data-testid="filter-max-prompt"]', '5')
      await page.keyboard.press('Escape')
      await page.waitForSelector('[data-testid="catalog-filters"]', { state: 'detached' })

      const within = (m: NormalisedModel) =>
        m.prices.prompt.kind === 'free' ||
        (m.prices.prompt.kind === 'fixed' && Number(m.prices.prompt.value) <= 5e-6)
      const expected = userModels.filter(
        (m) => m.supportedParameters.includes('tools') && m.inputModalities.includes('image') && within(m),
      )
      await page.waitForFunction(
        (n) => document.querySelector('[data-testid="catalog-count"]')?.textContent?.includes(`${n} of`),
        expected.length,
      )
      expect(expected.length).toBeGreaterThan(5)
      const ids = await rowIds(page)
      expect(ids.length).toBeGreaterThan(0)
      for (const id of ids) {
        const m = byId.get(id)!
        expect(m.supportedParameters, id).toContain('tools')
        expect(m.inputModalities, id).toContain('image')
        expect(within(m), id).toBe(true)
      }
      const chips = await page.$$eval('[data-testid="filter-chip"]', (cs) =>
        cs.map((c) => c.textContent?.trim()),
      )
      expect(chips.map((c) => c?.replace(/\s*✕$/, ''))).toEqual([
        'Input: image',
        'Prompt ≤ $5/1M',
        'Parameter: tools',
      ])
      await screenshot(page, `catalog-filtered-${theme}`)

      const narrow = await countText(page)
      await page.click('[data-testid="filter-chip"][data-key="inputModalities:image"] button')
      const wider = await countChange(page, narrow)
      const widened = userModels.filter((m) => m.supportedParameters.includes('tools') && within(m))
      expect(countsIn(wider)[0]).toBe(widened.length)
      expect(widened.length).toBeGreaterThan(expected.length)
      expect(await page.locator('[data-testid="filter-chip"]').count()).toBe(2)

      // The other number limits reach the filter the same way, each as its own chip.
      await page.click('[data-testid="catalog-filters-button"]')
      await page.fill('[data-testid="filter-max-completion"]', '20')
      await page.fill('[data-testid="filter-expiring"]', '30')
      await page.keyboard.press('Escape')
      await expect
        .poll(() =>
          page.$$eval('[data-testid="filter-chip"]', (cs) => cs.map((c) => c.getAttribute('data-key'))),
        )
        .toEqual(['maxPromptPerM', 'maxCompletionPerM', 'params:tools', 'hideExpiringWithinDays'])
      const labels = await page.$$eval('[data-testid="filter-chip"]', (cs) => cs.map((c) => c.textContent))
      expect(labels.join(' | ')).toMatch(/Completion ≤ \$20\/1M.*Hide expiring within 30 days/)
      await context.close()
    })
  }

  it('sorts by a column, and shift-click adds a secondary sort', async ({ openCatalog }) => {
    const { context, page } = await openCatalog()
    const firstIds = async (n: number) => (await rowIds(page)).slice(0, n)
    const header = (column: string) =>
      page.locator(`[data-testid="catalog-table"] [role="columnheader"]:has([data-column="${column}"])`)

    await page.click('[data-testid="catalog-table"] [data-column="context"]')
    await expect.poll(() => header('context').getAttribute('aria-sort')).toBe('ascending')
    const ascending = sortModels(userModels, [{ column: 'context', dir: 'asc' }])
    await expect.poll(() => firstIds(15)).toEqual(ascending.slice(0, 15).map((m) => m.id))

    await page.click('[data-testid="catalog-table"] [data-column="prompt"]', { modifiers: ['Shift'] })
    await expect.poll(() => header('prompt').getAttribute('aria-sort')).toBe('ascending')
    expect(await header('context').getAttribute('aria-sort')).toBe('ascending')
    const twoKeys = sortModels(userModels, [
      { column: 'context', dir: 'asc' },
      { column: 'prompt', dir: 'asc' },
    ])
    await expect.poll(() => firstIds(15)).toEqual(twoKeys.slice(0, 15).map((m) => m.id))
    // The tie-breaker changed what the user sees, so this checks something.
    expect(twoKeys.slice(0, 15).map((m) => m.id)).not.toEqual(ascending.slice(0, 15).map((m) => m.id))

    await page.click('[data-testid="catalog-table"] [data-column="context"]')
    await expect.poll(() => header('context').getAttribute('aria-sort')).toBe('descending')
    expect(await header('prompt').getAttribute('aria-sort')).toBe('none')
    const descending = sortModels(userModels, [{ column: 'context', dir: 'desc' }])
    await expect.poll(() => firstIds(10)).toEqual(descending.slice(0, 10).map((m) => m.id))
    const contexts = (await firstIds(10)).map((id) => byId.get(id)!.contextLength!)
    expect(contexts).toEqual([...contexts].sort((a, b) => b - a))
    await context.close()
  })

  it('opens details with safe Markdown and live providers (light)', async ({ openCatalog, harness }) => {
    const { context, page, errors } = await openCatalog('light')
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    await page.fill('[data-testid="catalog-search"]', 'claude opus 5')
    await page.click(`[data-testid="catalog-row"][data-model-id="${DETAIL_ID}"]`)
    const detail = page.locator('[data-testid="catalog-detail"]')
    await expect.poll(() => detail.locator('[data-testid="detail-id"]').textContent()).toBe(DETAIL_ID)

    const description = detail.locator('[data-testid="catalog-description"]')
    expect(await description.locator('strong').textContent()).toBe('flagship')
    const link = description.locator('a', { hasText: 'Opus 4.7' })
    expect(await link.getAttribute('href')).toBe('https://openrouter.ai/anthropic/claude-opus-4.7')
    // Raw HTML shows as the text it is; nothing of it becomes an element or runs.
    expect(await description.textContent()).toContain('<script>window.__pwned')
    expect(await description.locator('script, img, [onerror]').count()).toBe(0)
    expect(await description.locator('a', { hasText: 'a trap' }).getAttribute('href')).toBeNull()
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined()
    expect(pageErrors(errors)).toEqual([])

    expect(await detail.locator('[data-testid="detail-prices"]').textContent()).toContain('/ 1M tokens')
    await expect.poll(() => detail.locator('[data-testid="endpoint-row"]').count()).toBeGreaterThan(0)
    expect(await detail.locator('[data-testid="endpoints-source"]').textContent()).toContain('live')
    await detail.locator('[data-testid="catalog-endpoints"]').scrollIntoViewIfNeeded()
    await screenshot(page, 'catalog-detail-light')

    await link.click()
    await expect.poll(() => harness.opened).toContain('https://openrouter.ai/anthropic/claude-opus-4.7')
    expect(page.url()).toContain('#/catalog')

    await detail.locator('[data-testid="copy-id"]').click()
    await expect.poll(() => detail.locator('[data-testid="copy-id"]').textContent()).toContain('Copied')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(DETAIL_ID)
    await context.close()
  })

  it('explains time-of-day pricing tiers in the details', async ({ openCatalog }) => {
    const tiered = userModels.find((m) => JSON.stringify(m.raw.pricing).includes('utc_start'))!
    const { page } = await openCatalog()
    await page.fill('[data-testid="catalog-search"]', tiered.id)
    await page.click(`[data-testid="catalog-row"][data-model-id="${tiered.id}"]`)
    const tiers = page.locator('[data-testid="detail-tiers"]')
    await tiers.waitFor()
    const items = await tiers.locator('li').allTextContents()
    expect(items.length).toBe((tiered.raw.pricing as { overrides: unknown[] }).overrides.length)
    for (const item of items) expect(item).toMatch(/^\d\d:\d\d–\d\d:\d\d UTC: prompt \$[\d.]+\/1M/)
  })

  it(
    'reopens details from the snapshot cache, even offline (dark)',
    { timeout: 45_000 },
    async ({ openCatalog, fake, harness }) => {
      await fake.offline()
      try {
        const { context, page } = await openCatalog('dark')
        await page.fill('[data-testid="catalog-search"]', 'claude opus 5')
        await page.click(`[data-testid="catalog-row"][data-model-id="${DETAIL_ID}"]`)
        const detail = page.locator('[data-testid="catalog-detail"]')
        await expect.poll(() => detail.locator('[data-testid="endpoint-row"]').count()).toBeGreaterThan(0)
        expect(await detail.locator('[data-testid="endpoints-source"]').textContent()).toContain(
          'saved with the snapshot',
        )
        expect(
          await detail.locator('[data-testid="catalog-description"] a').first().getAttribute('href'),
        ).toBe('https://openrouter.ai/anthropic/claude-opus-4.7')
        await detail.locator('[data-testid="catalog-endpoints"]').scrollIntoViewIfNeeded()
        await screenshot(page, 'catalog-detail-dark')

        // A model never opened has nothing cached: the panel says so instead of failing silently.
        const other = userModels.find((m) => m.id === 'anthropic/claude-opus-4.8')!
        await page.fill('[data-testid="catalog-search"]', other.id)
        await page.click(`[data-testid="catalog-row"][data-model-id="${other.id}"]`)
        // Main retries a refused connection with backoff before it reports offline.
        await expect
          .poll(() => detail.locator('[role="alert"]').textContent(), { timeout: 20_000 })
          .toContain('offline')
        // The failed fetch told the app it is offline: the header says what it is showing instead.
        await page.waitForSelector('[data-testid="catalog-offline"]')
        expect(await page.textContent('[data-testid="catalog-as-of"]')).toContain('showing the snapshot of')
        await context.close()
      } finally {
        await fake.online()
        // Main learns it is back online from its next successful fetch.
        await harness.services.catalog.refresh({})
      }
    },
  )

  for (const theme of ['light', 'dark'] as const) {
    it(`switches to the whole public catalog with excluded models marked (${theme})`, async ({
      openCatalog,
      harness,
    }) => {
      const { context, page } = await openCatalog(theme)
      await page.click('[data-testid="catalog-mode-all"]')
      await page.waitForFunction(
        (n) => document.querySelector('[data-testid="catalog-count"]')?.textContent?.includes(`${n} models`),
        records.length,
      )
      const rows = await page.$$eval('[data-testid="catalog-row"]', (rs) =>
        rs.map((r) => ({
          id: (r as HTMLElement).dataset.modelId!,
          marked: r.classList.contains('excluded') && (r.textContent ?? '').includes('not allowed'),
        })),
      )
      expect(rows.some((r) => r.marked)).toBe(true)
      for (const row of rows) expect(row.marked, row.id).toBe(excluded.has(row.id))

      const line = page.locator('[data-testid="catalog-excluded"]')
      expect(await line.textContent()).toContain(
        '37 public models are excluded by your provider, privacy or guardrail settings',
      )
      await screenshot(page, `catalog-all-${theme}`)
      await line.locator('[data-testid="catalog-privacy-link"]').click()
      await expect.poll(() => harness.opened).toContain('https://openrouter.ai/settings/privacy')
      await context.close()
    })
  }

  it('brings the whole view back after a restart', async ({ openCatalog, harness }) => {
    const first = await openCatalog()
    const page = first.page
    await page.fill('[data-testid="catalog-search"]', 'gpt')
    await page.click('[data-testid="catalog-filters-button"]')
    await page.click('label:has([data-testid="filter-param-tools"])')
    await page.keyboard.press('Escape')
    await page.click('[data-testid="catalog-table"] [data-column="context"]')
    await page.click('[data-testid="catalog-columns-button"]')
    await page.click('[data-testid="column-id"]')
    await page.keyboard.press('Escape')
    await page.click('[data-testid="catalog-mode-all"]')
    await page.click('[data-testid="catalog-presets-button"]')
    await page.fill('[data-testid="preset-name"]', 'Tool users')
    await page.keyboard.press('Enter')
    await page.keyboard.press('Escape')
    const nameWidth = () =>
      page.$eval('[data-testid="catalog-table"] [role="columnheader"]:has([data-column="name"])', (h) =>
        Math.round(h.getBoundingClientRect().width),
      )
    const widthBefore = await nameWidth()
    await page.focus('[data-testid="catalog-table"] [role="separator"][aria-label="Resize the Name column"]')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    expect(await nameWidth()).toBe(widthBefore + 32)
    const count = await countText(page)
    await waitForSavedView(
      harness,
      (v) =>
        JSON.stringify(v).includes('Tool users') &&
        JSON.stringify(v).includes(`"name":${widthBefore + 32}`) &&
        v.query === 'gpt' &&
        v.mode === 'all' &&
        JSON.stringify(v).includes('"column":"context"') &&
        !JSON.stringify(v.columns).includes('"id"'),
    )
    await first.context.close()

    const second = await openCatalog('light', { fresh: false })
    const again = second.page
    expect(await again.inputValue('[data-testid="catalog-search"]')).toBe('gpt')
    expect(await again.locator('[data-testid="filter-chip"]').allTextContents()).toEqual([
      expect.stringContaining('Parameter: tools'),
    ])
    expect(
      await again
        .locator('[data-testid="catalog-table"] [role="columnheader"]:has([data-column="context"])')
        .getAttribute('aria-sort'),
    ).toBe('ascending')
    expect(await again.locator('[data-testid="catalog-table"] [data-column="id"]').count()).toBe(0)
    expect(await again.getAttribute('[data-testid="catalog-mode-all"]', 'aria-checked')).toBe('true')
    expect(await countText(again)).toBe(count)
    expect(
      await again.$eval(
        '[data-testid="catalog-table"] [role="columnheader"]:has([data-column="name"])',
        (h) => Math.round(h.getBoundingClientRect().width),
      ),
    ).toBe(widthBefore + 32)

    // The preset came back too, and brings its filter back after the filters were cleared.
    await again.click('[data-testid="filter-chip"] button')
    await again.waitForSelector('[data-testid="catalog-chips"]', { state: 'detached' })
    await again.click('[data-testid="catalog-presets-button"]')
    await again.click('[data-testid="catalog-presets"] button:has-text("Tool users")')
    expect(await again.locator('[data-testid="filter-chip"]').allTextContents()).toEqual([
      expect.stringContaining('Parameter: tools'),
    ])
    await second.context.close()
  })

  it('offers to clear a search that matches nothing', async ({ openCatalog }) => {
    const { context, page } = await openCatalog()
    await page.fill('[data-testid="catalog-search"]', 'qqzzxxvv')
    await page.waitForSelector('[data-testid="catalog-no-match"]')
    expect(await page.locator('[data-testid="catalog-row"]:visible').count()).toBe(0)
    await page.click('[data-testid="catalog-clear-filters"]')
    await page.waitForSelector('[data-testid="catalog-row"]')
    expect(await page.inputValue('[data-testid="catalog-search"]')).toBe('')
    expect(await countText(page)).toContain(`${userModels.length} models`)
    await context.close()
  })

  it('exports the rows shown through the export dialog', async ({ openCatalog }) => {
    const { page } = await openCatalog()
    const before = await countText(page)
    await page.fill('[data-testid="catalog-search"]', 'claude')
    const shown = countsIn(await countChange(page, before))[0]!
    await page.click('[data-testid="catalog-export"]')
    const dialog = page.locator('[data-testid="export-dialog"]')
    await expect.poll(() => dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true)
    expect(await dialog.locator('#export-title').textContent()).toBe(`Export ${shown} models`)
  })

  it('shows an opened snapshot as read-only history with a way back', async ({ openCatalog }) => {
    const { page } = await openCatalog()
    await page.click('nav a[href="#/snapshots"]')
    await page.click('[data-testid="snapshots-table"] button:has-text("Open")')
    await page.waitForSelector('[data-testid="catalog-historical"]')
    expect(await page.textContent('[data-testid="catalog-historical"]')).toContain('read-only')
    expect(await page.textContent('[data-testid="catalog-as-of"]')).toContain('snapshot of')
    expect(await page.locator('[data-testid="catalog-refresh"]').count()).toBe(0)
    await page.click('[data-testid="catalog-back-to-latest"]')
    await page.waitForSelector('[data-testid="catalog-historical"]', { state: 'detached' })
    expect(await page.textContent('[data-testid="catalog-as-of"]')).toContain('as of')
    expect(await page.locator('[data-testid="catalog-refresh"]').count()).toBe(1)
  })

  it('is usable from the keyboard and sends a selection to Compare', async ({ openCatalog }) => {
    const { context, page } = await openCatalog()
    await page.focus('[data-testid="catalog-search"]')
    await page.keyboard.press('ArrowDown')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'catalog-table',
    )
    await page.keyboard.press('Space')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Space')
    const selected = page.locator('[data-testid="catalog-row"][aria-selected="true"]')
    expect(await selected.evaluateAll((rs) => rs.map((r) => (r as HTMLElement).dataset.modelId))).toEqual(
      userModels.slice(0, 2).map((m) => m.id),
    )
    expect(await page.textContent('[data-testid="catalog-selected"]')).toContain('2 selected')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.textContent('[data-testid="detail-id"]')).toBe(userModels[1]!.id)
    await page.keyboard.press('Escape')
    await page.waitForSelector('[data-testid="catalog-detail"]', { state: 'detached' })

    // Shift-click on a checkbox selects the range from the last toggled row.
    await page.click(`[data-testid="catalog-row"][data-model-id="${userModels[5]!.id}"] input`, {
      modifiers: ['Shift'],
    })
    expect(await page.textContent('[data-testid="catalog-selected"]')).toContain('6 selected')

    await page.click('[data-testid="catalog-compare"]')
    await page.waitForFunction(() => location.hash === '#/compare')
    await context.close()
  })

  it('refreshes with progress and Cancel, and reports skipped records', async ({ openCatalog, fake }) => {
    const { context, page } = await openCatalog()
    fake.setFault('/models*', { type: 'slow', ms: 3_000 }, { times: 2 })
    await page.click('[data-testid="catalog-refresh"]')
    await page.waitForSelector('[data-testid="catalog-progress"]')
    await page.click('[data-testid="catalog-cancel"]')
    await page.waitForSelector('[data-testid="catalog-refresh"]')
    expect(await page.textContent('.banners')).toContain('Refresh cancelled')
    fake.clearFaults()

    fake.setFault('/models', 'malformed-record', { times: 1 })
    await page.click('[data-testid="catalog-refresh"]')
    await page.waitForSelector('[data-testid="catalog-skipped"]')
    expect(await page.textContent('[data-testid="catalog-skipped"]')).toMatch(/1 entry skipped/)
    fake.clearFaults()
    await context.close()
  })
})

const itFromEmpty = appTest({ name: 'catalog-empty' })

describe('the catalog view before the first refresh', () => {
  itFromEmpty(
    'explains the empty state and fetches the public catalog with one click',
    async ({ openPage }) => {
      const { context, page, errors } = await openPage()
      await page.waitForSelector('text=No catalog yet')
      expect(await page.getAttribute('a:has-text("Add an API key")', 'href')).toBe('#/settings')
      await page.click('[data-testid="catalog-refresh"]')
      await page.waitForSelector('[data-testid="catalog-row"]')
      expect(await countText(page)).toContain(`${records.length} models`)
      expect(await page.textContent('.status-bar')).toContain('No API key yet')
      expect(await page.isDisabled('[data-testid="catalog-mode-user"]')).toBe(true)
      expect(pageErrors(errors)).toEqual([])
      await context.close()
    },
  )
})
