import { formatUsd, perMillion, priceUnitOf, type Price, type PriceKey } from '../pricing/price'
import { formatInteger, formatScore, formatUnixDate } from './format'
import type { NormalisedModel } from './normalise'

export type ColumnId =
  | 'name'
  | 'id'
  | 'author'
  | 'created'
  | 'context'
  | 'maxOutput'
  | 'prompt'
  | 'completion'
  | 'cacheRead'
  | 'cacheWrite'
  | 'reasoningPrice'
  | 'image'
  | 'request'
  | 'webSearch'
  | 'inputModalities'
  | 'outputModalities'
  | 'tokenizer'
  | 'moderated'
  | 'supportedParameters'
  | 'reasoning'
  | 'knowledgeCutoff'
  | 'expirationDate'
  | 'intelligenceIndex'
  | 'codingIndex'
  | 'agenticIndex'

/**
 * How a column's sort values compare: `text` with a natural collator, `number` numerically, `price` as
 * exact decimal strings, `date` as ISO strings. Null always sorts last, whatever the direction.
 */
export type ColumnKind = 'text' | 'number' | 'price' | 'date'

export type SortValue = string | number | null

export type Column = {
  id: ColumnId
  label: string
  /** Shown after the label in the header: "$/1M", "tokens". */
  unit: string | null
  kind: ColumnKind
  numeric: boolean
  sortValue: (model: NormalisedModel) => SortValue
  display: (model: NormalisedModel) => string
}

const DASH = '—'

function textColumn(id: ColumnId, label: string, read: (m: NormalisedModel) => string | null): Column {
  return {
    id,
    label,
    unit: null,
    kind: 'text',
    numeric: false,
    sortValue: (m) => read(m) || null,
    display: (m) => read(m) || DASH,
  }
}

function numberColumn(
  id: ColumnId,
  label: string,
  unit: string | null,
  read: (m: NormalisedModel) => number | null,
  show: (value: number) => string = formatInteger,
): Column {
  return {
    id,
    label,
    unit,
    kind: 'number',
    numeric: true,
    sortValue: read,
    display: (m) => {
      const value = read(m)
      return value === null ? DASH : show(value)
    },
  }
}

/** The exact amount per unit; order is the same as per 1M, and it needs no decimal arithmetic. */
function sortAmount(price: Price): string | null {
  return price.kind === 'free' ? '0' : price.kind === 'fixed' ? price.value : null
}

const UNIT_LABEL = { token: '$/1M', request: '$/request', image: '$/image', search: '$/search' } as const

/**
 * `required` keys (prompt, completion) read a missing value as free, as the API means it. For the
 * optional ones a missing key means "not offered": shown as a dash and sorted last rather than as $0.
 */
function priceColumn(id: ColumnId, label: string, key: PriceKey, required = false): Column {
  const present = (m: NormalisedModel) => required || m.pricedKeys.includes(key)
  return {
    id,
    label,
    unit: UNIT_LABEL[priceUnitOf(key)],
    kind: 'price',
    numeric: true,
    sortValue: (m) => (present(m) ? sortAmount(m.prices[key]) : null),
    display: (m) => {
      if (!present(m)) return DASH
      const price = m.prices[key]
      if (price.kind === 'free') return required ? 'free' : '$0'
      if (price.kind !== 'fixed') return price.kind
      return formatUsd(priceUnitOf(key) === 'token' ? perMillion(price)! : price.value)
    },
  }
}

function listColumn(id: ColumnId, label: string, read: (m: NormalisedModel) => string[]): Column {
  // Sorted by how many entries: "most modalities / parameters first" is the question people ask.
  return {
    id,
    label,
    unit: null,
    kind: 'number',
    numeric: false,
    sortValue: (m) => read(m).length,
    display: (m) => read(m).join(', ') || DASH,
  }
}

function dateColumn(id: ColumnId, label: string, read: (m: NormalisedModel) => string | null): Column {
  return {
    id,
    label,
    unit: null,
    kind: 'date',
    numeric: false,
    sortValue: (m) => read(m),
    display: (m) => read(m) ?? DASH,
  }
}

const columnList: Column[] = [
  textColumn('name', 'Name', (m) => m.name),
  textColumn('id', 'ID', (m) => m.id),
  textColumn('author', 'Author', (m) => m.author),
  numberColumn('created', 'Added', null, (m) => m.created, formatUnixDate),
  numberColumn('context', 'Context', 'tokens', (m) => m.contextLength),
  numberColumn('maxOutput', 'Max output', 'tokens', (m) => m.maxOutput),
  priceColumn('prompt', 'Prompt', 'prompt', true),
  priceColumn('completion', 'Completion', 'completion', true),
  priceColumn('cacheRead', 'Cache read', 'input_cache_read'),
  priceColumn('cacheWrite', 'Cache write', 'input_cache_write'),
  priceColumn('reasoningPrice', 'Reasoning', 'internal_reasoning'),
  priceColumn('image', 'Image', 'image'),
  priceColumn('request', 'Request', 'request'),
  priceColumn('webSearch', 'Web search', 'web_search'),
  listColumn('inputModalities', 'Input', (m) => m.inputModalities),
  listColumn('outputModalities', 'Output', (m) => m.outputModalities),
  textColumn('tokenizer', 'Tokenizer', (m) => m.tokenizer),
  {
    id: 'moderated',
    label: 'Moderated',
    unit: null,
    kind: 'number',
    numeric: false,
    sortValue: (m) => (m.moderated === null ? null : m.moderated ? 1 : 0),
    display: (m) => (m.moderated === null ? DASH : m.moderated ? 'yes' : 'no'),
  },
  listColumn('supportedParameters', 'Parameters', (m) => m.supportedParameters),
  {
    id: 'reasoning',
    label: 'Reasoning',
    unit: null,
    kind: 'number',
    numeric: false,
    sortValue: (m) => (m.reasoning === null ? null : m.reasoning.mandatory ? 2 : 1),
    display: (m) => (m.reasoning === null ? DASH : m.reasoning.mandatory ? 'always on' : 'optional'),
  },
  dateColumn('knowledgeCutoff', 'Knowledge cutoff', (m) => m.knowledgeCutoff),
  dateColumn('expirationDate', 'Expires', (m) => m.expirationDate),
  numberColumn(
    'intelligenceIndex',
    'Intelligence',
    null,
    (m) => m.benchmarks?.intelligence ?? null,
    formatScore,
  ),
  numberColumn('codingIndex', 'Coding', null, (m) => m.benchmarks?.coding ?? null, formatScore),
  numberColumn('agenticIndex', 'Agentic', null, (m) => m.benchmarks?.agentic ?? null, formatScore),
]

/** Every column in default display order. */
export const columnOrder: readonly ColumnId[] = columnList.map((c) => c.id)

export const columns = Object.fromEntries(columnList.map((c) => [c.id, c])) as Readonly<
  Record<ColumnId, Column>
>

/** "Prompt $/1M", "Context tokens", "Name". */
export function columnHeader(id: ColumnId): string {
  const column = columns[id]
  return column.unit ? `${column.label} ${column.unit}` : column.label
}

export function isColumnId(value: unknown): value is ColumnId {
  return typeof value === 'string' && Object.hasOwn(columns, value)
}
