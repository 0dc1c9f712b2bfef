import { Option, type Command } from 'commander'
import { AppError } from '../../shared/ipc/result'
import { CATALOG_SOURCES, REGIONS, type CatalogSource } from '../../shared/catalog-options'
import type { CliIo } from '../io'
import { withContext } from '../with-context'

export function registerFetch(program: Command, io: CliIo): void {
  program
    .command('fetch')
    .description('Fetch the catalog from OpenRouter, store it as a snapshot and print its id.')
    .addOption(
      new Option(
        '--source <source>',
        'user: the models your key may use; all: the public catalog (default: user when a key is set, else all)',
      ).choices(CATALOG_SOURCES),
    )
    .addOption(
      new Option('--region <region>', 'OpenRouter region for this fetch (default: the app setting)').choices(
        REGIONS,
      ),
    )
    .action(
      withContext(io, async (ctx, opts) => {
        const hasKey = (await ctx.keys.getActiveKey().catch(() => null)) !== null
        const source = (opts.source as CatalogSource | undefined) ?? (hasKey ? 'user' : 'all')
        const region = ctx.region
        const outcome = await ctx.catalog.refresh({ sources: [source] })
        const result = outcome.results[0]!
        if (!result.ok || !result.snapshotId) {
          const error = result.error ?? { code: 'internal' as const, message: 'The fetch failed.' }
          throw new AppError(error.code, error.message, error.details)
        }
        const what = source === 'user' ? 'models your key may use' : 'models in the public catalog'
        const same = result.created ? '' : ' (unchanged: same content as the stored snapshot)'
        const skipped = result.skipped ? `; ${result.skipped} unreadable records skipped` : ''
        io.note(`Stored ${result.modelCount} ${what} (${region})${same}${skipped}.`)
        io.out(result.snapshotId)
      }),
    )
}
