import { basename } from 'node:path'
import type { ChangeFeed, ChangeQuery } from '../../../shared/changes/types'
import type { ExportOutcome } from '../../../shared/app-types'
import { changesSheet } from '../../../shared/export/changes-sheet'
import { toCsv } from '../../../shared/export/csv'
import { FORMAT_FILTERS, type ExportFormat } from '../../../shared/export/file-name'
import { toMarkdown } from '../../../shared/export/markdown'
import { AppError } from '../../../shared/ipc/result'
import type { Dialogs } from '../../dialogs'
import type { SettingsService } from '../settings'
import { writeExportFile } from '../export/write-export'
import { toXlsx } from '../export/xlsx'

/** "since 2026-08-12 · price, added · anthropic/claude-*": the query in words, for the file's heading. */
function describeQuery(query: ChangeQuery): string {
  const parts = [
    query.source === 'user' ? 'models your key may use' : query.source === 'all' ? 'public catalog' : '',
    query.since ? `since ${query.since}` : '',
    query.until ? `until ${query.until}` : '',
    query.kinds?.length ? query.kinds.join(', ') : '',
    query.author ? `by ${query.author}` : '',
    query.model ?? '',
  ]
  return parts.filter(Boolean).join(' · ')
}

/** Renders the feed in the chosen format and writes it where the save dialog says (atomically). */
export async function exportChanges(input: {
  feed: ChangeFeed
  query: ChangeQuery
  format: ExportFormat
  dialogs: Dialogs | undefined
  settings: SettingsService | undefined
  today?: Date
}): Promise<ExportOutcome> {
  const { feed, query, format } = input
  if (!input.dialogs) throw new AppError('internal', 'Exporting the change feed needs a save dialog.')
  const date = (input.today ?? new Date()).toISOString().slice(0, 10)
  const path = await input.dialogs.chooseSavePath({
    defaultName: `openrouter-changes-${date}.${format}`,
    filters: [FORMAT_FILTERS[format]],
  })
  if (!path) return { cancelled: true, fileName: null, rows: 0, bytes: 0 }
  const sheet = changesSheet(feed.events)
  const described = describeQuery(query)
  const subtitle = `${feed.total} events over ${feed.snapshots} snapshots${described ? ` (${described})` : ''}, newest first.`
  let bytes: Buffer
  if (format === 'json') {
    const document = { query, total: feed.total, counts: feed.counts, events: feed.events }
    bytes = Buffer.from(`${JSON.stringify(document, null, 2)}\n`, 'utf8')
  } else if (format === 'csv') {
    const bom = (await input.settings?.get())?.export.bom ?? false
    bytes = Buffer.from(toCsv(sheet, { bom }), 'utf8')
  } else if (format === 'md') {
    const section = { heading: `Changes (${sheet.rows.length})`, sheet, empty: 'Nothing changed.' }
    bytes = Buffer.from(toMarkdown('OpenRouter catalog changes', [section], subtitle), 'utf8')
  } else {
    bytes = await toXlsx([sheet])
  }
  await writeExportFile(path, bytes)
  return { cancelled: false, fileName: basename(path), rows: sheet.rows.length, bytes: bytes.length }
}
