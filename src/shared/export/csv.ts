import Papa from 'papaparse'
import { cellText, type Cell, type Sheet } from './sheet'

/**
 * Spreadsheets run a cell that starts with one of these as a formula (CSV injection, CWE-1236): a
 * model name like `=HYPERLINK(…)` from an API must arrive as text. The full-width ＝＋－＠
 * (U+FF1D, U+FF0B, U+FF0D, U+FF20) count too: Excel in East Asian locales reads them as = + - @.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/

/** A cell as CSV text, formula-guarded. Numbers are exempt: -1 is a number, not a formula. */
export function csvCell(cell: Cell): string {
  const value = cellText(cell)
  return typeof cell === 'string' && FORMULA_START.test(value) ? `'${value}` : value
}

export const BOM = '\ufeff'

/** RFC 4180: CRLF line ends, quotes only where needed, doubled quotes inside; a BOM on request (Excel). */
export function toCsv(sheet: Sheet, opts: { bom?: boolean } = {}): string {
  const body = Papa.unparse(
    {
      fields: sheet.columns.map((c) => csvCell(c.header)),
      data: sheet.rows.map((row) => row.map(csvCell)),
    },
    { newline: '\r\n', quotes: false, escapeFormulae: false, header: true },
  )
  return `${opts.bom ? BOM : ''}${body}\r\n`
}
