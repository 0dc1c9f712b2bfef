import { Option, type Command } from 'commander'
import { CATALOG_SOURCES } from '../../shared/catalog-options'
import { describeChange, KIND_LABELS } from '../../shared/changes/describe'
import { CHANGE_KINDS, changeQuerySchema, type ChangeQuery } from '../../shared/changes/types'
import { UsageError } from '../errors'
import { formatTable, type CliIo } from '../io'
import { withContext } from '../with-context'

const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const

/** `7d`, `24h`, `2w` back from now, or an ISO 8601 date or date-time; as an ISO date-time. */
export function parseWhen(flag: string, value: string, now = Date.now()): string {
  const relative = /^(\d{1,5})([hdw])$/.exec(value.trim())
  if (relative)
    return new Date(now - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]).toISOString()
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value
  const ms = Date.parse(text)
  if (!/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(text) || Number.isNaN(ms)) {
    throw new UsageError(
      `${flag} must be a time back from now such as 24h, 7d or 2w, or an ISO 8601 date such as 2026-08-19, not "${value}"`,
    )
  }
  return new Date(ms).toISOString()
}

function toQuery(opts: Record<string, unknown>): ChangeQuery {
  const limit = opts.limit === undefined ? undefined : Number(opts.limit)
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 5_000))
    throw new UsageError(`--limit must be a whole number from 1 to 5000, not "${String(opts.limit)}"`)
  const query = {
    ...(opts.since !== undefined ? { since: parseWhen('--since', String(opts.since)) } : {}),
    ...(opts.until !== undefined ? { until: parseWhen('--until', String(opts.until)) } : {}),
    ...(opts.source !== undefined ? { source: opts.source } : {}),
    ...(opts.kind !== undefined ? { kinds: [...new Set(opts.kind as string[])] } : {}),
    ...(opts.author !== undefined ? { author: String(opts.author) } : {}),
    ...(opts.model !== undefined ? { model: String(opts.model) } : {}),
    ...(limit !== undefined ? { limit } : {}),
  }
  const parsed = changeQuerySchema.safeParse(query)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new UsageError(`--${String(issue.path[0] ?? 'option')}: ${issue.message}`)
  }
  return parsed.data
}

export function registerChanges(program: Command, io: CliIo): void {
  program
    .command('changes')
    .description(
      'The change feed: every model added, removed or changed across all stored snapshots, newest first.',
    )
    .option('--since <when>', 'only changes since then: 24h, 7d, 2w, or a date such as 2026-08-01')
    .option('--until <when>', 'only changes until then (a plain date includes that whole day)')
    .addOption(
      new Option(
        '--source <source>',
        'only the models your key may use (user) or the public catalog (all)',
      ).choices(CATALOG_SOURCES),
    )
    .addOption(new Option('--kind <kind...>', 'only these kinds of change').choices(CHANGE_KINDS))
    .option('--author <author>', 'only models of this author, e.g. anthropic')
    .option(
      '--model <glob>',
      'only models whose id matches: an id, part of one, or a glob such as "openai/gpt-5*"',
    )
    .option('--limit <n>', 'at most this many changes (the newest)')
    .option('--json', 'print {"events":[…],"total","counts","snapshots"} as JSON')
    .addHelpText(
      'after',
      `\nKinds: ${CHANGE_KINDS.join(', ')}.\nPrices are shown in $ per 1M tokens (per request, image or search where that is the unit).`,
    )
    .action(
      withContext(io, async (ctx, opts) => {
        const query = toQuery(opts)
        io.progress('Reading the change feed…')
        const feed = await ctx.services.changes.list(query)
        io.done()
        if (opts.json) {
          io.out(JSON.stringify(feed, null, 2))
          return
        }
        if (feed.events.length === 0) {
          io.note(
            `No changes in ${feed.snapshots} snapshots${feed.snapshots < 2 ? ' (a change needs two)' : ''}.`,
          )
          return
        }
        const rows = feed.events.map((e) => [
          e.at.slice(0, 16).replace('T', ' '),
          e.source,
          KIND_LABELS[e.kind],
          e.modelId,
          describeChange(e),
        ])
        io.out(formatTable(['DATE (UTC)', 'SOURCE', 'KIND', 'MODEL', 'CHANGE'], rows))
        const shown =
          feed.events.length < feed.total ? `${feed.events.length} of ${feed.total}` : `${feed.total}`
        io.note(`${shown} changes over ${feed.snapshots} snapshots.`)
      }),
    )
}
