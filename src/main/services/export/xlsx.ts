import { PassThrough } from 'node:stream'
import { AppError } from '../../../shared/ipc/result'
import { cellText, type Sheet } from '../../../shared/export/sheet'
import {
  XLSX_MAX_COLUMNS,
  XLSX_MAX_ROWS,
  xlsxText,
  xlsxValue,
  xmlSafeText,
} from '../../../shared/export/xlsx-cell'

const MIN_WIDTH = 8
const MAX_WIDTH = 60
/** Widths come from a sample: measuring 10k rows buys nothing a reader would notice. */
const WIDTH_SAMPLE_ROWS = 2_000
/** Up to 16 decimals: a per-token price like 0.0000000786 must not display as 0. */
const DECIMAL_FORMAT = '0.0###############'

/** Excel refuses sheet names over 31 characters or with any of : \ / ? * [ ]. */
function sheetName(title: string, taken: Set<string>): string {
  const base =
    xmlSafeText(title)
      .replace(/[:\\/?*[\]]/g, ' ')
      .trim()
      .slice(0, 31) || 'Sheet'
  let name = base
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base.slice(0, 27)} (${n})`
  taken.add(name.toLowerCase())
  return name
}

function columnWidth(sheet: Sheet, index: number): number {
  let widest = sheet.columns[index]!.header.length
  for (const row of sheet.rows.slice(0, WIDTH_SAMPLE_ROWS)) {
    const cell = row[index] ?? null
    const longestLine = Math.max(
      0,
      ...cellText(cell)
        .split('\n')
        .map((l) => l.length),
    )
    widest = Math.max(widest, longestLine)
  }
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, widest + 2))
}

const count = (n: number) => n.toLocaleString('en-US')

/** Checked before any work: a sheet Excel cannot open is refused with what to do instead. */
function assertFitsExcel(sheets: readonly Sheet[]): void {
  for (const sheet of sheets) {
    const dataRows = XLSX_MAX_ROWS - 1
    if (sheet.rows.length > dataRows) {
      throw new AppError(
        'invalid-input',
        `Too many rows for Excel: the sheet "${sheet.title}" has ${count(sheet.rows.length)}, and an Excel sheet holds at most ${count(dataRows)} under its header. Export fewer models (use a filter) or choose CSV or JSON, which have no row limit.`,
      )
    }
    if (sheet.columns.length > XLSX_MAX_COLUMNS) {
      throw new AppError(
        'invalid-input',
        `Too many columns for Excel: the sheet "${sheet.title}" has ${count(sheet.columns.length)}, and an Excel sheet holds at most ${count(XLSX_MAX_COLUMNS)}. Compare fewer models or choose CSV or JSON.`,
      )
    }
  }
}

/**
 * An .xlsx workbook, one worksheet per sheet: numbers stored as numbers (so sums and sorts work),
 * text always as text (a name starting with "=" is never a formula here), a frozen, bold, filterable
 * header row and widths fitted to the content. Every cell passes `xlsxValue` (XML-safe text within
 * Excel's cell limit, no Infinity), so no content from the API can make the file unreadable.
 *
 * Rows are streamed and committed one by one: the in-memory workbook model ran out of memory well
 * before Excel's row limit. Strings are written in the cells rather than in a shared-strings table,
 * which would hold every distinct string until the end.
 */
export async function toXlsx(sheets: readonly Sheet[]): Promise<Buffer> {
  assertFitsExcel(sheets)
  // Loaded on first use: exceljs takes a third of a second to load, which every CLI command and app start would pay.
  const { default: ExcelJS } = await import('exceljs')
  const sink = new PassThrough()
  const chunks: Buffer[] = []
  sink.on('data', (chunk: Buffer) => chunks.push(chunk))
  const drained = new Promise<void>((resolve, reject) => {
    sink.once('end', resolve)
    sink.once('error', reject)
  })
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: sink,
    useStyles: true,
    useSharedStrings: false,
  })
  workbook.creator = 'Model Deck'
  const taken = new Set<string>()
  for (const sheet of sheets) {
    const worksheet = workbook.addWorksheet(sheetName(sheet.title, taken), {
      views: [{ state: 'frozen', ySplit: 1 }],
    })
    worksheet.columns = sheet.columns.map((column, i) => ({
      header: xlsxText(column.header),
      width: columnWidth(sheet, i),
      ...(column.numeric ? { style: { alignment: { horizontal: 'right' as const } } } : {}),
    }))
    const header = worksheet.getRow(1)
    header.font = { bold: true }
    header.alignment = { vertical: 'middle' }
    header.border = { bottom: { style: 'thin' } }
    header.commit()
    if (sheet.columns.length > 0) {
      worksheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } }
    }
    for (const row of sheet.rows) {
      const values = row.map(xlsxValue)
      const added = worksheet.addRow(values)
      values.forEach((cell, i) => {
        if (typeof cell === 'number' && !Number.isInteger(cell)) added.getCell(i + 1).numFmt = DECIMAL_FORMAT
      })
      added.commit()
    }
    worksheet.commit()
  }
  await workbook.commit()
  await drained
  return Buffer.concat(chunks)
}
