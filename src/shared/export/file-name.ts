/** What an export holds: the whole catalog, a selection, a comparison, a diff, or one snapshot. */
export const EXPORT_KINDS = ['catalog', 'selection', 'compare', 'diff', 'snapshot'] as const
export type ExportWhat = (typeof EXPORT_KINDS)[number]
export const EXPORT_FORMATS = ['csv', 'json', 'md', 'xlsx'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]
export const isExportFormat = (value: unknown): value is ExportFormat =>
  (EXPORT_FORMATS as readonly unknown[]).includes(value)

export const FORMAT_FILTERS: Record<ExportFormat, { name: string; extensions: string[] }> = {
  csv: { name: 'CSV (comma-separated values)', extensions: ['csv'] },
  json: { name: 'JSON', extensions: ['json'] },
  md: { name: 'Markdown', extensions: ['md'] },
  xlsx: { name: 'Excel workbook', extensions: ['xlsx'] },
}

/** File-name safe: lower case letters, digits, dots and single dashes. */
function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
}

/** "2026-08-19", or with the time ("2026-08-19t1015") when both sides of a diff share a day. */
export function snapshotStamps(a: string, b: string): [string, string] {
  const day = (iso: string) => iso.slice(0, 10)
  if (day(a) !== day(b)) return [day(a), day(b)]
  const minute = (iso: string) => `${day(iso)}-${iso.slice(11, 13)}${iso.slice(14, 16)}`
  return [minute(a), minute(b)]
}

const MAX_COMPARE_NAMES = 3

/**
 * The name the save dialog proposes: `openrouter-models-2026-11-26.csv`,
 * `openrouter-diff-2026-05-16-2026-08-19.md`, `openrouter-compare-gpt-4o-vs-claude-sonnet-4-2026-08-19.xlsx`.
 * Dates are the snapshot's, so an export of history is named after the day the data is from.
 */
export function exportFileName(opts: {
  what: ExportWhat
  format: ExportFormat
  /** ISO date-time of the snapshot the rows come from. */
  takenAt: string
  /** For a diff: the older side's ISO date-time. */
  againstTakenAt?: string
  modelIds?: readonly string[]
}): string {
  const date = opts.takenAt.slice(0, 10)
  let stem: string
  switch (opts.what) {
    case 'diff': {
      const [from, to] = snapshotStamps(opts.againstTakenAt ?? opts.takenAt, opts.takenAt)
      stem = `openrouter-diff-${from}-${to}`
      break
    }
    case 'compare': {
      const ids = opts.modelIds ?? []
      const names = ids.slice(0, MAX_COMPARE_NAMES).map((id) => slug(id.slice(id.indexOf('/') + 1)))
      const more = ids.length > MAX_COMPARE_NAMES ? `-and-${ids.length - MAX_COMPARE_NAMES}-more` : ''
      const middle = names.filter(Boolean).join('-vs-').slice(0, 120)
      stem = `openrouter-compare-${middle ? `${middle}${more}-` : ''}${date}`
      break
    }
    case 'selection':
      stem = `openrouter-selection-${date}`
      break
    case 'snapshot':
      stem = `openrouter-snapshot-${date}`
      break
    default:
      stem = `openrouter-models-${date}`
  }
  return `${stem}.${opts.format}`
}
