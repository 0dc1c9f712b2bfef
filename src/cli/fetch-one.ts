import { Option } from 'commander'
import { AppError } from '../shared/ipc/result'
import { CATALOG_SOURCES, REGIONS, type CatalogSource } from '../shared/catalog-options'
import type { SourceRefreshOutcome } from '../shared/app-types'
import type { CliContext } from './context'

/** `--source` and `--region` as `fetch` and `watch` both take them. */
export const sourceOption = (): Option =>
  new Option(
    '--source <source>',
    'user: the models your key may use; all: the public catalog (default: user when a key is set, else all)',
  ).choices(CATALOG_SOURCES)

export const regionOption = (): Option =>
  new Option('--region <region>', 'OpenRouter region for this fetch (default: the app setting)').choices(
    REGIONS,
  )

/** The chosen source, else the key's list when a key is set, else the public catalog. */
export async function sourceFor(ctx: CliContext, chosen: unknown): Promise<CatalogSource> {
  if (chosen) return chosen as CatalogSource
  const hasKey = (await ctx.keys.getActiveKey().catch(() => null)) !== null
  return hasKey ? 'user' : 'all'
}

/** One fetch through the app's own refresh (retention and watch rules included); a failure is thrown as main reported it. */
export async function fetchOne(
  ctx: CliContext,
  source: CatalogSource,
): Promise<SourceRefreshOutcome & { snapshotId: string }> {
  const outcome = await ctx.catalog.refresh({ sources: [source] })
  const result = outcome.results[0]!
  if (!result.ok || !result.snapshotId) {
    const error = result.error ?? { code: 'internal' as const, message: 'The fetch failed.' }
    throw new AppError(error.code, error.message, error.details)
  }
  return { ...result, snapshotId: result.snapshotId }
}
