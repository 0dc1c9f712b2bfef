import type { Command } from 'commander'
import { CATALOG_SOURCES, type CatalogSource } from '../../shared/catalog-options'
import { matchLine } from '../../shared/watch/notification'
import { checkRule, RULE_HELP } from '../../shared/watch/rule'
import { ruleInputSchema } from '../../shared/watch/types'
import type { RuleMatch } from '../../main/services/watch/watch-service'
import { EXIT_MATCHED, ExitStatus, UsageError } from '../errors'
import { formatTable, type CliIo } from '../io'
import type { CliContext } from '../context'
import { withContext } from '../with-context'
import { fetchOne, regionOption, sourceFor, sourceOption } from '../fetch-one'

/** The snapshots the last fetch stored: the latest of each source for this profile and region. */
async function latestSnapshots(ctx: CliContext, sources: readonly CatalogSource[]): Promise<string[]> {
  const ids: string[] = []
  for (const source of sources) {
    const meta = await ctx.services.store.latest({ source, region: ctx.region, profile: ctx.profile.id })
    if (meta && !meta.unavailable) ids.push(meta.id)
  }
  return ids
}

/** Fetches one source as `model-deck fetch` does; the ids of the snapshots that fetch added. */
async function fetchAdded(ctx: CliContext, source: CatalogSource, io: CliIo): Promise<string[]> {
  const result = await fetchOne(ctx, source)
  if (!result.created) io.note('The catalog is unchanged since the stored snapshot: nothing new to watch.')
  return result.created ? [result.snapshotId] : []
}

function printMatches(io: CliIo, matches: RuleMatch[]): void {
  for (const { rule, events } of matches) {
    const count = events.length === 1 ? '1 change' : `${events.length} changes`
    io.out(`${rule.name} (${rule.id}): ${count}`)
    for (const e of events) io.out(`  ${matchLine(e)}`)
  }
}

export function registerWatch(program: Command, io: CliIo): void {
  const watch = program
    .command('watch')
    .description('Watch rules: fetch, then print what each rule matched; exit status 3 when any matched.')
    .addHelpText(
      'after',
      '\nWithout a command, `watch` is `watch run [--no-fetch] [--json] [--source user|all] [--region R]`.\n' +
        `\n${RULE_HELP}\n\nExit status: 3 when a rule matched, 0 when none did.`,
    )

  watch
    .command('run', { isDefault: true })
    .description('(the default) Fetch, unless --no-fetch, and print what each rule matched in what it added.')
    .option('--no-fetch', 'do not fetch: evaluate the rules against the latest stored snapshot')
    .option('--json', 'print the matches as JSON')
    .addOption(sourceOption())
    .addOption(regionOption())
    .action(
      withContext(io, async (ctx, opts) => {
        const state = await ctx.services.watch.list()
        const enabled = state.rules.filter((r) => r.enabled)
        const chosen = opts.source as CatalogSource | undefined
        let snapshots: string[]
        if (opts.fetch === false) {
          snapshots = await latestSnapshots(ctx, chosen ? [chosen] : CATALOG_SOURCES)
        } else snapshots = await fetchAdded(ctx, await sourceFor(ctx, chosen), io)
        // The fetch has already evaluated them (as every refresh does); this asks for the matches.
        const { matches } = await ctx.services.watch.evaluate(snapshots)
        if (opts.json) {
          const rules = matches.map(({ rule, events }) => ({ rule, events }))
          io.out(JSON.stringify({ snapshots, matches: rules }, null, 2))
        } else printMatches(io, matches)
        if (enabled.length === 0)
          io.note('There are no enabled watch rules; add one with `model-deck watch add`.')
        else if (matches.length === 0) io.note(`No rule matched (${enabled.length} enabled).`)
        else io.note(`${matches.length} of ${enabled.length} enabled rules matched.`)
        if (matches.length > 0) throw new ExitStatus(EXIT_MATCHED)
      }),
    )

  watch
    .command('rules')
    .description('List the watch rules, with what each one means and its unseen matches.')
    .option('--json', 'print the rules as JSON')
    .action(
      withContext(io, async (ctx, opts) => {
        const state = await ctx.services.watch.list()
        if (opts.json) return io.out(JSON.stringify(state, null, 2))
        if (state.rules.length === 0)
          return io.note('There are no watch rules; add one with `model-deck watch add`.')
        const rows = state.rules.map((r) => {
          const check = checkRule(r.expr)
          return [
            r.id,
            r.enabled ? 'on' : 'off',
            String(state.unseen[r.id] ?? 0),
            r.name,
            check.ok ? check.summary : `cannot be read: ${check.message}`,
          ]
        })
        io.out(formatTable(['ID', 'ON', 'UNSEEN', 'NAME', 'MEANING'], rows))
        if (state.quietHours) io.note(`Quiet hours: ${state.quietHours.start} to ${state.quietHours.end}.`)
      }),
    )

  watch
    .command('add')
    .description('Save a watch rule and print its id.')
    .argument('<expr>', 'the rule, e.g. "event:price, model:anthropic/claude-*"')
    .option('--name <name>', 'what to call it (default: the expression)')
    .option('--disabled', 'save it switched off')
    .action(
      withContext(io, async (ctx, opts, [expr]) => {
        const check = checkRule(expr)
        if (!check.ok) throw new UsageError(check.message)
        const input = ruleInputSchema.safeParse({
          name: String(opts.name ?? expr).slice(0, 120),
          expr,
          enabled: !opts.disabled,
        })
        if (!input.success) throw new UsageError(input.error.issues[0]!.message)
        const before = new Set((await ctx.services.watch.list()).rules.map((r) => r.id))
        const state = await ctx.services.watch.save(input.data)
        const added = state.rules.find((r) => !before.has(r.id))!
        io.note(`Saved: ${check.summary}`)
        io.out(added.id)
      }),
    )

  watch
    .command('remove')
    .description('Delete a watch rule.')
    .argument('<id>', 'the rule id, as `model-deck watch rules` lists it')
    .action(
      withContext(io, async (ctx, _opts, [id]) => {
        await ctx.services.watch.remove(id!)
        io.note(`Removed the watch rule ${id}.`)
      }),
    )
}

/** `star` / `unstar` a model for the profile, and `stars` to list them (used by `starred` in rules). */
export function registerStars(program: Command, io: CliIo): void {
  for (const starred of [true, false]) {
    program
      .command(starred ? 'star' : 'unstar')
      .description(starred ? 'Star models (for this profile).' : 'Remove the star of models.')
      .argument('<ids...>', 'model ids, e.g. anthropic/claude-sonnet-4')
      .action(
        withContext(io, async (ctx, _opts, ids) => {
          let list: string[] = []
          for (const id of ids) list = await ctx.services.stars.set(id, starred)
          io.note(`${list.length} starred ${list.length === 1 ? 'model' : 'models'} in ${ctx.profile.name}.`)
        }),
      )
  }
  program
    .command('stars')
    .description('List the starred models of the profile.')
    .option('--json', 'print the list as JSON')
    .action(
      withContext(io, async (ctx, opts) => {
        const ids = await ctx.services.stars.list()
        if (opts.json) io.out(JSON.stringify(ids))
        else if (ids.length > 0) io.out(ids.join('\n'))
        else io.note(`No starred models in ${ctx.profile.name}.`)
      }),
    )
}
