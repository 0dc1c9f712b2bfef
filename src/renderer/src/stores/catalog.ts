import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import { api } from '../api'
import { settle, useIpcCall } from '../composables/useIpcCall'
import type { CatalogSide, CatalogState, EndpointsResult, RefreshOutcome } from '../../../shared/app-types'
import type { AppErrorShape } from '../../../shared/ipc/result'
import type { RefreshProgress } from '../../../shared/ipc/events'
import type { RawModel } from '../../../shared/model/raw'
import type { SnapshotMeta } from '../../../shared/snapshots'
import type { JsonValue } from '../../../shared/settings'
import { normaliseModel, type NormalisedModel } from '../../../shared/model/normalise'
import type { Price, PriceKey } from '../../../shared/pricing/price'
import { emptyFilter, removeChip, type CatalogFilter } from '../../../shared/model/filter'
import type { ColumnId } from '../../../shared/model/columns'
import type { SortSpec } from '../../../shared/model/sort'
import {
  clampWidth,
  defaultCatalogView,
  moveColumn,
  parseCatalogView,
  toggleSort,
  type CatalogViewState,
  type FilterPreset,
} from '../../../shared/model/catalog-view'
import { useNetworkStore } from './network'
import { useSettingsStore } from './settings'

export type CatalogMode = 'user' | 'all'

export type EndpointsEntry = {
  loading: boolean
  result: EndpointsResult | null
  error: AppErrorShape | null
}

const UI_KEY = 'catalog'

/** One list of the catalog on screen: its snapshot and its models, normalised (the records are not kept). */
export type CatalogSideView = { meta: SnapshotMeta; models: readonly NormalisedModel[] }
/** The catalog as the store keeps it: main's answer, each list normalised once. */
export type CatalogStateView = Omit<CatalogState, 'user' | 'all'> & {
  user: CatalogSideView | null
  all: CatalogSideView | null
}

/**
 * Each model is kept once, normalised: the record main sent is dropped, but for what Compare reads of
 * it (`raw` keeps the id and the price tiers), so at 100k models the renderer does not hold every
 * model twice. A pane that shows the whole record asks main for it by id (`loadRecord`). The
 * allowed and public lists share their record objects (see catalog-wire), so a model in both is one
 * normalised object.
 */
function normaliseState(next: CatalogState): CatalogStateView {
  const seen = new Map<RawModel, NormalisedModel>()
  const side = (s: CatalogSide | null): CatalogSideView | null =>
    s && {
      meta: s.meta,
      models: s.models.map((raw) => {
        let model = seen.get(raw)
        if (!model) seen.set(raw, (model = slim(shareLists(normaliseModel(raw)))))
        return model
      }),
    }
  return { ...next, user: side(next.user), all: side(next.all) }
}

function slim(model: NormalisedModel): NormalisedModel {
  const { id, pricing } = model.raw
  model.raw = pricing === undefined ? { id } : { id, pricing }
  return model
}

// Most models repeat another's modalities, parameter list, description (variants and aliases share
// their base model's), author, tokenizer and prices: one array, string or price object per distinct
// value instead of one per model is a large part of the heap at 100k models (every record main sends
// arrives with its own copies). Nothing writes to a normalised model's parts, so sharing them is
// safe; the pools live as long as the page.
const listPool = new Map<string, string[]>()
function shared(list: string[]): string[] {
  const key = list.join('\u0000')
  const known = listPool.get(key)
  if (known) return known
  listPool.set(key, list)
  return list
}
const stringPool = new Map<string, string>()
function text<T extends string | null>(value: T): T {
  if (value === null) return value
  const known = stringPool.get(value)
  if (known !== undefined) return known as T
  stringPool.set(value, value)
  return value
}
const pricePool = new Map<string, Price>()
function price(value: Price): Price {
  if (value.kind !== 'fixed') return value
  const known = pricePool.get(value.value)
  if (known) return known
  pricePool.set(value.value, value)
  return value
}
function shareLists(model: NormalisedModel): NormalisedModel {
  model.inputModalities = shared(model.inputModalities)
  model.outputModalities = shared(model.outputModalities)
  model.supportedParameters = shared(model.supportedParameters)
  model.pricedKeys = shared(model.pricedKeys) as NormalisedModel['pricedKeys']
  model.description = text(model.description)
  model.author = text(model.author)
  model.modality = text(model.modality)
  model.tokenizer = text(model.tokenizer)
  model.instructType = text(model.instructType)
  model.knowledgeCutoff = text(model.knowledgeCutoff)
  model.expirationDate = text(model.expirationDate)
  const prices = model.prices
  for (const key of Object.keys(prices) as PriceKey[]) prices[key] = price(prices[key])
  return model
}

/**
 * The catalog on screen: always a snapshot from main (the latest, or one the user opened), with
 * the allowed (`/models/user`) and public lists side by side. Other stores read models from here.
 * It also holds the catalog view's remembered state (search, filter, sort, columns, presets).
 */
export const useCatalogStore = defineStore('catalog', () => {
  const state = shallowRef<CatalogStateView | null>(null)
  const progress = ref<RefreshProgress | null>(null)
  const error = ref<AppErrorShape | null>(null)
  const lastRefresh = shallowRef<RefreshOutcome | null>(null)
  const openedSnapshotId = ref<string | null>(null)
  const selection = ref<Set<string>>(new Set())
  let subscribed = false
  // Set while a refresh the user asked for runs: the snapshot it stores is shown even when an older
  // one is open, as the refresh is a request for the latest.
  let followLatest = false
  /** The reload main's last catalog:changed started, so a refresh can end once it is on screen. */
  let announcedLoad: Promise<void> | null = null

  // Load and refresh share the error line. Only the newest load is shown: an older one (the latest
  // after "open this snapshot" was clicked) must not flash up in its place.
  const getCall = useIpcCall(
    (snapshotId: string | null) => api.catalog.get(snapshotId ? { snapshotId } : {}),
    { error, latestOnly: true },
  )
  const refreshCall = useIpcCall(() => api.catalog.refresh({}), { error })
  const loading = getCall.busy
  const refreshing = refreshCall.busy

  const userModels = computed<readonly NormalisedModel[]>(() => state.value?.user?.models ?? [])
  const allModels = computed<readonly NormalisedModel[]>(() => state.value?.all?.models ?? [])
  const allowedIds = computed(() => new Set(userModels.value.map((m) => m.id)))
  const publicIds = computed(() => new Set(allModels.value.map((m) => m.id)))
  /** Models by id across both lists (names for other views, Compare); whole records come from `loadRecord`. */
  const modelById = computed(() => {
    const map = new Map<string, NormalisedModel>()
    for (const m of allModels.value) map.set(m.id, m)
    for (const m of userModels.value) map.set(m.id, m)
    return map
  })
  const hasCatalog = computed(() => Boolean(state.value?.user || state.value?.all))

  function subscribe(): void {
    if (subscribed) return
    subscribed = true
    api.events.onCatalogRefreshProgress((p) => {
      progress.value = p
    })
    // Main announces every change to what the latest catalog is (a stored refresh, a profile or
    // region switch): this is the one place that reloads for it. An opened older snapshot stays on
    // screen, except after a profile switch, where it belongs to the profile left behind.
    api.events.onCatalogChanged(({ reason }) => {
      if (openedSnapshotId.value && !followLatest && reason !== 'profile') return
      followLatest = false
      announcedLoad = load(null)
    })
  }

  async function load(snapshotId: string | null = openedSnapshotId.value): Promise<void> {
    subscribe()
    const next = await getCall.run(snapshotId)
    if (!next) return
    state.value = normaliseState(next)
    openedSnapshotId.value = snapshotId
    // Main's own view of the network when it read the catalog; network:changed keeps it current.
    useNetworkStore().set(next.online)
  }

  async function refresh(): Promise<RefreshOutcome | null> {
    subscribe()
    followLatest = true
    announcedLoad = null
    const outcome = await refreshCall.run()
    progress.value = null
    if (!outcome) {
      followLatest = false
      return null
    }
    lastRefresh.value = outcome
    if (outcome.results.some((r) => r.ok && r.created)) {
      // Main announced the new snapshot (catalog:changed) and the listener loads it, once.
      await announcedLoad
    } else {
      // Nothing stored, so nothing announced: one load shows the fresh "as of" time and, when an
      // older snapshot was open, the latest again.
      followLatest = false
      await load(null)
    }
    return outcome
  }

  async function cancel(): Promise<void> {
    await api.catalog.cancel({})
  }

  // ── The catalog view's remembered state ────────────────────────────────────────────────────────
  const initial = defaultCatalogView()
  const mode = ref<CatalogMode>(initial.mode)
  const query = ref(initial.query)
  const filter = ref<CatalogFilter>(initial.filter)
  const sort = ref<SortSpec>(initial.sort)
  const columns = ref<ColumnId[]>(initial.columns)
  const widths = ref<CatalogViewState['widths']>(initial.widths)
  const presets = ref<FilterPreset[]>(initial.presets)
  const detailId = ref<string | null>(initial.detailId)
  /** False until the saved view was read back: saving before that would overwrite it with defaults. */
  const viewRestored = ref(false)

  /** Without an allowed list (no key yet) only the public catalog exists, whatever the switch says. */
  const effectiveMode = computed<CatalogMode>(() =>
    mode.value === 'user' && state.value?.user ? 'user' : state.value?.all ? 'all' : 'user',
  )
  const baseModels = computed<readonly NormalisedModel[]>(() =>
    effectiveMode.value === 'all' ? allModels.value : userModels.value,
  )
  /** The snapshot the rows on screen come from. */
  const viewMeta = computed<SnapshotMeta | null>(() => {
    const side = effectiveMode.value === 'all' ? state.value?.all : state.value?.user
    return side?.meta ?? state.value?.user?.meta ?? state.value?.all?.meta ?? null
  })
  /** Public models the key may not use; null when there is no allowed list to compare with. */
  const excludedCount = computed<number | null>(() => {
    if (!state.value?.user || !state.value.all) return null
    const allowed = allowedIds.value
    return allModels.value.reduce((n, m) => (allowed.has(m.id) ? n : n + 1), 0)
  })

  function snapshotView(): CatalogViewState {
    return {
      mode: mode.value,
      query: query.value,
      filter: filter.value,
      sort: sort.value,
      columns: columns.value,
      widths: widths.value,
      presets: presets.value,
      detailId: detailId.value,
    }
  }

  function applyView(view: CatalogViewState): void {
    mode.value = view.mode
    query.value = view.query
    filter.value = view.filter
    sort.value = view.sort
    columns.value = view.columns
    widths.value = view.widths
    presets.value = view.presets
    detailId.value = view.detailId
  }

  /** Reads the saved view once settings have arrived, then saves every change (debounced by settings). */
  function restoreView(): void {
    if (viewRestored.value) return
    const settings = useSettingsStore()
    const start = () => {
      applyView(parseCatalogView(settings.uiState<unknown>(UI_KEY)))
      viewRestored.value = true
      watch(snapshotView, (view) => settings.saveUi(UI_KEY, JSON.parse(JSON.stringify(view)) as JsonValue), {
        deep: true,
      })
    }
    if (settings.settings) start()
    else {
      const stop = watch(
        () => settings.settings,
        (value) => {
          if (!value) return
          stop()
          start()
        },
      )
    }
  }

  function setFilter(next: CatalogFilter): void {
    filter.value = next
  }
  function removeFilterChip(key: string): void {
    filter.value = removeChip(filter.value, key)
  }
  function clearFilters(): void {
    filter.value = emptyFilter()
    query.value = ''
  }
  function sortBy(column: ColumnId, additive: boolean): void {
    sort.value = toggleSort(sort.value, column, additive)
  }
  function setColumnVisible(column: ColumnId, visible: boolean): void {
    const shown = columns.value.includes(column)
    if (visible && !shown) columns.value = [...columns.value, column]
    // The table always keeps one column, or there would be nothing to click on.
    if (!visible && shown && columns.value.length > 1)
      columns.value = columns.value.filter((c) => c !== column)
  }
  function moveColumnBy(column: ColumnId, by: -1 | 1): void {
    columns.value = moveColumn(columns.value, column, by)
  }
  function setColumnWidth(column: ColumnId, width: number): void {
    widths.value = { ...widths.value, [column]: clampWidth(width) }
  }
  function resetColumns(): void {
    columns.value = defaultCatalogView().columns
    widths.value = {}
  }
  function savePreset(name: string): void {
    const trimmed = name.trim().slice(0, 60)
    if (!trimmed) return
    const preset = { name: trimmed, filter: JSON.parse(JSON.stringify(filter.value)) as CatalogFilter }
    presets.value = [...presets.value.filter((p) => p.name !== trimmed), preset]
  }
  function applyPreset(name: string): void {
    const preset = presets.value.find((p) => p.name === name)
    if (preset) filter.value = JSON.parse(JSON.stringify(preset.filter)) as CatalogFilter
  }
  function deletePreset(name: string): void {
    presets.value = presets.value.filter((p) => p.name !== name)
  }

  // ── Selection and hand-offs to Compare and Export ─────────────────────────────────────────────
  function setSelection(ids: Iterable<string>): void {
    selection.value = new Set(ids)
  }
  function toggleSelected(id: string, on?: boolean): void {
    const next = new Set(selection.value)
    if (on ?? !next.has(id)) next.add(id)
    else next.delete(id)
    selection.value = next
  }
  function clearSelection(): void {
    selection.value = new Set()
  }

  // ── Whole records, for the detail panes ────────────────────────────────────────────────────────
  // The store keeps models normalised, not as records (see normaliseState); a pane that shows the
  // whole record asks main for it when it opens. Keyed by snapshot too: an opened older snapshot
  // has its own records.
  const fullRecords = shallowRef(new Map<string, RawModel>())

  /** The whole record once `loadRecord` has it; until then the pane shows the normalised model. */
  function recordOf(modelId: string): RawModel | undefined {
    const snapshotId = snapshotFor(modelId)
    return snapshotId ? fullRecords.value.get(`${snapshotId}|${modelId}`) : undefined
  }

  async function loadRecord(modelId: string): Promise<void> {
    const snapshotId = snapshotFor(modelId)
    if (!snapshotId || fullRecords.value.has(`${snapshotId}|${modelId}`)) return
    // On failure the pane keeps the table's part of the record: everything but default parameters.
    const answer = await settle(api.catalog.getRecords({ snapshotId, modelIds: [modelId] }))
    const record = answer.ok ? answer.data.models[0] : undefined
    if (!record) return
    const next = new Map(fullRecords.value)
    next.set(`${snapshotId}|${modelId}`, record)
    fullRecords.value = next
  }

  // ── Provider endpoints, fetched on demand and cached by main with the snapshot ──────────────────
  const endpoints = ref(new Map<string, EndpointsEntry>())

  /** The snapshot whose record of this model the endpoints belong to: the allowed list first. */
  function snapshotFor(modelId: string): string | null {
    const user = state.value?.user
    if (user && allowedIds.value.has(modelId)) return user.meta.id
    const all = state.value?.all
    if (all && publicIds.value.has(modelId)) return all.meta.id
    return null
  }

  function endpointsKey(modelId: string): string | null {
    const snapshotId = snapshotFor(modelId)
    return snapshotId ? `${snapshotId}|${modelId}` : null
  }

  function endpointsOf(modelId: string): EndpointsEntry | null {
    const key = endpointsKey(modelId)
    return key ? (endpoints.value.get(key) ?? null) : null
  }

  async function loadEndpoints(modelId: string, opts: { refresh?: boolean } = {}): Promise<void> {
    const snapshotId = snapshotFor(modelId)
    if (!snapshotId) return
    const key = `${snapshotId}|${modelId}`
    const current = endpoints.value.get(key)
    if (current?.loading || (current?.result && !opts.refresh)) return
    endpoints.value.set(key, { loading: true, result: current?.result ?? null, error: null })
    // Main reports what the lookup said about the network (network:changed); nothing to guess here.
    const answer = await settle(
      api.catalog.endpoints({ snapshotId, modelId, ...(opts.refresh ? { refresh: true } : {}) }),
    )
    endpoints.value.set(
      key,
      answer.ok
        ? { loading: false, result: answer.data, error: null }
        : { loading: false, result: current?.result ?? null, error: answer.error },
    )
  }

  return {
    state,
    loading,
    refreshing,
    progress,
    error,
    lastRefresh,
    openedSnapshotId,
    selection,
    userModels,
    allModels,
    allowedIds,
    publicIds,
    modelById,
    hasCatalog,
    load,
    refresh,
    cancel,
    openSnapshot: (id: string) => load(id),
    backToLatest: () => load(null),
    // view state
    mode,
    query,
    filter,
    sort,
    columns,
    widths,
    presets,
    detailId,
    viewRestored,
    effectiveMode,
    baseModels,
    viewMeta,
    excludedCount,
    restoreView,
    setFilter,
    removeFilterChip,
    clearFilters,
    sortBy,
    setColumnVisible,
    moveColumnBy,
    setColumnWidth,
    resetColumns,
    savePreset,
    applyPreset,
    deletePreset,
    setSelection,
    toggleSelected,
    clearSelection,
    endpoints,
    endpointsOf,
    loadEndpoints,
    recordOf,
    loadRecord,
  }
})
