import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { api } from '../api'
import { useIpcCall } from '../composables/useIpcCall'
import type { ExportOutcome } from '../../../shared/app-types'
import type { Input } from '../../../shared/ipc/contract'
import { isExportFormat, type ExportFormat, type ExportWhat } from '../../../shared/export/file-name'
import { columnOrder, isColumnId, type ColumnId } from '../../../shared/model/columns'
import type { PriceUnit } from '../../../shared/settings'
import { useSettingsStore } from './settings'

export type ExportTarget = {
  what: ExportWhat
  /** The snapshot the rows come from; for a diff, the newer side (b). */
  snapshotId: string
  /** For a diff: the older snapshot (a), which `snapshotId` is compared against. */
  againstId?: string
  /** The models as shown (filtered, selected or compared), in display order. */
  modelIds?: string[]
  /** The catalog's visible columns, in their order: the default column choice when given. */
  columns?: ColumnId[]
}

type UiChoice = { format?: unknown; raw?: unknown }

/**
 * The export dialog's state. Any view calls `openExport(target)`; the dialog (mounted once in App)
 * lets the user pick format, columns and units, then main writes the file to a path it asks for.
 */
export const useExportStore = defineStore('export', () => {
  const settings = useSettingsStore()

  const open = ref(false)
  const target = shallowRef<ExportTarget | null>(null)
  const format = ref<ExportFormat>('csv')
  /** Every column in the order offered: the target's columns first, then the rest. */
  const order = ref<ColumnId[]>([...columnOrder])
  const selected = ref<Set<ColumnId>>(new Set(columnOrder))
  const unit = ref<PriceUnit>('per-million')
  const bom = ref(false)
  const raw = ref(false)
  const saveCall = useIpcCall((request: Input<'export:save'>) => api.export.save(request))
  const saving = saveCall.busy
  const outcome = shallowRef<ExportOutcome | null>(null)
  const error = saveCall.error

  const isDiff = computed(() => target.value?.what === 'diff')
  /** Raw JSON and diffs have fixed fields: no column or unit choice applies. */
  const usesColumns = computed(() => !isDiff.value && !(format.value === 'json' && raw.value))
  const columns = computed(() => order.value.filter((id) => selected.value.has(id)))
  const canSave = computed(
    () => target.value !== null && !saving.value && (!usesColumns.value || columns.value.length > 0),
  )

  function defaultColumns(t: ExportTarget): ColumnId[] {
    if (t.columns?.length) return t.columns.filter(isColumnId)
    // A comparison names its models in the header row, so an ID row would repeat it.
    if (t.what === 'compare') return columnOrder.filter((id) => id !== 'id')
    const remembered = (settings.settings?.export.columns ?? []).filter(isColumnId)
    return remembered.length > 0 ? remembered : [...columnOrder]
  }

  function openExport(t: ExportTarget): void {
    const ui = settings.uiState<UiChoice>('export')
    const remembered = settings.settings?.export
    format.value = isExportFormat(ui?.format) ? ui.format : 'csv'
    raw.value = ui?.raw === true
    unit.value = remembered?.unit ?? 'per-million'
    bom.value = remembered?.bom ?? false
    const initial = defaultColumns(t)
    order.value = [...initial, ...columnOrder.filter((id) => !initial.includes(id))]
    selected.value = new Set(initial)
    target.value = { ...t, ...(t.modelIds ? { modelIds: [...t.modelIds] } : {}) }
    outcome.value = null
    error.value = null
    open.value = true
  }

  function close(): void {
    open.value = false
  }

  function toggleColumn(id: ColumnId, on: boolean): void {
    const next = new Set(selected.value)
    if (on) next.add(id)
    else next.delete(id)
    selected.value = next
  }

  function setAllColumns(on: boolean): void {
    selected.value = new Set(on ? order.value : [])
  }

  function resetColumns(): void {
    if (target.value) selected.value = new Set(defaultColumns(target.value))
  }

  async function save(): Promise<void> {
    const t = target.value
    if (!t || !canSave.value) return
    outcome.value = null
    const result = await saveCall.run({
      what: t.what,
      format: format.value,
      snapshotId: t.snapshotId,
      ...(t.againstId ? { againstId: t.againstId } : {}),
      ...(t.modelIds ? { modelIds: t.modelIds } : {}),
      ...(usesColumns.value ? { columns: columns.value, unit: unit.value } : {}),
      ...(format.value === 'json' && !isDiff.value ? { raw: raw.value } : {}),
      ...(format.value === 'csv' ? { bom: bom.value } : {}),
    })
    if (!result || result.cancelled) return
    outcome.value = result
    // Main remembered columns, unit and BOM; format and raw are the renderer's own view state.
    settings.saveUi('export', { format: format.value, raw: raw.value })
    await settings.flushUi()
  }

  return {
    open,
    target,
    format,
    order,
    selected,
    columns,
    unit,
    bom,
    raw,
    saving,
    outcome,
    error,
    isDiff,
    usesColumns,
    canSave,
    openExport,
    close,
    toggleColumn,
    setAllColumns,
    resetColumns,
    save,
  }
})
