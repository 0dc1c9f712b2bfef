import type { Column } from '../../../shared/model/columns'
import type { NormalisedModel } from '../../../shared/model/normalise'

// Formatted once per model and column for the life of the catalog: scrolling back and forth, or a
// row leaving and re-entering the window, reuses the text instead of formatting numbers again.
const texts = new WeakMap<NormalisedModel, Map<string, string>>()

export function cellText(column: Column, model: NormalisedModel): string {
  let byColumn = texts.get(model)
  if (!byColumn) texts.set(model, (byColumn = new Map()))
  let text = byColumn.get(column.id)
  if (text === undefined) byColumn.set(column.id, (text = column.display(model)))
  return text
}
