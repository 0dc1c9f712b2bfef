import { afterEach, describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import Papa from 'papaparse'
import { createChangeFeed } from '../../../src/main/services/changes/change-feed'
import type { Dialogs } from '../../../src/main/dialogs'
import { cleanupTempDirs, tempDir } from '../snapshots/helpers'
import { model, openStore, save } from './helpers'

afterEach(cleanupTempDirs)

async function setup() {
  const dir = tempDir('changes-export-')
  const store = await openStore(dir)
  await save(store, [model('a/one', '0.000003'), model('b/two')], 1)
  await save(store, [model('a/one', '0.0000045'), model('c/three')], 2)
  const asked: string[] = []
  let target: string | null = join(dir, 'out')
  const dialogs: Dialogs = {
    chooseSavePath: async ({ defaultName }) => (
      asked.push(defaultName),
      target && `${target}-${defaultName}`
    ),
    chooseOpenPath: async () => null,
  }
  const feed = createChangeFeed({ store, dataDir: dir, dialogs })
  return { dir, store, feed, asked, cancel: () => (target = null) }
}

describe('exporting the change feed', () => {
  it('CSV: one row per event, newest first, with the exact prices and the summary', async () => {
    const { dir, store, feed, asked } = await setup()
    const outcome = await feed.exportFeed({ limit: 1 }, 'csv')
    expect(asked[0]).toMatch(/^openrouter-changes-\d{4}-\d{2}-\d{2}\.csv$/)
    // The page size of the view does not cut the export.
    expect(outcome).toMatchObject({ cancelled: false, rows: 3 })
    const rows = Papa.parse<Record<string, string>>(readFileSync(join(dir, `out-${asked[0]}`), 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data
    expect(rows.map((r) => [r.Kind, r.ID])).toEqual([
      ['price', 'a/one'],
      ['removed', 'b/two'],
      ['added', 'c/three'],
    ])
    expect(rows[0]).toMatchObject({
      Field: 'prompt',
      From: '0.000003',
      To: '0.0000045',
      'Change %': '50',
      Summary: 'prompt $3.00 → $4.50 / 1M tokens (+50.0%)',
    })
    await store.close()
  })

  it('JSON, Markdown and XLSX hold the same events; a query narrows all of them', async () => {
    const { dir, store, feed, asked } = await setup()
    await feed.exportFeed({ kinds: ['price'] }, 'json')
    const json = JSON.parse(readFileSync(join(dir, `out-${asked[0]}`), 'utf8'))
    expect(json.total).toBe(1)
    expect(json.events[0]).toMatchObject({ kind: 'price', modelId: 'a/one', percent: 50 })

    await feed.exportFeed({}, 'md')
    const md = readFileSync(join(dir, `out-${asked[1]}`), 'utf8')
    expect(md).toContain('# OpenRouter catalog changes')
    expect(md).toContain('3 events over 2 snapshots, newest first.')
    expect(md).toContain('prompt $3.00 → $4.50 / 1M tokens (+50.0%)')

    await feed.exportFeed({ model: 'c/*' }, 'xlsx')
    const book = new ExcelJS.Workbook()
    const bytes = readFileSync(join(dir, `out-${asked[2]}`))
    await book.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer)
    const sheet = book.worksheets[0]!
    expect(sheet.rowCount).toBe(2)
    expect(sheet.getRow(2).getCell(3).value).toBe('c/three')
    await store.close()
  })

  it('a cancelled dialog writes nothing', async () => {
    const { dir, store, feed, cancel } = await setup()
    cancel()
    expect(await feed.exportFeed({}, 'csv')).toEqual({ cancelled: true, fileName: null, rows: 0, bytes: 0 })
    expect(existsSync(join(dir, 'out'))).toBe(false)
    await store.close()
  })
})
