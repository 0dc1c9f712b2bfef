import { numberText, type Cell } from './sheet'

/** Excel's own limits: past them it repairs (drops) the content or refuses the file. */
export const XLSX_MAX_ROWS = 1_048_576
export const XLSX_MAX_COLUMNS = 16_384
export const XLSX_MAX_CELL_CHARS = 32_767
/** Ends a cut cell, so a reader sees that text is missing rather than trusting a silently short value. */
export const TRUNCATION_MARK = '… [truncated]'

/**
 * Characters XML 1.0 forbids anywhere in a document: C0 controls other than tab, LF and CR,
 * U+FFFE/U+FFFF and lone surrogates (the `u` flag matches a lone surrogate as one code point).
 * One of them in a model name makes the whole workbook unreadable.
 */
const XML_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** Text safe for any XML part: each forbidden character becomes U+FFFD, so a reader sees where one was. */
export function xmlSafeText(text: string): string {
  return text.replace(XML_INVALID, '\uFFFD')
}

/** Text that fits one Excel cell: XML-safe, cut with a visible mark when over the limit. */
export function xlsxText(text: string): string {
  const safe = xmlSafeText(text)
  if (safe.length <= XLSX_MAX_CELL_CHARS) return safe
  let end = XLSX_MAX_CELL_CHARS - TRUNCATION_MARK.length
  // Never split a surrogate pair: half an emoji would be a lone surrogate again.
  const last = safe.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end--
  return `${safe.slice(0, end)}${TRUNCATION_MARK}`
}

/**
 * A cell as the workbook stores it. A number the format cannot hold (Infinity, NaN; exceljs would
 * write the word as a number and break the file) is written as text instead.
 */
export function xlsxValue(cell: Cell): Cell {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : numberText(cell)
  if (typeof cell === 'string') return xlsxText(cell)
  return cell
}
