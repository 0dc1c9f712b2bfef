import { describe, expect, it } from 'vitest'
import {
  DEFAULT_COLUMNS,
  MAX_COLUMN_WIDTH,
  MIN_COLUMN_WIDTH,
  defaultCatalogView,
  defaultColumnWidth,
  moveColumn,
  parseCatalogView,
  toggleSort,
} from './catalog-view'
import { columnOrder, type ColumnId } from './columns'
import { emptyFilter } from './filter'
import type { SortSpec } from './sort'

describe('parseCatalogView', () => {
  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'catalog'],
    ['an array', [1, 2]],
    ['an empty object', {}],
  ])('falls back to the defaults for %s', (_, value) => {
    expect(parseCatalogView(value)).toEqual(defaultCatalogView())
  })

  it('keeps a valid saved state as it was', () => {
    const saved = {
      mode: 'all',
      query: 'claude',
      filter: { ...emptyFilter(), inputModalities: ['image'], maxPromptPerM: 5 },
      sort: [
        { column: 'context', dir: 'desc' },
        { column: 'name', dir: 'asc' },
      ],
      columns: ['name', 'prompt'],
      widths: { name: 300 },
      presets: [{ name: 'Cheap vision', filter: { ...emptyFilter(), inputModalities: ['image'] } }],
      detailId: 'anthropic/claude-opus-5',
    }
    expect(parseCatalogView(JSON.parse(JSON.stringify(saved)))).toEqual(saved)
  })

  it.each<[string, Record<string, unknown>, Partial<ReturnType<typeof defaultCatalogView>>]>([
    ['unknown mode', { mode: 'mine' }, { mode: 'user' }],
    ['query not a string', { query: 42 }, { query: '' }],
    ['overlong query is cut', { query: 'x'.repeat(500) }, { query: 'x'.repeat(200) }],
    [
      'sort drops unknown columns, bad directions and repeats',
      {
        sort: [
          { column: 'nope', dir: 'asc' },
          { column: 'name', dir: 'up' },
          { column: 'context', dir: 'desc' },
          { column: 'context', dir: 'asc' },
        ],
      },
      { sort: [{ column: 'context', dir: 'desc' }] },
    ],
    [
      'columns drop unknown ids and repeats',
      { columns: ['id', 'bogus', 'id', 'name'] },
      { columns: ['id', 'name'] },
    ],
    ['no known column leaves the default set', { columns: ['bogus'] }, { columns: [...DEFAULT_COLUMNS] }],
    [
      'widths are clamped and unknown keys dropped',
      { widths: { name: 5, id: 99_999, nope: 100, prompt: 'wide', context: 150.6 } },
      { widths: { name: MIN_COLUMN_WIDTH, id: MAX_COLUMN_WIDTH, context: 151 } },
    ],
    [
      'presets without a name are dropped and a broken filter is repaired',
      {
        presets: [
          { name: '  ', filter: {} },
          { name: 'Free', filter: { freeOnly: true, authors: 'x' } },
          'junk',
        ],
      },
      { presets: [{ name: 'Free', filter: { ...emptyFilter(), freeOnly: true } }] },
    ],
    ['a detail id that is not a string', { detailId: { id: 'x' } }, { detailId: null }],
  ])('%s', (_, saved, expected) => {
    expect(parseCatalogView(saved)).toEqual({ ...defaultCatalogView(), ...expected })
  })

  it('repairs a filter part by part, keeping what is valid', () => {
    const view = parseCatalogView({ filter: { minContext: 'lots', authors: ['openai'] } })
    expect(view.filter).toEqual({ ...emptyFilter(), authors: ['openai'] })
  })
})

describe('toggleSort', () => {
  const byName: SortSpec = [{ column: 'name', dir: 'asc' }]
  const twoKeys: SortSpec = [
    { column: 'context', dir: 'desc' },
    { column: 'name', dir: 'asc' },
  ]
  it.each<[string, SortSpec, ColumnId, boolean, SortSpec]>([
    ['click on an unsorted table sorts ascending', [], 'context', false, [{ column: 'context', dir: 'asc' }]],
    [
      'click again flips to descending',
      [{ column: 'context', dir: 'asc' }],
      'context',
      false,
      [{ column: 'context', dir: 'desc' }],
    ],
    ['a third click removes the sort', [{ column: 'context', dir: 'desc' }], 'context', false, []],
    [
      'click on another column replaces the sort',
      byName,
      'context',
      false,
      [{ column: 'context', dir: 'asc' }],
    ],
    [
      'click on a secondary key makes it the only key',
      twoKeys,
      'name',
      false,
      [{ column: 'name', dir: 'asc' }],
    ],
    [
      'click on the primary of two keys moves it on and drops the rest',
      [
        { column: 'context', dir: 'asc' },
        { column: 'name', dir: 'asc' },
      ],
      'context',
      false,
      [{ column: 'context', dir: 'desc' }],
    ],
    [
      'shift-click adds a tie-breaker',
      byName,
      'context',
      true,
      [...byName, { column: 'context', dir: 'asc' }],
    ],
    [
      'shift-click on the tie-breaker flips it',
      [...byName, { column: 'context', dir: 'asc' }],
      'context',
      true,
      [...byName, { column: 'context', dir: 'desc' }],
    ],
    ['shift-click on a descending key drops it', twoKeys, 'context', true, [{ column: 'name', dir: 'asc' }]],
    ['shift-click on an empty sort starts one', [], 'name', true, byName],
  ])('%s', (_, spec, column, additive, expected) => {
    expect(toggleSort(spec, column, additive)).toEqual(expected)
  })

  it('keeps at most four keys', () => {
    let spec: SortSpec = []
    for (const column of ['name', 'id', 'author', 'context', 'prompt'] as const)
      spec = toggleSort(spec, column, true)
    expect(spec.map((s) => s.column)).toEqual(['name', 'id', 'author', 'context'])
  })
})

describe('moveColumn', () => {
  const order: ColumnId[] = ['name', 'id', 'prompt']
  it.each<[ColumnId, -1 | 1, ColumnId[]]>([
    ['id', -1, ['id', 'name', 'prompt']],
    ['id', 1, ['name', 'prompt', 'id']],
    ['name', -1, order],
    ['prompt', 1, order],
    ['context', 1, order],
  ])('moves %s by %i', (column, by, expected) => {
    expect(moveColumn(order, column, by)).toEqual(expected)
  })
})

describe('defaultColumnWidth', () => {
  it('gives every column a usable width', () => {
    for (const id of columnOrder) {
      expect(defaultColumnWidth(id)).toBeGreaterThanOrEqual(MIN_COLUMN_WIDTH)
      expect(defaultColumnWidth(id)).toBeLessThanOrEqual(MAX_COLUMN_WIDTH)
    }
    expect(defaultColumnWidth('name')).toBeGreaterThan(defaultColumnWidth('context'))
  })
})
