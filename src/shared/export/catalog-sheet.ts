import { columnOrder, columns, type ColumnId } from '../model/columns'
import type { NormalisedModel } from '../model/normalise'
import { perMillion, priceUnitOf, type Price, type PriceKey } from '../pricing/price'
import type { PriceUnit } from '../settings'
import { formatUnixDate } from '../model/format'
import type { Cell, Sheet, SheetColumn } from './sheet'

/** Every exported column reads its value here, so all formats agree on what a cell holds. */
const PRICE_KEY: Partial<Record<ColumnId, { key: PriceKey; required: boolean }>> = {
  prompt: { key: 'prompt', required: true },
  completion: { key: 'completion', required: true },
  cacheRead: { key: 'input_cache_read', required: false },
  cacheWrite: { key: 'input_cache_write', required: false },
  reasoningPrice: { key: 'internal_reasoning', required: false },
  image: { key: 'image', required: false },
  request: { key: 'request', required: false },
  webSearch: { key: 'web_search', required: false },
}

const PER_UNIT_LABEL = { request: '$/request', image: '$/image', search: '$/search' } as const

/** "Prompt ($/1M tokens)", "Prompt ($/token)", "Context (tokens)", "Name". */
export function exportHeader(id: ColumnId, unit: PriceUnit): string {
  const column = columns[id]
  const price = PRICE_KEY[id]
  if (price) {
    const kind = priceUnitOf(price.key)
    const label =
      kind === 'token' ? (unit === 'per-million' ? '$/1M tokens' : '$/token') : PER_UNIT_LABEL[kind]
    return `${column.label} (${label})`
  }
  return column.unit ? `${column.label} (${column.unit})` : column.label
}

function priceCell(price: Price, key: PriceKey, unit: PriceUnit): Cell {
  if (price.kind === 'free') return 0
  // Variable (router) and unreadable prices are words, never a made-up number.
  if (price.kind !== 'fixed') return price.kind
  const scaled = priceUnitOf(key) === 'token' && unit === 'per-million' ? perMillion(price)! : price.value
  // A price past a double's range ("1e400") stays its exact decimal text: Infinity would be a lie
  // in a text file and breaks a workbook.
  const value = Number(scaled)
  return Number.isFinite(value) ? value : scaled
}

/** One cell: numbers as numbers, prices in the chosen unit, lists joined, absent values null. */
export function exportCell(model: NormalisedModel, id: ColumnId, unit: PriceUnit): Cell {
  const price = PRICE_KEY[id]
  if (price) {
    // An optional price the API did not list is "not offered", not $0.
    if (!price.required && !model.pricedKeys.includes(price.key)) return null
    return priceCell(model.prices[price.key], price.key, unit)
  }
  switch (id) {
    case 'name':
      return model.name
    case 'id':
      return model.id
    case 'author':
      return model.author
    case 'created':
      return model.created === null ? null : formatUnixDate(model.created) || null
    case 'context':
      return model.contextLength
    case 'maxOutput':
      return model.maxOutput
    case 'inputModalities':
      return model.inputModalities.join(', ')
    case 'outputModalities':
      return model.outputModalities.join(', ')
    case 'supportedParameters':
      return model.supportedParameters.join(', ')
    case 'tokenizer':
      return model.tokenizer
    case 'moderated':
      return model.moderated
    case 'reasoning':
      return model.reasoning === null ? null : model.reasoning.mandatory ? 'always on' : 'optional'
    case 'knowledgeCutoff':
      return model.knowledgeCutoff
    case 'expirationDate':
      return model.expirationDate
    case 'intelligenceIndex':
      return model.benchmarks?.intelligence ?? null
    case 'codingIndex':
      return model.benchmarks?.coding ?? null
    case 'agenticIndex':
      return model.benchmarks?.agentic ?? null
    default:
      return null
  }
}

function sheetColumn(id: ColumnId, unit: PriceUnit): SheetColumn {
  const column = columns[id]
  const numeric = column.kind === 'price' || (column.kind === 'number' && column.numeric)
  return { key: id, header: exportHeader(id, unit), numeric }
}

/** Unknown ids are dropped and duplicates kept once; an empty choice falls back to every column. */
export function exportColumns(requested: readonly string[] | null | undefined): ColumnId[] {
  const known = new Set<ColumnId>()
  for (const id of requested ?? [])
    if ((columnOrder as readonly string[]).includes(id)) known.add(id as ColumnId)
  return known.size > 0 ? [...known] : [...columnOrder]
}

/** One row per model, in the order given (the order the user was looking at). */
export function catalogSheet(
  models: readonly NormalisedModel[],
  ids: readonly ColumnId[],
  unit: PriceUnit,
): Sheet {
  return {
    title: 'Models',
    columns: ids.map((id) => sheetColumn(id, unit)),
    rows: models.map((model) => ids.map((id) => exportCell(model, id, unit))),
  }
}

/** One row per field, one column per model (headed by its id): the compare view, on paper. */
export function compareSheet(
  models: readonly NormalisedModel[],
  ids: readonly ColumnId[],
  unit: PriceUnit,
): Sheet {
  return {
    title: 'Compare',
    columns: [
      { key: 'field', header: 'Field', numeric: false },
      ...models.map((m) => ({ key: m.id, header: m.id, numeric: false })),
    ],
    rows: ids.map((id) => [exportHeader(id, unit), ...models.map((m) => exportCell(m, id, unit))]),
  }
}
