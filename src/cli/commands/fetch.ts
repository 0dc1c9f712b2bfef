import type { Command } from 'commander'
import { fetchOne, regionOption, sourceFor, sourceOption } from '../fetch-one'
import type { CliIo } from '../io'
import { withContext } from '../with-context'

export function registerFetch(program: Command, io: CliIo): void {
  program
    .command('fetch')
    .description('Fetch the catalog from OpenRouter, store it as a snapshot and print its id.')
    .addOption(sourceOption())
    .addOption(regionOption())
    .action(
      withContext(io, async (ctx, opts) => {
        const source = await sourceFor(ctx, opts.source)
        const region = ctx.region
        const result = await fetchOne(ctx, source)
        const what = source === 'user' ? 'models your key may use' : 'models in the public catalog'
        const same = result.created ? '' : ' (unchanged: same content as the stored snapshot)'
        const skipped = result.skipped ? `; ${result.skipped} unreadable records skipped` : ''
        io.note(`Stored ${result.modelCount} ${what} (${region})${same}${skipped}.`)
        io.out(result.snapshotId)
      }),
    )
}
