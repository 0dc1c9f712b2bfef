import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { build } from 'esbuild'
import { renderExport, type RenderOptions } from '../../src/main/services/export/render'
import { toXlsx } from '../../src/main/services/export/xlsx'
import { diffCatalogs } from '../../src/shared/model/diff'
import type { RawModel } from '../../src/shared/model/raw'
import { TRUNCATION_MARK, XLSX_MAX_CELL_CHARS, XLSX_MAX_ROWS } from '../../src/shared/export/xlsx-cell'
import { assertStrictXml, strictSheets } from '../helpers/xlsx-reader'
import { cleanupTempDirs, tempDir } from './snapshots/helpers'

afterAll(cleanupTempDirs)

const ROOT = join(__dirname, '../..')
const XLSX: RenderOptions = {
  format: 'xlsx',
  columns: ['id', 'name', 'prompt', 'supportedParameters'],
  unit: 'per-million',
  raw: false,
  bom: false,
  title: 'T',
}

/** Every character XML 1.0 forbids, each in its own model name, with allowed neighbours. */
const FORBIDDEN = [
  '\u0000',
  '\u0001',
  '\u0008',
  '\u000B',
  '\u000C',
  '\u001F',
  '\uFFFE',
  '\uFFFF',
  '\uD800',
  '\uDFFF',
]
const LONG = 'x'.repeat(XLSX_MAX_CELL_CHARS + 5_000)

const records: RawModel[] = [
  ...FORBIDDEN.map((ch, i) => ({
    id: `bad/char-${i}`,
    name: `Model ${ch} name ${i}`,
    supported_parameters: [`tab\there, line\nbreak, emoji 🚀, and ${ch}`],
    pricing: { prompt: '0.000001', completion: '0.000002' },
  })),
  { id: 'huge/price', name: 'Huge', pricing: { prompt: '1e400', completion: '0.000002' } },
  { id: 'long/text', name: 'Long', supported_parameters: [LONG], pricing: { prompt: '0', completion: '0' } },
  // A cut at the limit would fall inside this emoji's surrogate pair.
  {
    id: 'long/emoji',
    name: 'Emoji',
    supported_parameters: [
      `${'y'.repeat(XLSX_MAX_CELL_CHARS - TRUNCATION_MARK.length - 1)}🚀${'z'.repeat(100)}`,
    ],
    pricing: { prompt: '0', completion: '0' },
  },
]

/** The text of every cell of a raw sheet XML, in document order, by reference (A2, B2, …). */
function cellsOf(xml: string): Map<string, { type: string | null; text: string }> {
  const cells = new Map<string, { type: string | null; text: string }>()
  for (const m of xml.matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
    const type = /\bt="(\w+)"/.exec(m[2]!)?.[1] ?? null
    const inner = m[3] ?? ''
    const text = /<(?:v|t)(?: [^>]*)?>([\s\S]*?)<\/(?:v|t)>/.exec(inner)?.[1] ?? ''
    cells.set(m[1]!, { type, text })
  }
  return cells
}
const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')

describe('xlsx export: a workbook Excel and any strict XML reader can open', () => {
  it('replaces every XML-forbidden character, and the sheet XML parses strictly', async () => {
    const { bytes } = await renderExport({ kind: 'models', layout: 'rows', records }, XLSX)
    const [sheet] = strictSheets(bytes)
    const cells = cellsOf(sheet!)
    FORBIDDEN.forEach((ch, i) => {
      const row = i + 2
      expect(unescape(cells.get(`B${row}`)!.text)).toBe(`Model \uFFFD name ${i}`)
      expect(unescape(cells.get(`D${row}`)!.text)).toBe(`tab\there, line\nbreak, emoji 🚀, and \uFFFD`)
    })
    // exceljs agrees with the raw reading.
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer,
    )
    expect(workbook.worksheets[0]!.getRow(2).getCell(2).value).toBe('Model \uFFFD name 0')
  })

  it('writes a price too large for a number as its exact decimal text, never Infinity', async () => {
    const { bytes } = await renderExport({ kind: 'models', layout: 'rows', records }, XLSX)
    const [sheet] = strictSheets(bytes)
    expect(sheet).not.toMatch(/Infinity|NaN/)
    const price = cellsOf(sheet!).get(`C${FORBIDDEN.length + 2}`)!
    // 1e400 per token is 1e406 per million: a 1 and 406 zeros, as text.
    expect(price).toEqual({ type: 'str', text: `1${'0'.repeat(406)}` })
  })

  it('writes non-finite numbers from a diff as text', async () => {
    const before: RawModel[] = [{ id: 'a/b', name: 'A', context_length: 1000 }]
    const after: RawModel[] = [{ id: 'a/b', name: 'A', context_length: JSON.parse('1e400') as number }]
    const diff = diffCatalogs(before, after)
    const { bytes } = await renderExport({ kind: 'diff', diff, names: new Map() }, XLSX)
    const [changes] = strictSheets(bytes)
    const to = cellsOf(changes!).get('F2')!
    expect(to).toEqual({ type: 'str', text: 'Infinity' })
    // A cell without a type is a number: Infinity there is what Excel cannot read.
    expect(changes).not.toMatch(/<c r="[A-Z]+\d+"(?: s="\d+")?><v>Infinity<\/v>/)
  })

  it('cuts a cell over 32,767 characters with a visible mark, never inside a surrogate pair', async () => {
    const { bytes } = await renderExport({ kind: 'models', layout: 'rows', records }, XLSX)
    const [sheet] = strictSheets(bytes)
    const cells = cellsOf(sheet!)
    const long = unescape(cells.get(`D${FORBIDDEN.length + 3}`)!.text)
    expect(long).toHaveLength(XLSX_MAX_CELL_CHARS)
    expect(long.endsWith(`x${TRUNCATION_MARK}`)).toBe(true)
    const emoji = unescape(cells.get(`D${FORBIDDEN.length + 4}`)!.text)
    expect(emoji.length).toBeLessThanOrEqual(XLSX_MAX_CELL_CHARS)
    expect(emoji.endsWith(`y${TRUNCATION_MARK}`)).toBe(true)
    expect(emoji).not.toMatch(/[\uD800-\uDFFF]/)
  })

  it('refuses a sheet over Excel’s row limit with a clear message, before any work', async () => {
    // Sparse: the limit must be checked before a single row is read.
    const rows = new Array(XLSX_MAX_ROWS)
    const sheet = { title: 'Models', columns: [{ key: 'id', header: 'ID', numeric: false }], rows }
    const err = await toXlsx([sheet]).catch((e: unknown) => e)
    expect(err).toMatchObject({
      code: 'invalid-input',
      message:
        'Too many rows for Excel: the sheet "Models" has 1,048,576, and an Excel sheet holds at most 1,048,575 under its header. Export fewer models (use a filter) or choose CSV or JSON, which have no row limit.',
    })
  })

  describe('in bounded memory', () => {
    let bundle = ''
    beforeAll(async () => {
      const dir = tempDir('xlsx-bundle-')
      // The bundle imports exceljs at run time; a link lets it resolve from the temp folder.
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'))
      bundle = join(dir, 'xlsx.mjs')
      await build({
        entryPoints: [join(ROOT, 'src/main/services/export/xlsx.ts')],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node22',
        outfile: bundle,
        packages: 'external',
        logLevel: 'error',
      })
    })

    it('writes 100,000 rows in a 200 MB heap, where the whole-workbook writer ran out of memory', async () => {
      const out = join(tempDir('xlsx-big-'), 'big.xlsx')
      mkdirSync(join(out, '..'), { recursive: true })
      const script = `
        const { writeFileSync } = await import('node:fs')
        const { toXlsx } = await import(${JSON.stringify(bundle)})
        const rows = []
        for (let i = 0; i < 100000; i++)
          rows.push(['author/model-' + i, 'Author: Model number ' + i, 128000, 0.0000025 * (i % 7), 10, 'text, image'])
        const columns = ['id', 'name', 'context', 'prompt', 'completion', 'input'].map((key, i) => ({ key, header: key, numeric: i >= 2 && i < 5 }))
        writeFileSync(${JSON.stringify(out)}, await toXlsx([{ title: 'Models', columns, rows }]))
      `
      const child = spawn(
        process.execPath,
        ['--max-old-space-size=200', '--input-type=module', '-e', script],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      )
      let stderr = ''
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
      expect(code, stderr.slice(0, 2000)).toBe(0)
      const [sheet] = strictSheets(readFileSync(out))
      expect(sheet!.match(/<row /g)).toHaveLength(100_001)
      expect(sheet).toContain('<c r="B100001" t="str"><v>Author: Model number 99999</v></c>')
    })
  })
})

describe('the strict XML check itself', () => {
  it.each([
    ['a forbidden character', '<a>\uFFFF</a>'],
    ['a reference to a forbidden character', '<a>&#xFFFF;</a>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['a bare ampersand', '<a>x & y</a>'],
    ['unbalanced tags', '<a><b></a>'],
    ['an unclosed root', '<a>'],
    ['two roots', '<a/><b/>'],
    ['an unquoted attribute', '<a x=1/>'],
    ['a repeated attribute', '<a x="1" x="2"/>'],
  ])('rejects %s', (_name, xml) => {
    expect(() => assertStrictXml(xml)).toThrow()
  })
  it('accepts a well-formed document', () => {
    expect(() =>
      assertStrictXml('<?xml version="1.0"?>\n<a x="1" y=\'&amp;\'><b>t&lt;&#x1F680;</b><c/></a>'),
    ).not.toThrow()
  })
})
