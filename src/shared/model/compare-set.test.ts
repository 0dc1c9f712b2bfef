import { describe, expect, it } from 'vitest'
import {
  DEFAULT_WORKLOAD,
  MAX_COMPARED,
  addId,
  cleanCount,
  deleteSet,
  moveItem,
  parseCompareState,
  saveSet,
  type CompareUiState,
  type NamedSet,
} from './compare-set'

describe('parseCompareState', () => {
  it.each<[string, unknown, Partial<CompareUiState>]>([
    [
      'nothing saved',
      undefined,
      { ids: [], sets: [], workload: DEFAULT_WORKLOAD, hideIdentical: false, tab: 'grid' },
    ],
    ['not an object', [1, 2], { ids: [] }],
    [
      'ids deduplicated and capped',
      { ids: ['a', 'b', 'a', 3, '', ...'cdefghij'.split('')] },
      { ids: ['a', 'b', ...'cdefgh'.split('')] },
    ],
    [
      'workload numbers cleaned',
      {
        workload: {
          inputTokens: '1500',
          outputTokens: -4,
          cachedReadTokens: 2.6,
          reasoningTokens: 'x',
          requestsPerDay: 1e12,
        },
      },
      {
        workload: {
          inputTokens: 1500,
          outputTokens: 0,
          cachedReadTokens: 3,
          reasoningTokens: 0,
          requestsPerDay: 100_000_000,
        },
      },
    ],
    ['unknown tab', { tab: 'pie' }, { tab: 'grid' }],
    [
      'known tab and switch',
      { tab: 'history', hideIdentical: true },
      { tab: 'history', hideIdentical: true },
    ],
    [
      'sets: empty, nameless and duplicate names dropped',
      {
        sets: [
          { name: ' Coding  models ', ids: ['a', 'b'] },
          { name: 'coding models', ids: ['c'] },
          { name: '', ids: ['a'] },
          { name: 'empty', ids: [] },
          'junk',
        ],
      },
      { sets: [{ name: 'Coding models', ids: ['a', 'b'] }] },
    ],
  ])('%s', (_name, saved, expected) => {
    expect(parseCompareState(saved)).toMatchObject(expected)
  })
})

describe('cleanCount', () => {
  it.each<[unknown, number]>([
    [12, 12],
    ['  7 ', 7],
    ['', 5],
    [Number.NaN, 5],
    [-1, 0],
    [1e20, 1000],
  ])('%j → %d', (value, expected) => {
    expect(cleanCount(value, 5, 1000)).toBe(expected)
  })
})

describe('addId', () => {
  const full = Array.from({ length: MAX_COMPARED }, (_, i) => `m${i}`)
  it.each<[string, string[], string, string[]]>([
    ['appends', ['a'], 'b', ['a', 'b']],
    ['ignores a duplicate', ['a', 'b'], 'a', ['a', 'b']],
    ['stops at the maximum', full, 'x', full],
  ])('%s', (_name, ids, id, expected) => {
    expect(addId(ids, id)).toEqual(expected)
  })
})

describe('moveItem', () => {
  it.each<[number, number, string[]]>([
    [0, 1, ['b', 'a', 'c']],
    [2, 0, ['c', 'a', 'b']],
    [1, -5, ['b', 'a', 'c']],
    [1, 99, ['a', 'c', 'b']],
    [5, 0, ['a', 'b', 'c']],
  ])('%d → %d', (from, to, expected) => {
    expect(moveItem(['a', 'b', 'c'], from, to)).toEqual(expected)
  })
})

describe('named sets', () => {
  const sets: NamedSet[] = [{ name: 'Cheap', ids: ['a'] }]
  it.each<[string, string, string[], NamedSet[]]>([
    ['new set first', 'Frontier', ['x', 'y'], [{ name: 'Frontier', ids: ['x', 'y'] }, ...sets]],
    ['same name in any case replaces', ' cheap ', ['b'], [{ name: 'cheap', ids: ['b'] }]],
    ['blank name is refused', '   ', ['b'], sets],
    ['empty set is refused', 'Empty', [], sets],
  ])('%s', (_name, name, ids, expected) => {
    expect(saveSet(sets, name, ids)).toEqual(expected)
  })

  it('deletes by name in any case', () => {
    expect(deleteSet(sets, 'CHEAP')).toEqual([])
  })
})
