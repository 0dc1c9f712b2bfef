import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { api, unwrap, asErrorShape } from '../api'
import type { CatalogState, RefreshOutcome } from '../../../shared/app-types'
import type { AppErrorShape } from '../../../shared/ipc/result'
import type { RefreshProgress } from '../../../shared/ipc/events'
import type { RawModel } from '../../../shared/model/raw'
import { normaliseModel, type NormalisedModel } from '../../../shared/model/normalise'
import { useNetworkStore } from './network'

export type CatalogMode = 'user' | 'all'

/**
 * The catalog on screen: always a snapshot from main (the latest, or one the user opened), with
 * the allowed (`/models/user`) and public lists side by side. Other stores read models from here.
 */
export const useCatalogStore = defineStore('catalog', () => {
  const state = shallowRef<CatalogState | null>(null)
  const loading = ref(false)
  const refreshing = ref(false)
  const progress = ref<RefreshProgress | null>(null)
  const error = ref<AppErrorShape | null>(null)
  const lastRefresh = shallowRef<RefreshOutcome | null>(null)
  const openedSnapshotId = ref<string | null>(null)
  const selection = ref<Set<string>>(new Set())
  let subscribed = false

  const userModels = computed<NormalisedModel[]>(() => (state.value?.user?.models ?? []).map(normaliseModel))
  const allModels = computed<NormalisedModel[]>(() => (state.value?.all?.models ?? []).map(normaliseModel))
  const allowedIds = computed(() => new Set(userModels.value.map((m) => m.id)))
  /** Raw records by id across both lists, for detail panels, compare and JSON export. */
  const rawById = computed(() => {
    const map = new Map<string, RawModel>()
    for (const m of state.value?.all?.models ?? []) map.set(m.id, m)
    for (const m of state.value?.user?.models ?? []) map.set(m.id, m)
    return map
  })
  const hasCatalog = computed(() => Boolean(state.value?.user || state.value?.all))

  function subscribe(): void {
    if (subscribed) return
    subscribed = true
    api.events.onCatalogRefreshProgress((p) => {
      progress.value = p
    })
    api.events.onCatalogChanged(() => {
      if (!openedSnapshotId.value) void load()
    })
  }

  async function load(snapshotId: string | null = openedSnapshotId.value): Promise<void> {
    subscribe()
    loading.value = true
    try {
      state.value = await unwrap(api.catalog.get(snapshotId ? { snapshotId } : {}))
      openedSnapshotId.value = snapshotId
      useNetworkStore().set(state.value.online)
      error.value = null
    } catch (err) {
      error.value = asErrorShape(err)
    } finally {
      loading.value = false
    }
  }

  async function refresh(): Promise<RefreshOutcome | null> {
    refreshing.value = true
    try {
      const outcome = await unwrap(api.catalog.refresh({}))
      lastRefresh.value = outcome
      useNetworkStore().set(outcome.online)
      openedSnapshotId.value = null
      await load(null)
      return outcome
    } catch (err) {
      error.value = asErrorShape(err)
      return null
    } finally {
      refreshing.value = false
      progress.value = null
    }
  }

  async function cancel(): Promise<void> {
    await api.catalog.cancel({})
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
    rawById,
    hasCatalog,
    load,
    refresh,
    cancel,
    openSnapshot: (id: string) => load(id),
    backToLatest: () => load(null),
  }
})
