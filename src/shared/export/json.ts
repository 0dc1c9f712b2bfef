import type { RawModel } from '../model/raw'
import type { PriceUnit } from '../settings'
import type { Cell, Sheet } from './sheet'

/**
 * The records exactly as OpenRouter sent them, wrapped as a `/models` body: the file can be imported
 * as a snapshot again or diffed by the CLI.
 */
export function rawModelsJson(records: readonly RawModel[]): string {
  return `${JSON.stringify({ data: records }, null, 2)}\n`
}

/** Normalised rows keyed by column id, with the price unit stated once so numbers are unambiguous. */
export function rowsJson(sheet: Sheet, unit: PriceUnit): string {
  const rows = sheet.rows.map((row) => {
    const record: Record<string, Cell> = {}
    sheet.columns.forEach((column, i) => {
      record[column.key] = row[i] ?? null
    })
    return record
  })
  const document = {
    unit,
    columns: sheet.columns.map((c) => ({ id: c.key, header: c.header })),
    rows,
  }
  return `${JSON.stringify(document, null, 2)}\n`
}
