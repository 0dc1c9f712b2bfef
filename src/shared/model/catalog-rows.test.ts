import { describe, expect, it } from 'vitest'
import { highlightSegments, highlightsOf, idRange, positionsIn, visibleRows } from './catalog-rows'
import { normaliseModel } from './normalise'
import { createSearchIndex, search, type SearchHit } from './search'

const base = ['a/one', 'b/two', 'c/three', 'd/four'].map((id) => normaliseModel({ id, name: id }))
const hit = (index: number, nameRanges: number[] = []): SearchHit => ({
  index,
  model: base[index]!,
  field: 'name',
  nameRanges,
  idRanges: [],
})

describe('positionsIn', () => {
  it.each<[string, number[], number[]]>([
    ['the base itself', [0, 1, 2, 3], [0, 1, 2, 3]],
    ['a filtered, reordered list', [3, 1], [3, 1]],
    ['nothing', [], []],
  ])('%s', (_, picks, expected) => {
    const list = picks.length === 4 ? base : picks.map((i) => base[i]!)
    expect([...positionsIn(base, list)]).toEqual(expected)
  })
})

describe('visibleRows', () => {
  const rows = (ordered: number[], hits: SearchHit[] | null, sorted: boolean) => [
    ...visibleRows({ baseLength: base.length, ordered: Int32Array.from(ordered), hits, sorted }),
  ]

  it.each<[string, number[], SearchHit[] | null, boolean, number[]]>([
    ['no query: the filtered order', [2, 0, 3], null, true, [2, 0, 3]],
    ['query, no sort: rank order, filtered', [0, 1, 3], [hit(3), hit(2), hit(0)], false, [3, 0]],
    ['query and sort: sort order, only hits', [2, 0, 3, 1], [hit(3), hit(0)], true, [0, 3]],
    ['no hits', [0, 1], [], false, []],
    ['everything filtered out', [], [hit(1)], true, []],
  ])('%s', (_, ordered, hits, sorted, expected) => {
    expect(rows(ordered, hits, sorted)).toEqual(expected)
  })

  it('works on a real search over a real index', () => {
    const models = ['openai/gpt-4o', 'anthropic/claude-sonnet', 'anthropic/claude-haiku'].map((id) =>
      normaliseModel({ id, name: id }),
    )
    const hits = search(createSearchIndex(models), 'claude')
    const ordered = Int32Array.from([2, 1, 0])
    expect([...visibleRows({ baseLength: 3, ordered, hits, sorted: true })]).toEqual([2, 1])
  })
})

describe('highlightsOf', () => {
  it('keeps only hits with something to mark', () => {
    const map = highlightsOf([hit(0, [0, 2]), hit(1)])
    expect([...map.keys()]).toEqual([0])
    expect(map.get(0)).toEqual({ nameRanges: [0, 2], idRanges: [] })
    expect(highlightsOf(null).size).toBe(0)
  })
})

describe('highlightSegments', () => {
  const render = (text: string, ranges: number[]) =>
    highlightSegments(text, ranges)
      .map((s) => (s.hit ? `[${s.text}]` : s.text))
      .join('')
  it.each<[string, number[], string]>([
    ['Claude Sonnet', [], 'Claude Sonnet'],
    ['Claude Sonnet', [0, 6], '[Claude] Sonnet'],
    ['Claude Sonnet', [7, 13], 'Claude [Sonnet]'],
    ['Claude Sonnet', [0, 1, 2, 3], '[C]l[a]ude Sonnet'],
    ['abc', [1, 99], 'a[bc]'],
    ['abc', [2, 1], 'abc'],
    ['', [0, 1], ''],
  ])('%s with %j', (text, ranges, expected) => {
    expect(render(text, ranges)).toBe(expected)
  })
})

describe('idRange', () => {
  const order = ['a', 'b', 'c', 'd', 'e']
  it.each<[string | null, string, string[]]>([
    ['b', 'd', ['b', 'c', 'd']],
    ['d', 'b', ['b', 'c', 'd']],
    ['c', 'c', ['c']],
    [null, 'c', ['c']],
    ['gone', 'c', ['c']],
    ['a', 'gone', []],
  ])('from %s to %s', (anchor, target, expected) => {
    expect(idRange(order, anchor, target)).toEqual(expected)
  })
})
