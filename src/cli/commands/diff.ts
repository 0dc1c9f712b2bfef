import { Option, type Command } from 'commander'
import { diffCatalogs, toDiffJson, type CatalogDiff } from '../../shared/model/diff'
import { CATALOG_SOURCES } from '../../shared/catalog-options'
import type { CatalogSource, RawModel } from '../../shared/model/raw'
import { loadCatalog, type LoadedCatalog } from '../catalog-ref'
import type { CliIo } from '../io'
import { withContext } from '../with-context'

const MAX_VALUE = 80

function show(value: unknown): string {
  if (value === undefined) return '(absent)'
  const text = JSON.stringify(value) ?? String(value)
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text
}

function describe(side: LoadedCatalog): string {
  const meta = side.meta
  const when = meta
    ? [meta.takenAt && `${meta.takenAt.slice(0, 16).replace('T', ' ')} UTC`, meta.source, meta.region]
        .filter(Boolean)
        .map((part) => `${part}, `)
        .join('')
    : ''
  return `${side.label} (${when}${side.models.length} models)`
}

/** The readable summary: counts first, then every added, removed and changed model with its fields. */
function diffSummary(before: LoadedCatalog, after: LoadedCatalog, diff: CatalogDiff): string {
  const { added, removed, changed, unchanged } = diff.counts
  const lines = [
    `From ${describe(before)}`,
    `To   ${describe(after)}`,
    '',
    `${added} added, ${removed} removed, ${changed} changed, ${unchanged} unchanged`,
  ]
  const name = (m: RawModel) => (typeof m.name === 'string' ? `  ${m.name}` : '')
  if (added) lines.push('', 'Added', ...diff.added.map((m) => `  + ${m.id}${name(m)}`))
  if (removed) lines.push('', 'Removed', ...diff.removed.map((m) => `  - ${m.id}${name(m)}`))
  if (changed) {
    lines.push('', 'Changed')
    for (const model of diff.changed) {
      lines.push(`  ~ ${model.id}`)
      for (const [path, change] of Object.entries(model.fields)) {
        lines.push(`      ${path}: ${show(change.from)} → ${show(change.to)}`)
      }
    }
  }
  return lines.join('\n')
}

export function registerDiff(program: Command, io: CliIo): void {
  program
    .command('diff')
    .description('Compare two catalogs: what was added, removed and changed from <a> to <b>.')
    .argument(
      '<a>',
      'the older catalog: a snapshot id, latest, latest~N, or a .json/.json.gz /models response',
    )
    .argument('<b>', 'the newer catalog, in the same forms')
    .addOption(
      new Option(
        '--source <source>',
        'which list latest and latest~N count through (default: user, else all)',
      ).choices(CATALOG_SOURCES),
    )
    .option('--json', 'print one JSON object {"added":[ids],"removed":[ids],"changed":[{"id","fields"}]}')
    .addHelpText(
      'after',
      '\nField paths use the API\'s own names joined with dots, e.g. "pricing.prompt" or "top_provider.context_length".',
    )
    .action(
      withContext(io, async (ctx, opts, [a, b]) => {
        const source = opts.source as CatalogSource | undefined
        const before = await loadCatalog(ctx, a!, source)
        // `latest` on the newer side counts through the same list as the older side.
        const after = await loadCatalog(ctx, b!, source ?? before.meta?.source)
        io.progress('Comparing…')
        const diff = diffCatalogs(before.models, after.models)
        io.done()
        io.out(opts.json ? toDiffJson(diff) : diffSummary(before, after, diff))
      }),
    )
}
