import type { CatalogDiff } from '../model/diff'
import type { RawModel } from '../model/raw'
import type { Cell, Sheet, SheetColumn } from './sheet'

const text = (key: string, header: string): SheetColumn => ({ key, header, numeric: false })

/** A changed value as a cell: scalars as they are, lists and objects as compact JSON, absent or null empty. */
export function diffValueCell(value: unknown): Cell {
  if (value === undefined || value === null) return null
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value
  return JSON.stringify(value)
}

function nameOf(model: RawModel): Cell {
  return typeof model.name === 'string' && model.name.trim() ? model.name : null
}

export type DiffSheets = {
  /** One row per changed field: id, name, field (the API's dotted path), group, from, to. */
  changes: Sheet
  added: Sheet
  removed: Sheet
  /** All three in one table with a `change` column, for formats that hold a single table (CSV). */
  combined: Sheet
}

/** `names` gives changed models a readable name (their record after the change). */
export function diffSheets(diff: CatalogDiff, names: ReadonlyMap<string, string> = new Map()): DiffSheets {
  const changeRows: Cell[][] = []
  for (const model of diff.changed) {
    for (const [path, change] of Object.entries(model.fields)) {
      changeRows.push([
        model.id,
        names.get(model.id) ?? null,
        path,
        change.group,
        diffValueCell(change.from),
        diffValueCell(change.to),
      ])
    }
  }
  const listed = (models: RawModel[]): Cell[][] => models.map((m) => [m.id, nameOf(m)])
  const idName = [text('id', 'ID'), text('name', 'Name')]
  const changeColumns = [
    ...idName,
    text('field', 'Field'),
    text('group', 'Group'),
    text('from', 'From'),
    text('to', 'To'),
  ]
  const pad = (rows: Cell[][], change: string): Cell[][] =>
    rows.map(([id, name]) => [change, id ?? null, name ?? null, null, null, null, null])
  return {
    changes: { title: 'Changed', columns: changeColumns, rows: changeRows },
    added: { title: 'Added', columns: idName, rows: listed(diff.added) },
    removed: { title: 'Removed', columns: idName, rows: listed(diff.removed) },
    combined: {
      title: 'Diff',
      columns: [text('change', 'Change'), ...changeColumns],
      rows: [
        ...pad(listed(diff.added), 'added'),
        ...pad(listed(diff.removed), 'removed'),
        ...changeRows.map((row) => ['changed', ...row]),
      ],
    },
  }
}
