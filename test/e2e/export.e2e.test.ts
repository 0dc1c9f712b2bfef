import { describe, expect } from 'vitest'
import { readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import Papa from 'papaparse'
import type { Page } from 'playwright-core'
import { recordedModels } from '../fake-openrouter/server'
import { screenshot } from './browser'
import { appTest, type OpenedPage, type Theme } from './fixture'
import { exportHeader } from '../../src/shared/export/catalog-sheet'
import type { ColumnId } from '../../src/shared/model/columns'

/** Reads a Pinia store's state from the page (the production build keeps `__vue_app__` on the root). */
function storeState<T>(page: Page, id: string, pick: string): Promise<T> {
  return page.evaluate(
    ([storeId, key]) => {
      const app = (
        document.querySelector('#app') as unknown as {
          __vue_app__: { config: { globalProperties: Record<string, unknown> } }
        }
      ).__vue_app__
      const pinia = app.config.globalProperties.$pinia as { _s: Map<string, Record<string, unknown>> }
      return JSON.parse(JSON.stringify(pinia._s.get(storeId)![key])) as unknown
    },
    [id, pick] as const,
  ) as Promise<T>
}

const csvOf = (path: string) =>
  Papa.parse<unknown[]>(readFileSync(path, 'utf8').replace(/^\ufeff/, ''), {
    dynamicTyping: true,
    skipEmptyLines: true,
  }).data

// Exports are written into the temp folder beside the data folder, so a file cannot land among the snapshots.
const it = appTest({
  name: 'export',
  dataSubdir: 'data',
  seed: async ({ harness }) => {
    const refreshed = await harness.services.catalog.refresh({})
    expect(refreshed.results.every((r) => r.ok)).toBe(true)
  },
})

describe('export dialog', () => {
  const records = recordedModels()

  async function openCatalog(openPage: (path: string, theme: Theme) => Promise<OpenedPage>, theme: Theme) {
    const opened = await openPage('#/catalog', theme)
    await opened.page.waitForSelector('[data-testid="catalog-row"]')
    return opened
  }

  /** The catalog's own Export button when the view has one, else the export store directly. */
  async function openDialog(page: Page): Promise<void> {
    const button = await page.$('[data-testid="catalog-export"]')
    if (button) await button.click()
    else
      await page.evaluate(() => {
        const app = (
          document.querySelector('#app') as unknown as {
            __vue_app__: { config: { globalProperties: Record<string, unknown> } }
          }
        ).__vue_app__
        const pinia = app.config.globalProperties.$pinia as {
          _s: Map<string, Record<string, (t: unknown) => void>>
        }
        const catalog = pinia._s.get('catalog') as unknown as {
          state: { all: { meta: { id: string }; models: { id: string }[] } }
        }
        pinia._s.get('export')!.openExport!({
          what: 'catalog',
          snapshotId: catalog.state.all.meta.id,
          modelIds: catalog.state.all.models.map((m) => m.id),
        })
      })
    await page.waitForSelector('[data-testid="export-dialog"][open]')
  }

  it.for<Theme>(['light', 'dark'])(
    'exports the filtered catalog as shown (%s)',
    async (theme, { harness, openPage, tempDir }) => {
      const { context, page, errors } = await openCatalog(openPage, theme)
      await page.fill('[data-testid="catalog-search"]', 'claude')
      await page.waitForFunction(() =>
        /\b\d+\b/.test(document.querySelector('[data-testid="catalog-count"]')?.textContent ?? ''),
      )
      await page.waitForFunction(
        () =>
          document.querySelectorAll('[data-testid="catalog-row"]').length > 0 &&
          [...document.querySelectorAll<HTMLElement>('[data-testid="catalog-row"]')].every((r) =>
            /claude/i.test(r.textContent ?? ''),
          ),
      )
      const shownIds = await page.$$eval('[data-testid="catalog-row"]', (rows) =>
        rows.map((r) => (r as HTMLElement).dataset.modelId!),
      )
      const visibleColumns = await storeState<ColumnId[]>(page, 'catalog', 'columns')

      await openDialog(page)
      const dialog = page.locator('[data-testid="export-dialog"]')
      await expect.poll(() => dialog.getByRole('heading').textContent()).toMatch(/^Export \d+ models$/)
      // The catalog's visible columns are the default choice.
      const checked = await page.$$eval('[data-testid="export-columns"] input:checked', (inputs) =>
        inputs.map((i) => (i as HTMLInputElement).dataset.column),
      )
      expect(checked).toEqual(visibleColumns)

      const format = theme === 'light' ? 'csv' : 'xlsx'
      await page.click(`[data-testid="export-format-${format}"]`, { force: true })
      await screenshot(page, `export-dialog-${theme}`)

      const target = join(tempDir, `catalog-${theme}.${format}`)
      harness.setNextSavePath(target)
      await page.click('[data-testid="export-save"]')
      const saved = await page.waitForSelector('[data-testid="export-saved"]')
      const text = (await saved.textContent())!.trim()
      expect(text).toMatch(new RegExp(`Saved catalog-${theme}\\.${format} \\((\\d+) rows\\)$`))
      const rows = Number(/\((\d+) rows\)/.exec(text)![1])
      expect(rows).toBeGreaterThan(3)
      expect(rows).toBeLessThan(records.length)
      expect(existsSync(target)).toBe(true)
      if (theme === 'dark') await screenshot(page, 'export-dialog-saved-dark')

      if (format === 'csv') {
        const csv = csvOf(target)
        expect(csv[0]).toEqual(visibleColumns.map((id) => exportHeader(id, 'per-million')))
        expect(csv).toHaveLength(rows + 1)
        const idColumn = visibleColumns.indexOf('id')
        const nameColumn = visibleColumns.indexOf('name')
        const byId = new Map(records.map((r) => [r.id as string, r]))
        // Display order: the file starts with the rows on screen.
        if (idColumn >= 0) expect(csv.slice(1, shownIds.length + 1).map((r) => r[idColumn])).toEqual(shownIds)
        if (nameColumn >= 0 && idColumn >= 0) {
          for (const row of csv.slice(1))
            expect(row[nameColumn]).toBe(byId.get(row[idColumn] as string)!.name)
        }
      }
      // The browser's own favicon request is the only 404 a page makes.
      expect(errors.filter((e) => !/Failed to load resource.*404/.test(e))).toEqual([])
      await context.close()
    },
  )

  it('remembers the unit and BOM, and shows a write failure without closing', async ({
    harness,
    openPage,
    tempDir,
  }) => {
    const { context, page } = await openCatalog(openPage, 'light')
    await openDialog(page)
    await page.click('[data-testid="export-format-csv"]', { force: true })
    await page.getByText('Per token', { exact: true }).click()
    await page.check('[data-testid="export-bom"]')
    const target = join(tempDir, 'per-token.csv')
    harness.setNextSavePath(target)
    await page.click('[data-testid="export-save"]')
    await page.waitForSelector('[data-testid="export-saved"]')
    expect(readFileSync(target).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]))
    expect(csvOf(target)[0]).toContain('Prompt ($/token)')
    expect((await harness.services.settings.get()).export).toMatchObject({ unit: 'per-token', bom: true })
    await page.keyboard.press('Escape')
    await page.waitForSelector('[data-testid="export-dialog"]:not([open])', { state: 'attached' })

    await openDialog(page)
    expect(await page.isChecked('[data-testid="export-bom"]')).toBe(true)
    expect(await page.isChecked('input[name="export-unit"][value="per-token"]')).toBe(true)

    // A folder that does not exist: main refuses, the dialog says so and stays open to try again.
    harness.setNextSavePath(join(tempDir, 'no-such-folder', 'x.csv'))
    await page.click('[data-testid="export-save"]')
    const error = await page.waitForSelector('[data-testid="export-error"]')
    expect(await error.textContent()).toMatch(/Could not write x\.csv/)
    expect(await page.isVisible('[data-testid="export-dialog"]')).toBe(true)

    // Cancelling the save dialog writes nothing and says nothing.
    harness.setNextSavePath(null)
    await page.click('[data-testid="export-save"]')
    await expect.poll(() => page.isEnabled('[data-testid="export-save"]')).toBe(true)
    expect(await page.$('[data-testid="export-saved"]')).toBeNull()
    await context.close()
  })
})
