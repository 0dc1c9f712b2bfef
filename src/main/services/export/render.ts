import { catalogSheet, compareSheet } from '../../../shared/export/catalog-sheet'
import { toCsv } from '../../../shared/export/csv'
import { diffSheets } from '../../../shared/export/diff-sheets'
import type { ExportFormat } from '../../../shared/export/file-name'
import { rawModelsJson, rowsJson } from '../../../shared/export/json'
import { toMarkdown } from '../../../shared/export/markdown'
import type { Sheet } from '../../../shared/export/sheet'
import type { ColumnId } from '../../../shared/model/columns'
import { toDiffJson, type CatalogDiff } from '../../../shared/model/diff'
import { normaliseModel } from '../../../shared/model/normalise'
import type { RawModel } from '../../../shared/model/raw'
import type { PriceUnit } from '../../../shared/settings'
import { toXlsx } from './xlsx'

/** What is being written: a list of models (in display order) or a diff between two catalogs. */
export type ExportContent =
  | { kind: 'models'; layout: 'rows' | 'compare'; records: readonly RawModel[] }
  | {
      kind: 'diff'
      diff: CatalogDiff
      /** Names of changed models, from their newer record. */ names: ReadonlyMap<string, string>
    }

export interface RenderOptions {
  format: ExportFormat
  columns: readonly ColumnId[]
  unit: PriceUnit
  /** JSON only: the records exactly as received instead of normalised rows. */
  raw: boolean
  /** CSV only: a UTF-8 byte-order mark, which Excel on Windows needs to read non-ASCII text. */
  bom: boolean
  /** Markdown heading, and the line under it. */
  title: string
  subtitle?: string
}

export interface Rendered {
  bytes: Buffer
  rows: number
}

const encode = (text: string): Buffer => Buffer.from(text, 'utf8')

async function renderSheets(sheets: Sheet[], opts: RenderOptions, markdownEmpty: string[]): Promise<Buffer> {
  if (opts.format === 'xlsx') return toXlsx(sheets)
  if (opts.format === 'md') {
    const sections = sheets.map((sheet, i) => ({
      heading: `${sheet.title} (${sheet.rows.length})`,
      sheet,
      empty: markdownEmpty[i] ?? 'Nothing here.',
    }))
    return encode(toMarkdown(opts.title, sections, opts.subtitle))
  }
  return encode(toCsv(sheets[0]!, { bom: opts.bom }))
}

/** Turns content into file bytes; pure apart from the workbook writer, so the app and the CLI share it. */
export async function renderExport(content: ExportContent, opts: RenderOptions): Promise<Rendered> {
  if (content.kind === 'diff') {
    const sheets = diffSheets(content.diff, content.names)
    const rows = sheets.combined.rows.length
    if (opts.format === 'json') return { bytes: encode(`${toDiffJson(content.diff, 2)}\n`), rows }
    if (opts.format === 'csv') return { bytes: encode(toCsv(sheets.combined, { bom: opts.bom })), rows }
    const bytes = await renderSheets([sheets.changes, sheets.added, sheets.removed], opts, [
      'No model changed.',
      'No model was added.',
      'No model was removed.',
    ])
    return { bytes, rows }
  }
  const rows = content.records.length
  if (opts.format === 'json' && opts.raw) return { bytes: encode(rawModelsJson(content.records)), rows }
  const models = content.records.map(normaliseModel)
  const sheet =
    content.layout === 'compare'
      ? compareSheet(models, opts.columns, opts.unit)
      : catalogSheet(models, opts.columns, opts.unit)
  if (opts.format === 'json') return { bytes: encode(rowsJson(sheet, opts.unit)), rows }
  return { bytes: await renderSheets([sheet], opts, ['No models.']), rows }
}
