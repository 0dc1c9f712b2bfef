import type { NormalisedModel } from './normalise'
import type { Ranges, SearchHit } from './search'

/**
 * How the catalog view combines its three memoised steps into the rows on screen. Filter and sort only
 * change when the user edits them, so a search keystroke just intersects two ready lists: rows are
 * positions in the base list (an Int32Array), never copies of the models.
 */

/** Where each model of `list` sits in `base`; `list` must hold only models of `base` (same objects). */
export function positionsIn(base: readonly NormalisedModel[], list: readonly NormalisedModel[]): Int32Array {
  const out = new Int32Array(list.length)
  if (list === base) {
    for (let i = 0; i < out.length; i++) out[i] = i
    return out
  }
  const at = new Map<NormalisedModel, number>()
  base.forEach((m, i) => at.set(m, i))
  list.forEach((m, i) => {
    out[i] = at.get(m) ?? -1
  })
  return out
}

export type VisibleRowsInput = {
  baseLength: number
  /** The filtered rows, in sort order when a sort is set, as positions in the base list. */
  ordered: Int32Array
  /** Search hits over the whole base list; null when there is no query. */
  hits: readonly SearchHit[] | null
  /** With a sort the sort decides the order; without one, search rank does. */
  sorted: boolean
}

/** Positions of the rows to show, in display order. */
export function visibleRows({ baseLength, ordered, hits, sorted }: VisibleRowsInput): Int32Array {
  if (hits === null) return ordered
  const marks = new Uint8Array(baseLength)
  const out = new Int32Array(Math.min(hits.length, ordered.length))
  let n = 0
  if (sorted) {
    for (const hit of hits) marks[hit.index] = 1
    for (let i = 0; i < ordered.length; i++) if (marks[ordered[i]!] === 1) out[n++] = ordered[i]!
  } else {
    for (let i = 0; i < ordered.length; i++) marks[ordered[i]!] = 1
    for (const hit of hits) if (marks[hit.index] === 1) out[n++] = hit.index
  }
  return out.subarray(0, n)
}

export type RowHighlight = { nameRanges: Ranges; idRanges: Ranges }

/** Matched letters by base position, for the hits the search worked them out for. */
export function highlightsOf(hits: readonly SearchHit[] | null): Map<number, RowHighlight> {
  const map = new Map<number, RowHighlight>()
  for (const hit of hits ?? []) {
    if (hit.nameRanges.length > 0 || hit.idRanges.length > 0) {
      map.set(hit.index, { nameRanges: hit.nameRanges, idRanges: hit.idRanges })
    }
  }
  return map
}

export type TextSegment = { text: string; hit: boolean }

/** Splits text at the [start, end) ranges so the UI can wrap matches in <mark> without building HTML. */
export function highlightSegments(text: string, ranges: Ranges): TextSegment[] {
  const segments: TextSegment[] = []
  let at = 0
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    const start = Math.max(at, Math.min(text.length, ranges[i]!))
    const end = Math.max(start, Math.min(text.length, ranges[i + 1]!))
    if (start > at) segments.push({ text: text.slice(at, start), hit: false })
    if (end > start) segments.push({ text: text.slice(start, end), hit: true })
    at = end
  }
  if (at < text.length || segments.length === 0) segments.push({ text: text.slice(at), hit: false })
  return segments
}

/**
 * The ids from `anchor` to `target` inclusive, in display order: what a shift-click selects. Without an
 * anchor on screen it is just the target.
 */
export function idRange(order: readonly string[], anchor: string | null, target: string): string[] {
  const to = order.indexOf(target)
  if (to < 0) return []
  const from = anchor === null ? -1 : order.indexOf(anchor)
  if (from < 0) return [target]
  return order.slice(Math.min(from, to), Math.max(from, to) + 1)
}
