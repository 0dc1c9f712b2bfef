import fc from 'fast-check'
import { Marked } from 'marked'
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
    ['<script>', '&lt;script&gt;'],
    ['![img](https://t.example/p.png)', '!\\[img\\](https\\://t.example/p.png)'],
    ['[x](javascript:alert(1))', '\\[x\\](javascript:alert(1))'],
    ['AT&T', 'AT&amp;T'],
    ['OpenAI: GPT-4o (2024-05)', 'OpenAI: GPT-4o (2024-05)'],
    ['meta-llama/llama-3-8b:free', 'meta-llama/llama-3-8b:free'],
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

/** GFM as GitHub and most viewers render it, bare autolinks included. */
const gfm = new Marked({ gfm: true, async: false })
const render = (markdown: string) => gfm.parse(markdown) as string

const decode = (html: string) =>
  html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')

/** The one row's cells as a reader sees them, after checking no element but <br> was made from the text. */
function renderedCells(cells: string[]): string[] {
  const sheet: Sheet = {
    title: 'T',
    columns: cells.map((_, i) => ({ key: `c${i}`, header: `C${i}`, numeric: false })),
    rows: [cells],
  }
  const html = render(markdownTable(sheet))
  const body = /<tbody>([\s\S]*)<\/tbody>/.exec(html)?.[1] ?? ''
  return [...body.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => {
    const inner = m[1]!.replace(/<br>/g, '\n')
    expect(inner, `markup made from ${JSON.stringify(cells)}`).not.toMatch(/<[a-z/!?]/i)
    return decode(inner)
  })
}

describe('Markdown cells render as the text itself, never as links, images or HTML', () => {
  it.each([
    ['an image', '![img](https://tracker.example/pixel.png)'],
    ['a javascript link', '[x](javascript:alert(document.cookie))'],
    ['a reference link', '[x][1]\n\n[1]: https://evil.example'],
    ['an autolink', '<https://evil.example>'],
    ['a bare URL', 'see https://evil.example/x now'],
    ['a bare www', 'www.evil.example'],
    ['an e-mail', 'me@evil.example'],
    ['a mailto', 'mailto:me@evil.example'],
    ['raw HTML', '<img src=x onerror=alert(1)><a href="//x">y</a>'],
    ['an entity', '&lt;img src=x&gt; &#60;b&#62;'],
    ['emphasis and code', '**bold** _it_ ~~gone~~ `code`'],
    ['a backslash before a bracket', '\\![a](b)'],
    ['a footnote', 'x[^1]'],
  ])('%s', (_name, text) => {
    expect(renderedCells([text])).toEqual([text])
    expect(
      render(markdownTable({ title: 'T', columns: [{ key: 'a', header: text, numeric: false }], rows: [] })),
    ).not.toMatch(/<(?:a|img)\b/)
  })

  it('holds for any mix of the characters that make Markdown', () => {
    const token = fc.constantFrom(
      '[',
      ']',
      '(',
      ')',
      '!',
      '<',
      '>',
      '&',
      '*',
      '_',
      '`',
      '~',
      '\\',
      '|',
      '#',
      ':',
      '@',
      '.',
      '/',
      '"',
      "'",
      'a',
      'b',
      ' ',
      '\n',
      'http://',
      'https://',
      'www.',
      'javascript:',
      'mailto:',
      'x.com',
      '&amp;',
      '&#60;',
      '<img src=x>',
      '<br>',
      '[^1]',
      'ftp://',
    )
    const text = fc.array(token, { maxLength: 24 }).map((parts) => parts.join(''))
    fc.assert(
      fc.property(text, (t) => {
        // A table cell trims spaces at its edges and keeps line breaks as <br>: compare what a reader can see.
        const expected = t.trim()
        const [seen] = renderedCells([t])
        expect(seen!.trim()).toBe(expected)
      }),
      { numRuns: 2000 },
    )
  })
})
