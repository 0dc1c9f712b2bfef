import { describe, expect, it } from 'vitest'
import type { Cell } from './sheet'
import { TRUNCATION_MARK, XLSX_MAX_CELL_CHARS, xlsxText, xlsxValue, xmlSafeText } from './xlsx-cell'

describe('xmlSafeText', () => {
  it.each<[string, string]>([
    ['plain', 'plain'],
    ['tab\tLF\nCR\r', 'tab\tLF\nCR\r'],
    ['nul\u0000', 'nul\uFFFD'],
    ['bell\u0007 vt\u000B ff\u000C us\u001F', 'bell\uFFFD vt\uFFFD ff\uFFFD us\uFFFD'],
    ['\uFFFE and \uFFFF', '\uFFFD and \uFFFD'],
    ['lone high \uD800 end', 'lone high \uFFFD end'],
    ['lone low \uDC00 end', 'lone low \uFFFD end'],
    ['reversed pair \uDE80\uD83D', 'reversed pair \uFFFD\uFFFD'],
    ['emoji 🚀 kept', 'emoji 🚀 kept'],
    ['private use \uE000 and \uFFFD kept', 'private use \uE000 and \uFFFD kept'],
    ['DEL \u007F and C1 \u0085 are allowed in XML 1.0', 'DEL \u007F and C1 \u0085 are allowed in XML 1.0'],
  ])('%j → %j', (text, expected) => {
    expect(xmlSafeText(text)).toBe(expected)
  })
})

describe('xlsxText', () => {
  it.each<[string, number, string]>([
    ['at the limit', XLSX_MAX_CELL_CHARS, 'a'.repeat(XLSX_MAX_CELL_CHARS)],
    [
      'one over',
      XLSX_MAX_CELL_CHARS + 1,
      `${'a'.repeat(XLSX_MAX_CELL_CHARS - TRUNCATION_MARK.length)}${TRUNCATION_MARK}`,
    ],
  ])('%s', (_name, length, expected) => {
    expect(xlsxText('a'.repeat(length))).toBe(expected)
  })

  it('never leaves half a surrogate pair at the cut', () => {
    const before = XLSX_MAX_CELL_CHARS - TRUNCATION_MARK.length - 1
    const cut = xlsxText(`${'a'.repeat(before)}🚀${'b'.repeat(50)}`)
    expect(cut).toBe(`${'a'.repeat(before)}${TRUNCATION_MARK}`)
    expect(xmlSafeText(cut)).toBe(cut)
  })
})

describe('xlsxValue', () => {
  it.each<[Cell, Cell]>([
    [1.5, 1.5],
    [-1, -1],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
    [NaN, 'NaN'],
    [true, true],
    [null, null],
    ['x\uFFFF', 'x\uFFFD'],
  ])('%j → %j', (cell, expected) => {
    expect(xlsxValue(cell)).toBe(expected)
  })
})
