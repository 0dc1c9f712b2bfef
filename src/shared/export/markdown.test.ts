import { describe, expect, it } from 'vitest'
import { markdownCell, markdownTable, toMarkdown } from './markdown'
import type { Cell, Sheet } from './sheet'

const sheet: Sheet = {
  title: 'Models',
  columns: [
    { key: 'id', header: 'ID', numeric: false },
    { key: 'ctx', header: 'Context (tokens)', numeric: true },
  ],
  rows: [
    ['a/b', 128000],
    ['pipe|name', null],
  ],
}

describe('markdownCell', () => {
  it.each<[Cell, string]>([
    ['plain', 'plain'],
    ['a|b', 'a\\|b'],
    ['a\\|b', 'a\\\\\\|b'],
    ['line 1\nline 2', 'line 1<br>line 2'],
    ['crlf\r\nend', 'crlf<br>end'],
    ['cr\rend', 'cr<br>end'],
    ['<script>', '&lt;script>'],
    [0.0000025, '0.0000025'],
    [null, ''],
    [false, 'false'],
  ])('%j → %j', (cell, expected) => {
    expect(markdownCell(cell)).toBe(expected)
  })
})

describe('markdownTable', () => {
  it('has a header, an alignment row with numbers right-aligned, and one line per row', () => {
    expect(markdownTable(sheet)).toBe(
      ['| ID | Context (tokens) |', '| --- | ---: |', '| a/b | 128000 |', '| pipe\\|name |  |'].join('\n'),
    )
  })

  it('keeps every row to the column count, whatever the cells hold', () => {
    const nasty: Sheet = {
      ...sheet,
      rows: [
        ['a|b|c\n|d', 1],
        ['x\\', 2],
      ],
    }
    for (const line of markdownTable(nasty).split('\n')) {
      const unescapedPipes = line.replace(/\\\\/g, '').match(/(?<!\\)\|/g) ?? []
      expect(unescapedPipes).toHaveLength(3)
    }
  })
})

describe('toMarkdown', () => {
  it('titles the document and marks empty sections instead of printing bare headers', () => {
    const doc = toMarkdown('Diff', [
      { heading: 'Added (1)', sheet, empty: 'None' },
      { heading: 'Removed (0)', sheet: { ...sheet, rows: [] }, empty: 'No models were removed.' },
    ])
    expect(doc).toContain('# Diff\n\n## Added (1)\n\n| ID |')
    expect(doc).toContain('## Removed (0)\n\n_No models were removed._\n')
  })
})
