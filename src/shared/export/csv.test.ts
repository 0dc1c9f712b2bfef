import Papa from 'papaparse'
import { describe, expect, it } from 'vitest'
import { normaliseModel } from '../model/normalise'
import { catalogSheet } from './catalog-sheet'
import { csvCell, toCsv } from './csv'
import type { Cell, Sheet } from './sheet'

const sheetOf = (rows: Cell[][]): Sheet => ({
  title: 'T',
  columns: [
    { key: 'a', header: 'A', numeric: false },
    { key: 'b', header: 'B', numeric: true },
  ],
  rows,
})

const readBack = (csv: string) =>
  Papa.parse<Cell[]>(csv.replace(/^\ufeff/, ''), { dynamicTyping: true, skipEmptyLines: true }).data

describe('csvCell', () => {
  it.each<[Cell, string]>([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
    ['\uFF1D1+1', "'\uFF1D1+1"],
    ['＝HYPERLINK("http://x")', '\'＝HYPERLINK("http://x")'],
    ['＋1', "'＋1"],
    ['－1', "'－1"],
    ['＠SUM(A1)', "'＠SUM(A1)"],
    ['a＝b', 'a＝b'],
    ['ｆｕｌｌ width', 'ｆｕｌｌ width'],
    ['=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
    ['', ''],
    [null, ''],
    [-1, '-1'],
    [-0.5, '-0.5'],
    [0.00000015, '0.00000015'],
    [1e-10, '0.0000000001'],
    [128000, '128000'],
    [true, 'true'],
  ])('%j → %j', (cell, expected) => {
    expect(csvCell(cell)).toBe(expected)
  })
})

describe('toCsv', () => {
  it('writes RFC 4180: CRLF, header, quotes only where needed, doubled quotes', () => {
    const csv = toCsv(
      sheetOf([
        ['plain', 1],
        ['say "hi", then\nleave', 2.5],
      ]),
    )
    expect(csv).toBe('A,B\r\nplain,1\r\n"say ""hi"", then\nleave",2.5\r\n')
  })

  it('adds a byte-order mark only when asked', () => {
    expect(toCsv(sheetOf([]), { bom: true }).startsWith('\ufeffA,B')).toBe(true)
    expect(toCsv(sheetOf([])).charCodeAt(0)).toBe('A'.charCodeAt(0))
  })

  it.each<[string, Cell[]]>([
    ['formula', ['=1+1', -3]],
    ['plus', ['+44 20', 0]],
    ['minus text', ['-dash', -0.25]],
    ['at', ['@me', 1]],
    ['tab', ['\tx', 2]],
    ['carriage return', ['\rx', 3]],
    ['full-width equals', ['＝1+1', 9]],
    ['full-width plus', ['＋44', 10]],
    ['full-width minus', ['－dash', 11]],
    ['full-width at', ['＠me', 12]],
    ['quotes', ['"quoted"', 4]],
    ['commas', ['a, b, c', 5]],
    ['newlines', ['line 1\nline 2\r\nline 3', 6]],
    ['unicode', ['Ünïcödé — 模型 🚀', 7]],
    ['leading space', [' padded ', 8]],
    ['empty', [null, null]],
  ])('round-trips %s through papaparse', (_name, row) => {
    const back = readBack(toCsv(sheetOf([row]), { bom: true }))
    const guarded = typeof row[0] === 'string' && /^[=+\-@\t\r＝＋－＠]/.test(row[0]) ? `'${row[0]}` : row[0]
    expect(back).toEqual([
      ['A', 'B'],
      [guarded, row[1]],
    ])
  })

  it('round-trips a catalog: numbers as numbers, prices in the chosen unit', () => {
    const models = [
      normaliseModel({
        id: 'openai/gpt-4o',
        name: 'OpenAI: GPT-4o',
        context_length: 128000,
        pricing: { prompt: '0.0000025', completion: '0.00001', input_cache_read: '0.00000125' },
      }),
      normaliseModel({ id: 'meta/llama:free', name: '=cmd|x', pricing: { prompt: '0', completion: '0' } }),
      normaliseModel({ id: 'openrouter/auto', name: 'Auto', pricing: { prompt: '-1', completion: '-1' } }),
    ]
    const columns = ['id', 'name', 'context', 'prompt', 'completion', 'cacheRead'] as const
    const perMillion = readBack(toCsv(catalogSheet(models, columns, 'per-million')))
    expect(perMillion).toEqual([
      [
        'ID',
        'Name',
        'Context (tokens)',
        'Prompt ($/1M tokens)',
        'Completion ($/1M tokens)',
        'Cache read ($/1M tokens)',
      ],
      ['openai/gpt-4o', 'OpenAI: GPT-4o', 128000, 2.5, 10, 1.25],
      ['meta/llama:free', "'=cmd|x", null, 0, 0, null],
      ['openrouter/auto', 'Auto', null, 'variable', 'variable', null],
    ])
    const perToken = readBack(toCsv(catalogSheet(models, columns, 'per-token')))
    expect(perToken[0]![3]).toBe('Prompt ($/token)')
    expect(perToken[1]!.slice(3)).toEqual([0.0000025, 0.00001, 0.00000125])
  })
})
