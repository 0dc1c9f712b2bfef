import { Dec } from '../pricing/decimal'

/**
 * The format-neutral shape every export passes through: one or more sheets of typed cells. Numbers
 * stay numbers until a writer decides how to spell them, so a spreadsheet gets real numbers and a
 * text format gets exact decimals.
 */
export type Cell = string | number | boolean | null

export type SheetColumn = {
  /** Stable machine name: the column id, or a field name for diff and compare sheets. */
  key: string
  header: string
  /** Right-aligned in Markdown and spreadsheets. */
  numeric: boolean
}

export type Sheet = {
  title: string
  columns: SheetColumn[]
  rows: Cell[][]
}

/** Exact decimal text with no exponent: 1.5e-7 → "0.00000015", as people and spreadsheets expect. */
export function numberText(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return String(value)
  return new Dec(value).toFixed()
}

/** How a cell reads in a text format; null is empty. */
export function cellText(cell: Cell): string {
  if (cell === null) return ''
  if (typeof cell === 'number') return numberText(cell)
  if (typeof cell === 'boolean') return cell ? 'true' : 'false'
  return cell
}
