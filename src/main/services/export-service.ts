import { basename } from 'node:path'
import type { z } from 'zod'
import { AppError } from '../../shared/ipc/result'
import type { ExportOutcome } from '../../shared/app-types'
import type { exportRequestSchema } from '../../shared/ipc/contract'
import { exportColumns } from '../../shared/export/catalog-sheet'
import { exportFileName, FORMAT_FILTERS } from '../../shared/export/file-name'
import { columnOrder } from '../../shared/model/columns'
import { diffCatalogs, type CatalogDiff } from '../../shared/model/diff'
import type { RawModel } from '../../shared/model/raw'
import type { SnapshotMeta } from '../../shared/snapshots'
import type { SnapshotStore } from './snapshots/snapshot-store'
import type { Dialogs } from '../dialogs'
import type { SettingsService } from './settings'
import { writeExportFile } from './export/write-export'
import { renderExport, type ExportContent } from './export/render'
import { log } from '../log'

export type ExportRequest = z.output<typeof exportRequestSchema>

const SOURCE_LABEL = { user: 'models your key may use', all: 'public catalog' } as const

function describeSnapshot(meta: SnapshotMeta): string {
  return `${SOURCE_LABEL[meta.source]}, snapshot of ${meta.takenAt.slice(0, 16).replace('T', ' ')} UTC (${meta.region})`
}

/** The records with these ids, in the order given; ids the snapshot does not hold are left out. */
function pick(records: readonly RawModel[], ids: readonly string[]): RawModel[] {
  const byId = new Map(records.map((r) => [r.id, r]))
  const seen = new Set<string>()
  const out: RawModel[] = []
  for (const id of ids) {
    const record = byId.get(id)
    if (record && !seen.has(id)) {
      seen.add(id)
      out.push(record)
    }
  }
  return out
}

function restrictDiff(diff: CatalogDiff, ids: readonly string[] | undefined): CatalogDiff {
  if (!ids) return diff
  const keep = new Set(ids)
  const added = diff.added.filter((m) => keep.has(m.id))
  const removed = diff.removed.filter((m) => keep.has(m.id))
  const changed = diff.changed.filter((m) => keep.has(m.id))
  return {
    added,
    removed,
    changed,
    counts: {
      added: added.length,
      removed: removed.length,
      changed: changed.length,
      unchanged: diff.counts.unchanged,
    },
  }
}

/**
 * Export what the user is looking at. Rows are rebuilt here from the snapshot store (the renderer
 * only names ids), the path comes only from the native save dialog, and the file is replaced
 * atomically, so a failed export never leaves a half-written file behind.
 */
export function createExportService(deps: {
  store: SnapshotStore
  dialogs: Dialogs
  settings: SettingsService
}) {
  const { store } = deps

  async function load(ref: string): Promise<{ meta: SnapshotMeta; models: RawModel[] }> {
    return store.load((await store.resolve(ref)).id)
  }

  async function prepare(request: ExportRequest): Promise<{
    content: ExportContent
    fileName: string
    title: string
    subtitle: string
  }> {
    const { meta, models } = await load(request.snapshotId)
    const date = meta.takenAt.slice(0, 10)
    if (request.what === 'diff') {
      if (!request.againstId)
        throw new AppError('invalid-input', 'A diff export needs the snapshot to compare against.')
      const before = await load(request.againstId)
      const diff = restrictDiff(diffCatalogs(before.models, models), request.modelIds)
      const names = new Map<string, string>()
      for (const m of models) if (typeof m.name === 'string') names.set(m.id, m.name)
      const { added, removed, changed, unchanged } = diff.counts
      return {
        content: { kind: 'diff', diff, names },
        fileName: exportFileName({
          what: 'diff',
          format: request.format,
          takenAt: meta.takenAt,
          againstTakenAt: before.meta.takenAt,
        }),
        title: `OpenRouter catalog changes: ${before.meta.takenAt.slice(0, 10)} → ${date}`,
        subtitle: `${added} added · ${removed} removed · ${changed} changed · ${unchanged} unchanged. From the ${describeSnapshot(before.meta)} to the ${describeSnapshot(meta)}.`,
      }
    }
    let records: RawModel[] = models
    if (request.modelIds) records = pick(models, request.modelIds)
    else if (request.what === 'selection' || request.what === 'compare')
      throw new AppError('invalid-input', 'Choose the models to export first.')
    if (records.length === 0 && models.length > 0 && request.modelIds?.length) {
      throw new AppError('not-found', `None of the chosen models is in the snapshot of ${date}.`)
    }
    const compare = request.what === 'compare'
    return {
      content: { kind: 'models', layout: compare ? 'compare' : 'rows', records },
      fileName: exportFileName({
        what: request.what,
        format: request.format,
        takenAt: meta.takenAt,
        modelIds: records.map((r) => r.id),
      }),
      title: compare
        ? `OpenRouter model comparison (${records.length} models)`
        : `OpenRouter models (${records.length})`,
      subtitle: `From the ${describeSnapshot(meta)}.`,
    }
  }

  async function save(request: ExportRequest): Promise<ExportOutcome> {
    const settings = await deps.settings.get()
    const prepared = await prepare(request)
    const unit = request.unit ?? settings.export.unit
    const bom = request.bom ?? settings.export.bom
    const compare = request.what === 'compare'
    // A comparison names its models in the header row, so the id row is noise there.
    const fallback = compare ? columnOrder.filter((id) => id !== 'id') : settings.export.columns
    const columns = exportColumns(request.columns ?? fallback)

    const path = await deps.dialogs.chooseSavePath({
      defaultName: prepared.fileName,
      filters: [FORMAT_FILTERS[request.format]],
    })
    if (!path) return { cancelled: true, fileName: null, rows: 0, bytes: 0 }

    const { bytes, rows } = await renderExport(prepared.content, {
      format: request.format,
      columns,
      unit,
      raw: request.raw ?? false,
      bom,
      title: prepared.title,
      subtitle: prepared.subtitle,
    })
    await writeExportFile(path, bytes)

    // Catalog column choices are remembered; a comparison's rows and a diff's fields are other questions.
    const listsModels = !compare && request.what !== 'diff'
    const remembered = listsModels && request.columns ? columns : settings.export.columns
    await deps.settings
      .update({ export: { unit, bom, columns: remembered } })
      .catch((err: unknown) => log.warn('Could not remember the export choices:', err))
    return { cancelled: false, fileName: basename(path), rows, bytes: bytes.length }
  }

  return { save }
}
export type ExportService = ReturnType<typeof createExportService>
