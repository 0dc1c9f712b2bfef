import { Option, type Command } from 'commander'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { AppError } from '../../shared/ipc/result'
import { CATALOG_SOURCES, type CatalogSource } from '../../shared/catalog-options'
import { UsageError } from '../errors'
import { formatTable, type CliIo } from '../io'
import { withContext } from '../with-context'

function isoDate(value: string): string {
  // Same rule as the app's import: an ISO 8601 date-time, or a plain date taken as midnight UTC.
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value
  const ms = Date.parse(text)
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) || Number.isNaN(ms)) {
    throw new UsageError(
      `--taken-at must be an ISO 8601 date such as 2026-08-19 or 2026-08-19T10:15:00Z, not "${value}"`,
    )
  }
  return new Date(ms).toISOString()
}

export function registerSnapshot(program: Command, io: CliIo): void {
  const snapshot = program.command('snapshot').description('Import and list stored catalog snapshots.')

  snapshot
    .command('import')
    .description('Store a saved /models response (.json or .json.gz) or a Model Deck bundle as a snapshot.')
    .argument('<file>', 'the file to import')
    .addOption(
      new Option('--source <source>', 'which list the file holds (default: detected)').choices(
        CATALOG_SOURCES,
      ),
    )
    .option('--taken-at <date>', 'when the catalog was fetched, as an ISO 8601 date (default: now)')
    .action(
      withContext(io, async (ctx, opts, [file]) => {
        const path = resolve(file!)
        if (!existsSync(path)) throw new AppError('bad-file', `There is no file ${file}.`)
        const takenAt = opts.takenAt === undefined ? undefined : isoDate(String(opts.takenAt))
        const source = opts.source as CatalogSource | undefined
        io.progress(`Importing ${file}…`)
        const outcome = await ctx.importer(path).importFile({
          ...(source ? { source } : {}),
          ...(takenAt ? { takenAt } : {}),
        })
        const meta = outcome.meta!
        const skipped = outcome.skipped ? `, ${outcome.skipped} unreadable records skipped` : ''
        const status = outcome.created ? 'Imported' : 'Already stored:'
        io.note(`${status} ${meta.modelCount} models (${meta.source}, ${meta.takenAt})${skipped}.`)
        io.out(meta.id)
      }),
    )

  snapshot
    .command('list')
    .description('List the stored snapshots, newest first.')
    .option('--json', 'print the list as JSON')
    .action(
      withContext(io, async (ctx, opts) => {
        const list = await ctx.services.snapshots.list()
        if (opts.json) {
          io.out(JSON.stringify(list.snapshots, null, 2))
          return
        }
        if (list.snapshots.length === 0) {
          io.note(
            `No snapshots in ${ctx.dataDir} yet: run "model-deck fetch" or "model-deck snapshot import <file>".`,
          )
          return
        }
        const { profiles } = await ctx.services.keys.listProfiles()
        const profileName = (id: string) => profiles.find((p) => p.id === id)?.name ?? id
        const rows = list.snapshots.map((s) => [
          s.id,
          s.takenAt.slice(0, 16).replace('T', ' '),
          s.source,
          s.region,
          profileName(s.profile),
          String(s.modelCount),
          [s.pinned ? 'pinned' : '', s.unavailable ? `unavailable: ${s.unavailable}` : '', s.note]
            .filter(Boolean)
            .join('; '),
        ])
        io.out(formatTable(['ID', 'TAKEN (UTC)', 'SOURCE', 'REGION', 'PROFILE', 'MODELS', 'NOTE'], rows))
      }),
    )
}
