import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  promises as fsp,
  chmodSync,
  existsSync,
  readFileSync,
  readdirSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { Marked } from 'marked'
import Papa from 'papaparse'
import { createSnapshotStore, type SnapshotStore } from '../../src/main/services/snapshots/snapshot-store'
import { createSettingsService, type SettingsService } from '../../src/main/services/settings'
import { createExportService, type ExportRequest } from '../../src/main/services/export-service'
import type { Dialogs } from '../../src/main/dialogs'
import { parseModelsBody } from '../../src/shared/model/parse'
import { normaliseModel } from '../../src/shared/model/normalise'
import { catalogSheet } from '../../src/shared/export/catalog-sheet'
import { toDiffJson, diffCatalogs } from '../../src/shared/model/diff'
import type { RawModel } from '../../src/shared/model/raw'
import type { Cell } from '../../src/shared/export/sheet'
import { allModels, cleanupTempDirs, tempDir, userModels } from './snapshots/helpers'

afterAll(cleanupTempDirs)

/** Records whose text a spreadsheet or a Markdown renderer could misread. */
const TRICKY: RawModel[] = [
  {
    id: 'evil/formula',
    name: '=HYPERLINK("http://evil.example","click")',
    context_length: 8192,
    pricing: { prompt: '0.000001', completion: '0.000002' },
  },
  { id: 'evil/plus', name: '+44 calls', pricing: { prompt: '0', completion: '0' } },
  { id: 'evil/minus', name: '-dash', pricing: { prompt: '-1', completion: '-1' } },
  { id: 'evil/at', name: '@SUM(A1:A9)', pricing: { prompt: '0.0000000786', completion: '0.0000003' } },
  { id: 'evil/tab', name: '\tTabbed', pricing: { prompt: '0.00015', completion: '0.0006' } },
  {
    id: 'evil/text',
    name: 'Pipes | "quotes", commas\nand newlines — 模型 🚀',
    pricing: { prompt: '0.000003', completion: '0.000015' },
  },
]

describe('export service', () => {
  let dir: string
  let store: SnapshotStore
  let settings: SettingsService
  let nextPath: string | null = null
  const offered: Parameters<Dialogs['chooseSavePath']>[0][] = []
  let exporter: ReturnType<typeof createExportService>
  let mayId: string
  let augId: string
  let trickyId: string

  beforeAll(async () => {
    dir = tempDir('export-')
    store = await createSnapshotStore({
      dir: join(dir, 'data', 'snapshots'),
      appVersion: '0.1.0',
      parseModels: parseModelsBody,
    })
    settings = createSettingsService({ dir: join(dir, 'data') })
    const dialogs: Dialogs = {
      chooseSavePath: async (opts) => {
        offered.push(opts)
        return nextPath
      },
      chooseOpenPath: async () => null,
    }
    exporter = createExportService({ store, dialogs, settings })
    const base = { region: 'global' as const, profile: 'p-test' }
    mayId = (
      await store.save({ ...base, source: 'user', models: userModels(), takenAt: '2026-05-16T09:00:00Z' })
    ).meta.id
    augId = (
      await store.save({ ...base, source: 'all', models: allModels(), takenAt: '2026-08-19T10:15:00Z' })
    ).meta.id
    trickyId = (await store.save({ ...base, source: 'all', models: TRICKY, takenAt: '2026-08-20T08:00:00Z' }))
      .meta.id
  })
  afterEach(() => {
    vi.restoreAllMocks()
    nextPath = null
  })

  const target = (name: string) => join(dir, name)
  async function run(request: ExportRequest, name: string) {
    nextPath = target(name)
    const outcome = await exporter.save(request)
    return { outcome, path: nextPath }
  }
  const csvRows = (path: string) =>
    Papa.parse<Cell[]>(readFileSync(path, 'utf8').replace(/^\ufeff/, ''), {
      dynamicTyping: true,
      skipEmptyLines: true,
    }).data

  it('writes the filtered catalog as CSV in display order, numbers as numbers, and remembers the choices', async () => {
    const all = allModels()
    const ids = [all[40]!.id, all[3]!.id, 'not/in-this-snapshot', all[200]!.id]
    const columns = ['id', 'name', 'context', 'prompt', 'completion']
    const { outcome, path } = await run(
      {
        what: 'catalog',
        format: 'csv',
        snapshotId: augId,
        modelIds: ids,
        columns,
        unit: 'per-million',
        bom: true,
      },
      'catalog.csv',
    )
    expect(offered.at(-1)).toEqual({
      defaultName: 'openrouter-models-2026-08-19.csv',
      filters: [{ name: 'CSV (comma-separated values)', extensions: ['csv'] }],
    })
    expect(outcome).toEqual({
      cancelled: false,
      fileName: 'catalog.csv',
      rows: 3,
      bytes: readFileSync(path).length,
    })
    expect(readFileSync(path).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]))
    const rows = csvRows(path)
    expect(rows[0]).toEqual([
      'ID',
      'Name',
      'Context (tokens)',
      'Prompt ($/1M tokens)',
      'Completion ($/1M tokens)',
    ])
    // An independent reading of the records: the API's per-token strings times a million.
    const expected = [all[40]!, all[3]!, all[200]!].map((r) => {
      const pricing = r.pricing as { prompt: string; completion: string }
      const perM = (v: string) => (Number(v) < 0 ? 'variable' : Number(v) * 1e6)
      return [r.id, r.name, r.context_length, perM(pricing.prompt), perM(pricing.completion)]
    })
    expect(rows.slice(1).map((r) => r.slice(0, 3))).toEqual(expected.map((r) => r.slice(0, 3)))
    rows.slice(1).forEach((row, i) => {
      for (const col of [3, 4]) {
        const want = expected[i]![col]
        if (typeof want === 'number') expect(row[col]).toBeCloseTo(want, 9)
        else expect(row[col]).toBe(want)
      }
    })
    expect((await settings.get()).export).toEqual({ unit: 'per-million', bom: true, columns })

    // The next export without explicit choices uses the remembered ones.
    const again = await run({ what: 'snapshot', format: 'csv', snapshotId: augId }, 'snapshot.csv')
    expect(again.outcome.rows).toBe(549)
    expect(csvRows(again.path)[0]).toEqual(rows[0])
    expect(readFileSync(again.path, 'utf8').startsWith('\ufeff')).toBe(true)
  })

  it('guards formulas and escapes quotes, commas and newlines in CSV', async () => {
    const { path } = await run(
      {
        what: 'snapshot',
        format: 'csv',
        snapshotId: trickyId,
        columns: ['id', 'name', 'prompt'],
        unit: 'per-token',
        bom: false,
      },
      'tricky.csv',
    )
    const text = readFileSync(path, 'utf8')
    expect(text.includes('\r\n')).toBe(true)
    const rows = csvRows(path)
    expect(rows.slice(1)).toEqual([
      ['evil/formula', `'${TRICKY[0]!.name}`, 0.000001],
      ['evil/plus', "'+44 calls", 0],
      ['evil/minus', "'-dash", 'variable'],
      ['evil/at', "'@SUM(A1:A9)", 0.0000000786],
      // Normalisation trims names, so a leading tab never reaches the file at all.
      ['evil/tab', 'Tabbed', 0.00015],
      ['evil/text', TRICKY[5]!.name, 0.000003],
    ])
    // Prices are written as plain decimals, never in exponent notation a spreadsheet might misread.
    expect(text).toContain(',0.0000000786\r\n')
  })

  it('writes an .xlsx that reads back as the same rows, with numbers as numbers and a frozen header', async () => {
    const all = allModels()
    const ids = all.slice(0, 60).map((m) => m.id)
    const columns = [
      'name',
      'id',
      'context',
      'maxOutput',
      'prompt',
      'completion',
      'cacheRead',
      'moderated',
      'inputModalities',
    ]
    const { outcome, path } = await run(
      { what: 'catalog', format: 'xlsx', snapshotId: augId, modelIds: ids, columns, unit: 'per-million' },
      'catalog.xlsx',
    )
    expect(outcome.rows).toBe(60)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(path)
    const sheet = workbook.worksheets[0]!
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    const source = catalogSheet(all.slice(0, 60).map(normaliseModel), columns as never, 'per-million')
    const header = (sheet.getRow(1).values as unknown[]).slice(1)
    expect(header).toEqual(source.columns.map((c) => c.header))
    expect(header).toContain('Prompt ($/1M tokens)')
    expect(sheet.getRow(1).font?.bold).toBe(true)
    for (let i = 0; i < source.rows.length; i++) {
      const values = sheet.getRow(i + 2).values as unknown[]
      const read = source.columns.map((_, c) => values[c + 1] ?? null)
      expect(read).toEqual(source.rows[i])
    }
    const promptCell = sheet.getRow(2).getCell(5)
    expect(typeof promptCell.value).toBe('number')
    expect(sheet.getColumn(1).width).toBeGreaterThan(10)
    expect(sheet.getColumn(1).width).toBeLessThanOrEqual(62)
  })

  it('keeps formula-like names as text in .xlsx', async () => {
    const { path } = await run(
      {
        what: 'snapshot',
        format: 'xlsx',
        snapshotId: trickyId,
        columns: ['name', 'prompt'],
        unit: 'per-token',
      },
      'tricky.xlsx',
    )
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(path)
    const sheet = workbook.worksheets[0]!
    const first = sheet.getRow(2).getCell(1)
    expect(first.type).toBe(ExcelJS.ValueType.String)
    expect(first.value).toBe(TRICKY[0]!.name)
    expect(sheet.getRow(5).getCell(2).value).toBe(0.0000000786)
    expect(sheet.getRow(5).getCell(2).numFmt).toMatch(/^0\.0#+$/)
    expect(sheet.getRow(4).getCell(2).value).toBe('variable')
  })

  it('writes JSON: the records exactly as received, or normalised rows', async () => {
    const all = allModels()
    const ids = [all[7]!.id, all[1]!.id]
    const raw = await run(
      { what: 'selection', format: 'json', snapshotId: augId, modelIds: ids, raw: true },
      'raw.json',
    )
    expect(offered.at(-1)?.defaultName).toBe('openrouter-selection-2026-08-19.json')
    expect(JSON.parse(readFileSync(raw.path, 'utf8'))).toEqual({ data: [all[7], all[1]] })
    // The raw file is a /models body: it parses as a catalog again.
    expect(parseModelsBody(JSON.parse(readFileSync(raw.path, 'utf8'))).models).toHaveLength(2)

    const rows = await run(
      {
        what: 'selection',
        format: 'json',
        snapshotId: augId,
        modelIds: ids,
        columns: ['id', 'prompt'],
        unit: 'per-token',
      },
      'rows.json',
    )
    const doc = JSON.parse(readFileSync(rows.path, 'utf8'))
    expect(doc.unit).toBe('per-token')
    expect(doc.rows.map((r: { id: string }) => r.id)).toEqual(ids)
    expect(doc.rows[0].prompt).toBe(Number((all[7]!.pricing as { prompt: string }).prompt))
  })

  it('writes a Markdown table with pipes and newlines escaped', async () => {
    const { path } = await run(
      {
        what: 'snapshot',
        format: 'md',
        snapshotId: trickyId,
        columns: ['id', 'name', 'prompt'],
        unit: 'per-million',
      },
      'tricky.md',
    )
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n')
    expect(lines[0]).toBe('# OpenRouter models (6)')
    const table = lines.filter((l) => l.startsWith('|'))
    expect(table[0]).toBe('| ID | Name | Prompt ($/1M tokens) |')
    expect(table[1]).toBe('| --- | --- | ---: |')
    expect(table).toHaveLength(2 + TRICKY.length)
    expect(table.at(-1)).toBe('| evil/text | Pipes \\| "quotes", commas<br>and newlines — 模型 🚀 | 3 |')
  })

  it('writes model names that hold Markdown links, images or HTML as plain text', async () => {
    const hostile: RawModel[] = [
      {
        id: 'evil/img',
        name: '![img](https://tracker.example/p.png)',
        pricing: { prompt: '0', completion: '0' },
      },
      { id: 'evil/js', name: '[x](javascript:alert(1))', pricing: { prompt: '0', completion: '0' } },
      {
        id: 'evil/auto',
        name: 'Visit https://evil.example <b>now</b>',
        pricing: { prompt: '0', completion: '0' },
      },
    ]
    const id = (
      await store.save({
        source: 'all',
        region: 'global',
        profile: 'p-test',
        models: hostile,
        takenAt: '2026-08-21T08:00:00Z',
      })
    ).meta.id
    const { path } = await run(
      { what: 'snapshot', format: 'md', snapshotId: id, columns: ['id', 'name'], unit: 'per-million' },
      'hostile.md',
    )
    const html = new Marked({ gfm: true, async: false }).parse(readFileSync(path, 'utf8')) as string
    expect(html).toContain('<table>')
    expect(html).not.toMatch(/<(?:a|img|b)\b/)
    expect(html).toContain('<td>![img](https://tracker.example/p.png)</td>')
    expect(html).toContain('<td>[x](javascript:alert(1))</td>')
    expect(html).toContain('<td>Visit https://evil.example &lt;b&gt;now&lt;/b&gt;</td>')
  })

  it('exports the May → Aug 2026 diff as the stable JSON, a CSV of changes and a three-sheet workbook', async () => {
    const expected = diffCatalogs(userModels(), allModels())
    const json = await run({ what: 'diff', format: 'json', snapshotId: augId, againstId: mayId }, 'diff.json')
    expect(offered.at(-1)?.defaultName).toBe('openrouter-diff-2026-05-16-2026-08-19.json')
    expect(readFileSync(json.path, 'utf8')).toBe(`${toDiffJson(expected, 2)}\n`)

    const csv = await run({ what: 'diff', format: 'csv', snapshotId: augId, againstId: mayId }, 'diff.csv')
    const rows = csvRows(csv.path)
    expect(rows[0]).toEqual(['Change', 'ID', 'Name', 'Field', 'Group', 'From', 'To'])
    const fieldChanges = expected.changed.reduce((n, m) => n + Object.keys(m.fields).length, 0)
    expect(csv.outcome.rows).toBe(expected.counts.added + expected.counts.removed + fieldChanges)
    expect(rows).toHaveLength(csv.outcome.rows + 1)
    expect(rows.filter((r) => r[0] === 'added').map((r) => r[1])).toEqual(expected.added.map((m) => m.id))
    expect(rows.filter((r) => r[0] === 'removed').map((r) => r[1])).toEqual(expected.removed.map((m) => m.id))
    const change = expected.changed[0]!
    const [field, values] = Object.entries(change.fields)[0]!
    const row = rows.find((r) => r[0] === 'changed' && r[1] === change.id && r[3] === field)!
    expect(row[4]).toBe(values.group)

    const xlsx = await run({ what: 'diff', format: 'xlsx', snapshotId: augId, againstId: mayId }, 'diff.xlsx')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(xlsx.path)
    expect(workbook.worksheets.map((s) => [s.name, s.rowCount - 1])).toEqual([
      ['Changed', fieldChanges],
      ['Added', expected.counts.added],
      ['Removed', expected.counts.removed],
    ])

    const md = await run({ what: 'diff', format: 'md', snapshotId: augId, againstId: mayId }, 'diff.md')
    const text = readFileSync(md.path, 'utf8')
    expect(text).toContain(`## Added (${expected.counts.added})`)
    expect(text).toContain(`## Removed (${expected.counts.removed})`)
    expect(text).toContain(`${expected.counts.changed} changed`)
  })

  it('exports a comparison with one row per field and one column per model', async () => {
    const all = allModels()
    const ids = [all[0]!.id, all[5]!.id, all[9]!.id]
    const { outcome, path } = await run(
      {
        what: 'compare',
        format: 'csv',
        snapshotId: augId,
        modelIds: ids,
        columns: ['name', 'prompt', 'context'],
        unit: 'per-million',
      },
      'compare.csv',
    )
    expect(offered.at(-1)?.defaultName).toMatch(/^openrouter-compare-.+-vs-.+-2026-08-19\.csv$/)
    expect(outcome.rows).toBe(3)
    const rows = csvRows(path)
    expect(rows[0]).toEqual(['Field', ...ids])
    expect(rows.map((r) => r[0])).toEqual(['Field', 'Name', 'Prompt ($/1M tokens)', 'Context (tokens)'])
    expect(rows[3]).toEqual([
      'Context (tokens)',
      ...ids.map((id) => all.find((m) => m.id === id)!.context_length),
    ])
    // A comparison does not overwrite the catalog's remembered columns.
    expect((await settings.get()).export.columns).not.toEqual(['name', 'prompt', 'context'])
  })

  it.skipIf(process.platform === 'win32')(
    'keeps the mode of a replaced file and sweeps a stale temp file a killed export left',
    async () => {
      const path = target('shared-with-group.csv')
      writeFileSync(path, 'old\n')
      chmodSync(path, 0o640)
      const leftover = target('.shared-with-group.csv.model-deck-0123456789ab.tmp')
      writeFileSync(leftover, 'half an export')
      const dayAgo = new Date(Date.now() - 24 * 3600_000)
      utimesSync(leftover, dayAgo, dayAgo)
      nextPath = path
      await exporter.save({ what: 'snapshot', format: 'csv', snapshotId: trickyId })
      expect(statSync(path).mode & 0o777).toBe(0o640)
      expect(readFileSync(path, 'utf8')).toContain('evil/formula')
      expect(existsSync(leftover)).toBe(false)
    },
  )

  it('writes nothing when the save dialog is cancelled', async () => {
    nextPath = null
    const before = readdirSync(dir)
    const outcome = await exporter.save({ what: 'snapshot', format: 'csv', snapshotId: augId })
    expect(outcome).toEqual({ cancelled: true, fileName: null, rows: 0, bytes: 0 })
    expect(readdirSync(dir)).toEqual(before)
  })

  it.each<[string, ExportRequest, RegExp]>([
    [
      'a selection without models',
      { what: 'selection', format: 'csv', snapshotId: 'x' },
      /Choose the models/,
    ],
    ['a diff without the other side', { what: 'diff', format: 'csv', snapshotId: 'x' }, /compare against/],
  ])('refuses %s before asking for a path', async (_name, request, message) => {
    const count = offered.length
    const err = await exporter.save({ ...request, snapshotId: augId }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(message) })
    expect(offered).toHaveLength(count)
  })

  it.each<[string, string, string]>([
    ['the disk is full', 'ENOSPC', 'disk-full'],
    ['permission is denied', 'EACCES', 'permission-denied'],
  ])('leaves the existing file intact and nothing half-written when %s', async (_name, errno, code) => {
    const path = target(`existing-${errno}.csv`)
    writeFileSync(path, 'the old export\n')
    const realOpen = fsp.open.bind(fsp)
    vi.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
      const handle = await realOpen(...args)
      if (errno === 'EACCES') {
        await handle.close()
        throw Object.assign(new Error(`${errno}: refused`), { code: errno })
      }
      let writes = 0
      // The first chunk lands, then the disk fills up: the worst moment for a non-atomic writer.
      const write = handle.write.bind(handle) as (...a: unknown[]) => Promise<{ bytesWritten: number }>
      return Object.assign(Object.create(handle), {
        write: async (buffer: Uint8Array, offset: number, length: number) => {
          if (writes++ > 0) throw Object.assign(new Error(`${errno}: no space left`), { code: errno })
          return write(buffer, offset, Math.min(length, 1024))
        },
        close: () => handle.close(),
        sync: () => handle.sync(),
      }) as typeof handle
    })
    nextPath = path
    const err = await exporter
      .save({ what: 'snapshot', format: 'csv', snapshotId: augId })
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ code })
    expect((err as Error).message).toMatch(/Nothing was changed/)
    expect(readFileSync(path, 'utf8')).toBe('the old export\n')
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
    expect(existsSync(path)).toBe(true)
  })
})
