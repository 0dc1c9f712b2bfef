import { cellText, type Sheet } from '../../../shared/export/sheet'

const MIN_WIDTH = 8
const MAX_WIDTH = 60
/** Widths come from a sample: measuring 10k rows buys nothing a reader would notice. */
const WIDTH_SAMPLE_ROWS = 2_000
/** Up to 16 decimals: a per-token price like 0.0000000786 must not display as 0. */
const DECIMAL_FORMAT = '0.0###############'

/** Excel refuses sheet names over 31 characters or with any of : \ / ? * [ ]. */
function sheetName(title: string, taken: Set<string>): string {
  const base =
    title
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

/**
 * An .xlsx workbook, one worksheet per sheet: numbers stored as numbers (so sums and sorts work),
 * text always as text (a name starting with "=" is never a formula here), a frozen, bold, filterable
 * header row and widths fitted to the content.
 */
export async function toXlsx(sheets: readonly Sheet[]): Promise<Buffer> {
  // Loaded on first use: exceljs takes a third of a second to load, which every CLI command and app start would pay.
  const { default: ExcelJS } = await import('exceljs')
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'Model Deck'
  const taken = new Set<string>()
  for (const sheet of sheets) {
    const worksheet = workbook.addWorksheet(sheetName(sheet.title, taken), {
      views: [{ state: 'frozen', ySplit: 1 }],
    })
    worksheet.columns = sheet.columns.map((column, i) => ({
      header: column.header,
      width: columnWidth(sheet, i),
      ...(column.numeric ? { style: { alignment: { horizontal: 'right' as const } } } : {}),
    }))
    const header = worksheet.getRow(1)
    header.font = { bold: true }
    header.alignment = { vertical: 'middle' }
    header.border = { bottom: { style: 'thin' } }
    for (const row of sheet.rows) {
      const added = worksheet.addRow(row.map((cell) => cell ?? null))
      row.forEach((cell, i) => {
        if (typeof cell === 'number' && !Number.isInteger(cell)) added.getCell(i + 1).numFmt = DECIMAL_FORMAT
      })
    }
    if (sheet.columns.length > 0) {
      worksheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } }
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
