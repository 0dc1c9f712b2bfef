import { describe, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Decimal from 'decimal.js'
import type { Page } from 'playwright-core'
import { recordedModels } from '../fake-openrouter/server'
import { screenshot, type Viewport } from './browser'
import { appTest, type Theme } from './fixture'
import { workloadCost } from '../../src/shared/model/compare'
import { normaliseModel } from '../../src/shared/model/normalise'
import { formatUsd } from '../../src/shared/pricing/price'
import type { RawModel } from '../../src/shared/model/raw'

const SONNET = 'anthropic/claude-sonnet-5'
const GEMINI = 'google/gemini-3.7-flash'
const MINI = 'openai/gpt-5.4-mini'
const PICKED = [SONNET, GEMINI, MINI]
/** With PICKED, the most a comparison holds; four of them have conditional (tiered) prices. */
const WIDE_EXTRA = [
  'bytedance-seed/seed-2.0-code',
  'x-ai/grok-4.6',
  'qwen/qwen3.7-flash',
  'openai/gpt-5.6-luna-pro',
  'openai/gpt-5.6-terra',
]
/** Only in the second catalog: it has no past to compare with. */
const NEWCOMER: RawModel = {
  id: 'acme/newcomer-1',
  name: 'Acme: Newcomer 1',
  created: 1786000000,
  context_length: 64000,
  architecture: { input_modalities: ['text'], output_modalities: ['text'], tokenizer: 'Other' },
  pricing: { prompt: '0.000001', completion: '0.000002' },
  top_provider: { context_length: 64000, max_completion_tokens: 8000, is_moderated: false },
  supported_parameters: ['temperature'],
}

type Json = Record<string, unknown>

// The tests run in order on one data folder: the set picked in the catalog by the first is remembered by the rest.
const it = appTest({
  name: 'compare',
  seed: async ({ harness, fake }) => {
    const first = await harness.services.catalog.refresh({})
    const olderId = first.results.find((r) => r.source === 'all')!.snapshotId!

    // Between the two snapshots: Sonnet's input price goes up 25%, Gemini's context doubles, a model appears.
    const models = recordedModels()
    const sonnet = models.find((m) => m.id === SONNET)!
    ;(sonnet.pricing as Json).prompt = '0.0000025'
    const gemini = models.find((m) => m.id === GEMINI)!
    gemini.context_length = 2097152
    models.push(structuredClone(NEWCOMER))
    fake.setModels(models)
    const second = await harness.services.catalog.refresh({})
    expect(second.results.find((r) => r.source === 'all')?.created).toBe(true)
    const current = new Map(models.map((m) => [m.id as string, m as RawModel]))
    return { olderId, current }
  },
})
  /** Opens the compare view, runs the steps and always closes the page; any page error fails the test. */
  .extend('onComparePage', ({ openPage }) => {
    return async (theme: Theme, steps: (page: Page) => Promise<void>, viewport?: Viewport): Promise<void> => {
      const { context, page, errors } = await openPage('#/compare', theme, viewport)
      try {
        await steps(page)
      } finally {
        await context.close()
      }
      // The harness serves no favicon; Chromium's 404 for it is not the app's.
      expect(errors.filter((e) => !e.includes('404 (Not Found)'))).toEqual([])
    }
  })
  .extend('savedCompareState', ({ harness }) => {
    return async (): Promise<Json | undefined> =>
      (await harness.services.settings.get()).ui.compare as Json | undefined
  })

async function columnIds(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="compare-column"]', (cells) =>
    cells.map((c) => c.getAttribute('data-model-id')!),
  )
}

async function rowCells(page: Page, rowId: string): Promise<{ text: string; mark: string | null }[]> {
  return page.$$eval(`[data-testid="compare-row"][data-row-id="${rowId}"] td`, (tds) =>
    tds.map((td) => ({
      text: td.querySelector('.value')?.textContent?.trim() ?? '',
      mark: td.getAttribute('data-mark'),
    })),
  )
}

/**
 * The grid cells (field name and first models) whose bottom rule is not on the screenshot: at each
 * cell's bottom edge, no pixel differs from the cell's own background 4px above it.
 */
async function unpaintedRules(page: Page, scale: number): Promise<string[]> {
  const cells = await page.$$eval('[data-testid="compare-grid"] tbody tr', (rows) => {
    const frame = document.querySelector('[data-testid="compare-scroll"]')!.getBoundingClientRect()
    const head = document.querySelector('[data-testid="compare-grid"] thead th')!.getBoundingClientRect()
    return rows.flatMap((tr) =>
      [...tr.children].slice(0, 4).flatMap((cell, i) => {
        const r = cell.getBoundingClientRect()
        const seen = r.bottom > head.bottom + 2 && r.bottom < frame.bottom - 2 && r.right < frame.right
        const row = (tr as HTMLElement).dataset.rowId ?? 'group'
        return seen ? [{ where: `${row} cell ${i}`, x: r.right - 4, y: r.bottom - 0.5 }] : []
      }),
    )
  })
  expect(cells.length).toBeGreaterThan(30)
  const png = (await page.screenshot()).toString('base64')
  const probe = await page.context().newPage()
  try {
    return await probe.evaluate(
      async ({ png, cells, scale }) => {
        const img = new Image()
        img.src = `data:image/png;base64,${png}`
        await img.decode()
        const canvas = document.createElement('canvas')
        canvas.width = img.width
        canvas.height = img.height
        const g = canvas.getContext('2d')!
        g.drawImage(img, 0, 0)
        const at = (x: number, y: number) => {
          const d = g.getImageData(Math.round(x * scale), Math.floor(y * scale), 1, 1).data
          return d[0]! + d[1]! + d[2]!
        }
        return cells
          .filter(({ x, y }) => {
            const inside = at(x, y - 4)
            let contrast = 0
            for (let dy = -1.5; dy <= 1; dy += 1 / scale)
              contrast = Math.max(contrast, Math.abs(at(x, y + dy) - inside))
            return contrast < 12
          })
          .map((c) => c.where)
      },
      { png, cells, scale },
    )
  } finally {
    await probe.close()
  }
}

describe('comparing models side by side in a real browser', { timeout: 90_000 }, () => {
  it('shows a designed empty state with the search box, then compares three models ticked in the catalog', async ({
    onComparePage,
    savedCompareState,
    fake,
    seeded: { current },
  }) => {
    await onComparePage('light', async (page) => {
      const empty = page.locator('[data-testid="compare-empty"]')
      await empty.waitFor()
      expect(await empty.textContent()).toContain('Pick models to compare')
      expect(await empty.locator('[data-testid="compare-search"]').count()).toBe(1)
      await screenshot(page, 'compare-empty-light')

      // The real catalog UI: find each model, tick its checkbox, then Compare.
      await page.click('nav a[href="#/catalog"]')
      const search = page.locator('[data-testid="catalog-search"]')
      for (const id of PICKED) {
        await search.fill(id)
        const row = page.locator(`[data-testid="catalog-row"][data-model-id="${id}"]`)
        await row.locator('input[type="checkbox"]').check()
      }
      await search.fill('')
      expect(await page.textContent('[data-testid="catalog-selected"]')).toContain('3 selected')
      await page.click('[data-testid="catalog-compare"]')

      await page.waitForSelector('[data-testid="compare-grid"]')
      expect(await columnIds(page)).toEqual(PICKED)
      expect(await page.textContent('[data-testid="compare-count"]')).toContain('3 of 8')

      // Prices carry their unit; the cheapest is best, the dearest worst, each with its multiple of the cheapest.
      const promptLabel = await page.textContent('[data-testid="compare-row"][data-row-id="price:prompt"] th')
      expect(promptLabel).toContain('per 1M tokens')
      expect(await rowCells(page, 'price:prompt')).toEqual([
        { text: '$2.50', mark: 'worst' },
        { text: '$0.375', mark: 'best' },
        { text: '$0.75', mark: null },
      ])
      const multiples = await page.$$eval(
        '[data-testid="compare-row"][data-row-id="price:prompt"] [data-testid="compare-multiple"]',
        (els) => els.map((e) => e.textContent?.trim()),
      )
      expect(multiples).toEqual(['6.7x', '1x', '2x'])
      expect(await rowCells(page, 'context')).toEqual([
        { text: '1,000,000', mark: null },
        { text: '2,097,152', mark: 'best' },
        { text: '400,000', mark: 'worst' },
      ])
      // Rows that differ are tinted; identical ones are not.
      expect(
        await page.getAttribute('[data-testid="compare-row"][data-row-id="price:prompt"]', 'class'),
      ).toContain('differs')

      // Keyboard reorder on the drag handle, then the arrow button back.
      await page.focus(`[data-testid="compare-column"][data-model-id="${SONNET}"] .handle`)
      await page.keyboard.press('ArrowRight')
      expect(await columnIds(page)).toEqual([GEMINI, SONNET, MINI])
      await page.click(`button[aria-label="Move ${current.get(SONNET)!.name} left"]`)
      expect(await columnIds(page)).toEqual(PICKED)

      // Providers come from the endpoints list, one model at a time.
      expect((await rowCells(page, 'providers:count')).map((c) => c.text)).toEqual(
        Array(3).fill('not fetched'),
      )
      await page.click('[data-testid="providers-fetch"]')
      await page.waitForFunction(() => {
        const cells = document.querySelectorAll('[data-row-id="providers:count"] td .value')
        return cells.length === 3 && [...cells].every((c) => /^\d+$/.test(c.textContent?.trim() ?? ''))
      })
      expect(fake.requestsTo(/\/endpoints$/).length).toBe(3)

      await screenshot(page, 'compare-grid-light')
      // The set is remembered for the next session.
      await expect.poll(async () => (await savedCompareState())?.ids, { timeout: 5_000 }).toEqual(PICKED)
    })
  })

  it('remembers the set and renders it in the dark theme', async ({ onComparePage }) => {
    await onComparePage('dark', async (page) => {
      await page.waitForSelector('[data-testid="compare-grid"]')
      expect(await columnIds(page)).toEqual(PICKED)
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
      await screenshot(page, 'compare-grid-dark')
      await page.click('[data-testid="compare-tab-chart"]')
      await page.waitForSelector('[data-testid="price-map"] canvas')
      await screenshot(page, 'compare-chart-dark')
      await page.click('[data-testid="compare-tab-history"]')
      await page.waitForSelector('[data-testid="history-table"]')
      await screenshot(page, 'compare-history-dark')
      await page.click('[data-testid="compare-tab-grid"]')
    })
  })

  it('prices a workload on every model, cheapest first, exactly', async ({
    onComparePage,
    savedCompareState,
    seeded: { current },
  }) => {
    await onComparePage('light', async (page) => {
      await page.waitForSelector('[data-testid="compare-count"]')
      await page.click('[data-testid="compare-tab-workload"]')
      const workload = {
        inputTokens: 12000,
        cachedReadTokens: 3000,
        outputTokens: 800,
        reasoningTokens: 500,
        requestsPerDay: 250,
      }
      for (const [key, value] of Object.entries(workload)) {
        await page.fill(`[data-testid="workload-${key}"]`, String(value))
        await page.press(`[data-testid="workload-${key}"]`, 'Tab')
      }

      // Independent decimal arithmetic from the raw records (none of the three has tiers or a discount).
      const expected = PICKED.map((id) => {
        const pricing = current.get(id)!.pricing as Record<string, string | undefined>
        expect(pricing.overrides).toBeUndefined()
        expect(pricing.discount).toBeUndefined()
        const price = (key: string, fallback?: string) =>
          new Decimal(pricing[key] ?? (fallback ? pricing[fallback] : undefined) ?? 0)
        const perRequest = price('prompt')
          .times(workload.inputTokens)
          .plus(price('input_cache_read', 'prompt').times(workload.cachedReadTokens))
          .plus(price('completion').times(workload.outputTokens))
          .plus(price('internal_reasoning', 'completion').times(workload.reasoningTokens))
          .plus(price('request'))
        const perDay = perRequest.times(workload.requestsPerDay)
        return {
          id,
          perRequest: perRequest.toFixed(),
          perDay: perDay.toFixed(),
          perMonth: perDay.times(30).toFixed(),
        }
      }).sort((a, b) => new Decimal(a.perRequest).comparedTo(b.perRequest))

      await expect
        .poll(() =>
          page.getAttribute(`[data-testid="cost-row"][data-model-id="${SONNET}"]`, 'data-per-request'),
        )
        .toBe(expected.find((e) => e.id === SONNET)!.perRequest)
      const shown = await page.$$eval('[data-testid="cost-row"]', (rows) =>
        rows.map((r) => ({
          id: r.getAttribute('data-model-id')!,
          perRequest: r.getAttribute('data-per-request')!,
          perDay: r.getAttribute('data-per-day')!,
          perMonth: r.getAttribute('data-per-month')!,
          monthText: r.querySelector('[data-testid="cost-per-month"]')?.textContent?.trim(),
        })),
      )
      expect(shown.map(({ monthText: _, ...rest }) => rest)).toEqual(expected)
      expect(shown.map((s) => s.monthText)).toEqual(expected.map((e) => formatUsd(e.perMonth)))
      // The shared calculator the app uses agrees with the independent arithmetic.
      for (const e of expected) {
        expect(workloadCost(normaliseModel(current.get(e.id)!), workload)).toMatchObject({
          kind: 'known',
          perRequest: e.perRequest,
        })
      }
      await page.waitForSelector('[data-testid="cost-chart"] canvas')
      await screenshot(page, 'compare-workload-light')

      // The price map places the compared models over the whole catalog.
      await page.click('[data-testid="compare-tab-chart"]')
      await page.waitForSelector('[data-testid="price-map"] canvas')
      const mapLabel = (await page.getAttribute('[data-testid="price-map"]', 'aria-label')) ?? ''
      for (const id of PICKED) expect(mapLabel).toContain(current.get(id)!.name as string)
      await screenshot(page, 'compare-chart-light')
      await expect
        .poll(async () => (await savedCompareState())?.workload, { timeout: 5_000 })
        .toEqual(workload)
    })
  })

  it('hides identical rows on request', async ({ onComparePage }) => {
    await onComparePage('light', async (page) => {
      await page.click('[data-testid="compare-tab-grid"]')
      await page.waitForSelector('[data-testid="compare-grid"]')
      const rows = page.locator('[data-testid="compare-row"]')
      const before = await rows.count()
      await page.click('[data-testid="hide-identical"]')
      expect(await page.getAttribute('[data-testid="hide-identical"]', 'aria-checked')).toBe('true')
      const after = await rows.count()
      expect(after).toBeGreaterThan(0)
      expect(after).toBeLessThan(before)
      // Read what the user sees: no remaining row shows the same value in every column.
      const identicalShown = await page.$$eval(
        '[data-testid="compare-row"]',
        (trs) =>
          trs.filter((tr) => {
            const texts = [...tr.querySelectorAll('td')].map((td) =>
              td.textContent?.replace(/\s+/g, ' ').trim(),
            )
            return texts.every((t) => t === texts[0])
          }).length,
      )
      expect(identicalShown).toBe(0)
      await page.click('[data-testid="hide-identical"]')
      expect(await rows.count()).toBe(before)
    })
  })

  it('compares the same models against an older snapshot, with deltas', async ({
    onComparePage,
    savedCompareState,
    seeded: { olderId },
  }) => {
    await onComparePage('light', async (page) => {
      await page.waitForSelector('[data-testid="compare-count"]')
      await page.click('[data-testid="compare-tab-grid"]')
      // A model added with the search box inside the view.
      await page.fill('[data-testid="compare-search"]', 'newcomer')
      await page.click(`[data-testid="compare-search-hit"][data-model-id="${NEWCOMER.id}"]`)
      expect(await columnIds(page)).toEqual([...PICKED, NEWCOMER.id])

      await page.click('[data-testid="compare-tab-history"]')
      await page.waitForSelector('[data-testid="history-table"]')
      expect(await page.inputValue('[data-testid="history-snapshot"]')).toBe(olderId)

      const sonnetRow = page.locator(`[data-testid="history-row"][data-model-id="${SONNET}"]`)
      const promptCell = sonnetRow.locator('[data-testid="history-prompt"]')
      expect(await promptCell.textContent()).toContain('$2.00')
      expect(await promptCell.textContent()).toContain('$2.50')
      expect(await promptCell.locator('[data-testid="change"]').getAttribute('data-direction')).toBe('up')
      expect(await promptCell.locator('[data-testid="change"]').textContent()).toContain('+25%')
      const geminiRow = page.locator(`[data-testid="history-row"][data-model-id="${GEMINI}"]`)
      expect(await geminiRow.textContent()).toContain('+100%')
      const miniRow = page.locator(`[data-testid="history-row"][data-model-id="${MINI}"]`)
      expect(await miniRow.locator('[data-testid="change"]').count()).toBe(0)
      const newcomer = page.locator(`[data-testid="history-row"][data-model-id="${NEWCOMER.id}"]`)
      expect(await newcomer.getAttribute('data-status')).toBe('absent')
      expect(await newcomer.textContent()).toContain('not in this snapshot')
      await screenshot(page, 'compare-history-light')

      // Removing the column takes it out of every view.
      await page.click('[data-testid="compare-tab-grid"]')
      await page.click(
        `[data-testid="compare-column"][data-model-id="${NEWCOMER.id}"] [data-testid="compare-remove"]`,
      )
      expect(await columnIds(page)).toEqual(PICKED)
      await expect.poll(async () => (await savedCompareState())?.ids, { timeout: 5_000 }).toEqual(PICKED)
    })
  })

  it('follows one model over every snapshot, picked with the switch above the tables', async ({
    onComparePage,
  }) => {
    await onComparePage('light', async (page) => {
      await page.waitForSelector('[data-testid="compare-count"]')
      await page.click('[data-testid="compare-tab-history"]')
      await page.waitForSelector('[data-testid="history-table"]')
      const modes = page.getByRole('radiogroup', { name: 'What to compare across time' })
      await modes.getByRole('radio', { name: 'One model over every snapshot' }).click()
      await page.selectOption('[data-testid="timeline-model"]', SONNET)
      const rows = page.locator('[data-testid="timeline-row"]')
      await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2)
      // Sonnet's input price went up 25% between the two snapshots: both prices are in its timeline.
      const text = (await rows.allInnerTexts()).join('\n')
      expect(text).toContain('$2.00')
      expect(text).toContain('$2.50')
      await screenshot(page, 'compare-timeline-light')
      // The switch is a radio group: the arrow keys go back to the models then and now.
      await page.keyboard.press('ArrowLeft')
      await page.waitForSelector('[data-testid="history-table"]')
      expect(await modes.getByRole('radio', { name: 'These models then and now' }).isChecked()).toBe(true)
    })
  })

  it('saves the set under a name, loads it back and deletes it', async ({
    onComparePage,
    savedCompareState,
  }) => {
    await onComparePage('light', async (page) => {
      await page.click('[data-testid="compare-tab-grid"]')
      await page.waitForSelector('[data-testid="compare-grid"]')
      await page.click('[data-testid="compare-sets"]')
      await page.fill('[data-testid="compare-set-name"]', 'Trio')
      await page.keyboard.press('Enter')
      await page.waitForSelector('[data-testid="compare-set"]')
      await page.keyboard.press('Escape')

      await page.click(
        `[data-testid="compare-column"][data-model-id="${MINI}"] [data-testid="compare-remove"]`,
      )
      expect(await columnIds(page)).toEqual([SONNET, GEMINI])
      await page.click('[data-testid="compare-sets"]')
      await page.click('button[aria-label="Load set Trio"]')
      expect(await columnIds(page)).toEqual(PICKED)

      await page.click('[data-testid="compare-sets"]')
      await page.click('button[aria-label="Delete set Trio"]')
      expect(await page.locator('[data-testid="compare-set"]').count()).toBe(0)
      await expect.poll(async () => (await savedCompareState())?.sets, { timeout: 5_000 }).toEqual([])
    })
  })

  it('works offline from the snapshots, providers included', async ({ onComparePage, fake }) => {
    await fake.offline()
    try {
      await onComparePage('light', async (page) => {
        await page.click('[data-testid="compare-tab-grid"]')
        await page.waitForSelector('[data-testid="compare-grid"]')
        expect(await columnIds(page)).toEqual(PICKED)
        const before = fake.requestsTo(/\/endpoints$/).length
        await page.click('[data-testid="providers-fetch"]')
        await page.waitForFunction(() => {
          const cells = document.querySelectorAll('[data-row-id="providers:count"] td .value')
          return cells.length === 3 && [...cells].every((c) => /^\d+$/.test(c.textContent?.trim() ?? ''))
        })
        expect(fake.requestsTo(/\/endpoints$/).length).toBe(before)
        expect(await page.textContent('[data-testid="compare-providers"]')).toContain(
          'saved with the snapshot',
        )
      })
    } finally {
      await fake.online()
    }
  })

  it('exports the comparison through the export dialog, models in column order', async ({
    onComparePage,
    harness,
    dataDir,
    seeded: { current },
  }) => {
    await onComparePage('light', async (page) => {
      await page.waitForSelector('[data-testid="compare-count"]')
      await page.click('[data-testid="compare-export"]')
      await page.waitForSelector('[data-testid="export-dialog"]')
      await page.check('[data-testid="export-format-csv"]', { force: true })
      const file = join(dataDir, 'comparison.csv')
      harness.setNextSavePath(file)
      await page.click('[data-testid="export-save"]')
      await page.waitForSelector('[data-testid="export-saved"]')
      const text = readFileSync(file, 'utf8')
      const positions = PICKED.map((id) => text.indexOf(current.get(id)!.name as string))
      expect(positions.every((p) => p >= 0)).toBe(true)
      expect([...positions].sort((a, b) => a - b)).toEqual(positions)
    })
  })

  it('eight models: every row ruled, no stray marks, a scroll cue and a first column that stays', async ({
    onComparePage,
    savedCompareState,
    harness,
    seeded: { current },
  }) => {
    const eight = [SONNET, GEMINI, MINI, ...WIDE_EXTRA]
    for (const id of eight) expect(current.has(id)).toBe(true)
    await harness.services.settings.update({
      ui: { compare: { ...(await savedCompareState()), ids: eight, tab: 'grid', hideIdentical: false } },
    })
    await onComparePage('light', async (page) => {
      await page.waitForSelector('[data-testid="compare-grid"]')
      expect(await columnIds(page)).toEqual(eight)
      await screenshot(page, 'compare-grid-eight-light')

      // Columns beyond the window say so, and the hint scrolls to them.
      const hint = page.locator('[data-testid="compare-scroll-hint"]')
      await hint.waitFor()
      const right = page.locator('[data-testid="compare-scroll-right"]')
      const hiddenAtStart = Number((await right.textContent())?.replace(/\D/g, ''))
      expect(hiddenAtStart).toBeGreaterThan(0)
      const label = page.locator('[data-testid="compare-row"][data-row-id="price:prompt"] th')
      const group = page.locator('tbody[data-group="pricing"] .group-label')
      const labelAt = (await label.boundingBox())!.x
      const groupAt = (await group.boundingBox())!.x
      for (let i = 0; i < 8 && (await right.isEnabled()); i++) {
        await right.click()
        await page.waitForTimeout(400)
      }
      expect(await right.isEnabled()).toBe(false)
      expect(await right.textContent()).toContain('0')
      // The last model is in view; the field names and group titles stayed where they were.
      const last = (await page.locator('[data-testid="compare-column"]').last().boundingBox())!
      const frame = (await page.locator('[data-testid="compare-scroll"]').boundingBox())!
      expect(last.x + last.width).toBeLessThanOrEqual(frame.x + frame.width + 1)
      expect((await label.boundingBox())!.x).toBe(labelAt)
      expect((await group.boundingBox())!.x).toBe(groupAt)
      expect(await label.textContent()).toContain('Prompt')

      // "Not supported" is a dash like every other missing value, not a dot that reads as a comma.
      const marks = await page.$$eval('[data-testid="compare-row"] td.tick', (tds) =>
        tds.map((td) => td.textContent?.trim()),
      )
      expect(new Set(marks)).toEqual(new Set(['✓', '—']))
      await page.locator('[data-row-id="price:tiers"]').scrollIntoViewIfNeeded()
      await screenshot(page, 'compare-grid-eight-scrolled-light')
      await page.click('[data-testid="compare-tab-workload"]')
      await page.fill('[data-testid="workload-requestsPerDay"]', '100000000')
      await page.press('[data-testid="workload-requestsPerDay"]', 'Tab')
      await page.waitForSelector('[data-testid="cost-chart"] canvas')
      await screenshot(page, 'compare-workload-eight-light')
    })
  })

  // At a common laptop size the eight columns overflow: what a user reported there is checked on the
  // painted page, in both themes.
  for (const theme of ['light', 'dark'] as const) {
    it(`eight models at 1280x800, 125% (${theme}): one rule under every row, no lone commas, the chart axis in short dollars`, async ({
      onComparePage,
      savedCompareState,
      harness,
    }) => {
      const eight = [SONNET, GEMINI, MINI, ...WIDE_EXTRA]
      await harness.services.settings.update({
        ui: { compare: { ...(await savedCompareState()), ids: eight, tab: 'grid', hideIdentical: false } },
      })
      await onComparePage(
        theme,
        async (page) => {
          // Every string the charts paint on their canvas, to read the axis as a user sees it.
          await page.context().addInitScript(() => {
            const painted: string[] = []
            ;(window as unknown as { __painted: string[] }).__painted = painted
            const fillText = CanvasRenderingContext2D.prototype.fillText
            CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
              painted.push(String(text))
              return fillText.call(this, text, ...rest)
            }
          })
          await page.reload()
          await page.waitForSelector('[data-testid="compare-grid"]')
          expect(await columnIds(page)).toEqual(eight)
          await screenshot(page, `compare-grid-eight-1280-${theme}`)

          // Each row's cells, the sticky field name included, end in the same visible rule.
          const rules = await page.$$eval('[data-testid="compare-grid"] tbody tr', (rows) =>
            rows.map((tr) => {
              const cells = [...tr.children].map((c) => getComputedStyle(c))
              return {
                row: (tr as HTMLElement).dataset.rowId ?? tr.textContent?.trim() ?? '',
                widths: [...new Set(cells.map((c) => c.borderBottomWidth))],
                styles: [...new Set(cells.map((c) => c.borderBottomStyle))],
                visible: cells.every(
                  (c) => c.borderBottomColor !== c.backgroundColor && !/, 0\)$/.test(c.borderBottomColor),
                ),
                cells: cells.length,
              }
            }),
          )
          expect(rules.length).toBeGreaterThan(20)
          for (const r of rules) {
            expect(r.widths, r.row).toEqual(['1px'])
            expect(r.styles, r.row).toEqual(['solid'])
            expect(r.visible, r.row).toBe(true)
          }
          // A data row has a cell per model beside its field name: none is missing, so none lacks its rule.
          for (const r of rules.filter((r) => r.row.includes(':'))) expect(r.cells, r.row).toBe(9)
          // And the rules are on screen, at the top and further down, at a desktop's 125% scale.
          expect(await unpaintedRules(page, 1.25)).toEqual([])
          await page.locator('[data-testid="compare-scroll"]').evaluate((el) => (el.scrollTop = 900))
          expect(await unpaintedRules(page, 1.25)).toEqual([])
          await page.locator('[data-testid="compare-scroll"]').evaluate((el) => (el.scrollTop = 0))

          // No text on the grid is a lone comma or other stray punctuation.
          const stray = await page.$eval('[data-testid="compare-grid"]', (grid) => {
            const found: string[] = []
            const walker = document.createTreeWalker(grid, NodeFilter.SHOW_TEXT)
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              const text = n.textContent?.trim() ?? ''
              if (/^[,;.·]+$/.test(text)) found.push(`${n.parentElement?.className}: "${text}"`)
            }
            return found
          })
          expect(stray).toEqual([])
          const tiers = await rowCells(page, 'price:tiers')
          expect(tiers).toHaveLength(8)
          for (const cell of tiers) expect(cell.text).toMatch(/^[^,;]/)
          await page.locator('[data-row-id="price:tiers"]').scrollIntoViewIfNeeded()
          await screenshot(page, `compare-grid-eight-1280-tiers-${theme}`)

          // Columns beyond the window: the cue counts them, and the field names stay put while the grid scrolls.
          const right = page.locator('[data-testid="compare-scroll-right"]')
          expect(Number((await right.textContent())?.replace(/\D/g, ''))).toBeGreaterThan(0)
          const label = page.locator('[data-testid="compare-row"][data-row-id="price:prompt"] th')
          const labelAt = (await label.boundingBox())!.x
          await page
            .locator('[data-testid="compare-scroll"]')
            .evaluate((el) => (el.scrollLeft = el.scrollWidth))
          await expect.poll(async () => (await right.textContent())?.replace(/\D/g, '')).toBe('0')
          expect((await label.boundingBox())!.x).toBe(labelAt)
          await screenshot(page, `compare-grid-eight-1280-scrolled-${theme}`)

          // A workload of a hundred million requests a day: the cost axis reads $10M, not $10000000.
          await page.click('[data-testid="compare-tab-workload"]')
          await page.fill('[data-testid="workload-requestsPerDay"]', '100000000')
          await page.press('[data-testid="workload-requestsPerDay"]', 'Tab')
          await page.waitForSelector('[data-testid="cost-chart"] canvas')
          await expect
            .poll(() => page.evaluate(() => (window as unknown as { __painted: string[] }).__painted))
            .toContainEqual(expect.stringMatching(/^\$\d+(\.\d)?[KMB]$/))
          const money = (
            await page.evaluate(() => (window as unknown as { __painted: string[] }).__painted)
          ).filter((t) => t.startsWith('$'))
          expect(money.filter((t) => /\d{4,}/.test(t.replace(/,/g, '')))).toEqual([])
          // The month's totals in the table group their thousands: "$3,000,000.00", never "$3000000.00".
          const months = await page.locator('[data-testid="cost-per-month"]').allInnerTexts()
          expect(months.length).toBeGreaterThan(0)
          expect(months.filter((t) => /\d{4}/.test(t))).toEqual([])
          expect(months.some((t) => /^\$\d{1,3}(,\d{3})+\.\d{2}$/.test(t.trim()))).toBe(true)
          await screenshot(page, `compare-workload-eight-1280-${theme}`)
        },
        { width: 1280, height: 800, scale: 1.25 },
      )
    })
  }
})
