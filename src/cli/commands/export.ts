import { Option, type Command } from 'commander'
import { basename, extname, resolve } from 'node:path'
import { writeExportFile } from '../../main/services/export/write-export'
import { renderExport } from '../../main/services/export/render'
import { exportColumns } from '../../shared/export/catalog-sheet'
import { EXPORT_FORMATS, isExportFormat, type ExportFormat } from '../../shared/export/file-name'
import { CATALOG_SOURCES } from '../../shared/catalog-options'
import { FILTER_HELP, parseFilterExpr } from '../../shared/export/filter-expr'
import { columnOrder, isColumnId } from '../../shared/model/columns'
import { applyFilter } from '../../shared/model/filter'
import { normaliseModel } from '../../shared/model/normalise'
import type { CatalogSource } from '../../shared/model/raw'
import type { PriceUnit } from '../../shared/settings'
import { loadCatalog } from '../catalog-ref'
import { UsageError } from '../errors'
import type { CliIo } from '../io'
import { withContext } from '../with-context'

function formatOf(opts: { format?: unknown }, out: string): ExportFormat {
  if (opts.format) return opts.format as ExportFormat
  const ext = extname(out).slice(1).toLowerCase()
  if (isExportFormat(ext)) return ext
  throw new UsageError(
    `give --format (${EXPORT_FORMATS.join(', ')}); it cannot be told from "${basename(out)}"`,
  )
}

function parseColumns(text: string): string[] {
  const ids = text
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean)
  const unknown = ids.filter((id) => !isColumnId(id))
  if (unknown.length > 0 || ids.length === 0) {
    throw new UsageError(
      `unknown column ${unknown.map((c) => `"${c}"`).join(', ') || '(none given)'}; columns: ${columnOrder.join(',')}`,
    )
  }
  return ids
}

export function registerExport(program: Command, io: CliIo): void {
  program
    .command('export')
    .description('Write a catalog (a snapshot or a /models file) to CSV, JSON, Markdown or Excel.')
    .argument('<catalog>', 'a snapshot id, latest, latest~N, or a .json/.json.gz /models response')
    .requiredOption('--out <file>', 'the file to write (replaced atomically)')
    .addOption(
      new Option('--format <format>', 'file format (default: from the --out extension)').choices(
        EXPORT_FORMATS,
      ),
    )
    .option(
      '--columns <ids>',
      `comma-separated column ids (default: the app's export columns); any of: ${columnOrder.join(',')}`,
    )
    .option('--filter <expr>', 'only models matching the expression (see below)')
    .addOption(
      new Option('--unit <unit>', 'price unit for token prices (default: the app setting)').choices([
        'per-million',
        'per-token',
      ]),
    )
    .option('--bom', 'CSV: start with a UTF-8 byte-order mark, for Excel on Windows')
    .option('--raw', 'JSON: the records exactly as received instead of normalised rows')
    .addOption(
      new Option('--source <source>', 'which list latest and latest~N count through').choices(
        CATALOG_SOURCES,
      ),
    )
    .addHelpText('after', `\n${FILTER_HELP}`)
    .action(
      withContext(io, async (ctx, opts, [ref]) => {
        const out = resolve(String(opts.out))
        const format = formatOf(opts, out)
        // Bad arguments are reported before any work is done.
        const requested = opts.columns === undefined ? undefined : parseColumns(String(opts.columns))
        const filter = opts.filter === undefined ? null : parseFilterExpr(String(opts.filter))
        const settings = (await ctx.services.settings.get()).export
        const catalog = await loadCatalog(ctx, ref!, opts.source as CatalogSource | undefined)
        let records = catalog.models
        if (filter) {
          const kept = new Set(applyFilter(records.map(normaliseModel), filter, new Date()).map((m) => m.id))
          records = records.filter((r) => kept.has(r.id))
        }
        io.progress(`Writing ${records.length} models…`)
        const unit = (opts.unit as PriceUnit | undefined) ?? settings.unit
        const { bytes, rows } = await renderExport(
          { kind: 'models', layout: 'rows', records },
          {
            format,
            columns: exportColumns(requested ?? settings.columns),
            unit,
            raw: Boolean(opts.raw),
            bom: Boolean(opts.bom ?? settings.bom),
            title: `OpenRouter models (${records.length})`,
            subtitle: `From ${catalog.label}${opts.filter ? `, filtered by "${String(opts.filter)}"` : ''}.`,
          },
        )
        await writeExportFile(out, bytes)
        io.note(
          `Wrote ${rows} of ${catalog.models.length} models to ${basename(out)} (${bytes.length} bytes).`,
        )
      }),
    )
}
