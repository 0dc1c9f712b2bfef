import { computed, watch, type ComputedRef, type Ref } from 'vue'
import { applyFilter, filterChips, type CatalogFilter } from '../../../shared/model/filter'
import { sortModels, type SortSpec } from '../../../shared/model/sort'
import { createSearchIndex, search, type SearchIndex } from '../../../shared/model/search'
import { highlightsOf, positionsIn, visibleRows, type RowHighlight } from '../../../shared/model/catalog-rows'
import type { NormalisedModel } from '../../../shared/model/normalise'

export type CatalogQuery = {
  /** Positions in `base` of the rows to show, in display order. */
  rows: ComputedRef<Int32Array>
  /** Matched letters of the rows the search marked, by base position. */
  highlights: ComputedRef<Map<number, RowHighlight>>
  /** The marks for one row, worked out on demand for hits beyond the search's own highlight limit. */
  highlightOf: (position: number) => RowHighlight | null
  /** Models that pass the filter (before the search): the count behind "12 of 512". */
  filteredCount: ComputedRef<number>
  filterActive: ComputedRef<boolean>
  searchActive: ComputedRef<boolean>
}

/**
 * Filter, sort and search as three separately memoised steps, so a keystroke only reruns the search
 * and one intersection: the filtered, sorted order is reused until the filter or sort changes. The
 * search index is built once per catalog, off the keystroke path.
 */
export function useCatalogQuery(inputs: {
  base: Ref<readonly NormalisedModel[]>
  filter: Ref<CatalogFilter>
  sort: Ref<SortSpec>
  query: Ref<string>
  /** The profile's starred ids, for "Starred only". */
  starred?: Ref<ReadonlySet<string>>
}): CatalogQuery {
  const { base, filter, sort, query } = inputs
  // Expiry filtering is relative to today; a catalog view open across midnight is fine with load time.
  const now = new Date()

  const filterActive = computed(() => filterChips(filter.value).length > 0)
  // The stars are read only under "Starred only": a star clicked otherwise does not refilter.
  const filtered = computed(() =>
    filterActive.value
      ? applyFilter(
          base.value,
          filter.value,
          now,
          filter.value.starredOnly ? inputs.starred?.value : undefined,
        )
      : (base.value as NormalisedModel[]),
  )
  const ordered = computed(() => {
    const list = sort.value.length > 0 ? sortModels(filtered.value, sort.value) : filtered.value
    return positionsIn(base.value, list)
  })

  // A plain cache, not state: building it must not re-trigger the computeds that read it.
  let index: SearchIndex | null = null
  const indexFor = (models: readonly NormalisedModel[]): SearchIndex => {
    if (index?.models !== models) index = createSearchIndex(models)
    return index
  }
  // Build the index right after the first rows are painted, not on the first keystroke: idle time if
  // there is some, and within a few hundred milliseconds in any case (100k models take most of a second).
  watch(
    base,
    (models) => {
      if (models.length === 0) return
      const build = () => {
        if (base.value !== models) return
        // One throwaway search too: the first real keystroke then finds the search code compiled.
        search(indexFor(models), models[0]!.name.slice(0, 3))
      }
      if (window.requestIdleCallback) window.requestIdleCallback(build, { timeout: 300 })
      else window.setTimeout(build, 50)
    },
    { immediate: true },
  )

  const needle = computed(() => query.value.trim())
  const searchActive = computed(() => needle.value !== '')
  const hits = computed(() => (searchActive.value ? search(indexFor(base.value), needle.value) : null))

  const rows = computed(() =>
    visibleRows({
      baseLength: base.value.length,
      ordered: ordered.value,
      hits: hits.value,
      sorted: sort.value.length > 0,
    }),
  )
  const highlights = computed(() => highlightsOf(hits.value))
  const filteredCount = computed(() => filtered.value.length)

  // The search marks letters for its first few hundred hits only; rows further down get theirs when
  // they scroll into view, from the same search run on that one model.
  let lateMarks = new Map<number, RowHighlight | null>()
  watch([hits, base], () => {
    lateMarks = new Map()
  })
  function highlightOf(position: number): RowHighlight | null {
    if (!searchActive.value) return null
    const known = highlights.value.get(position)
    if (known) return known
    if (lateMarks.has(position)) return lateMarks.get(position)!
    const model = base.value[position]
    const hit = model ? search(createSearchIndex([model]), needle.value)[0] : undefined
    const marks = hit ? { nameRanges: hit.nameRanges, idRanges: hit.idRanges } : null
    lateMarks.set(position, marks)
    return marks
  }

  return { rows, highlights, highlightOf, filteredCount, filterActive, searchActive }
}
