import type { Command } from 'commander'
import type { KeyStatus } from '../../main/services/profile-keys'
import type { CliContext } from '../context'
import { UsageError } from '../errors'
import type { CliIo } from '../io'
import { readSecret } from '../read-secret'
import { withContext } from '../with-context'

const STORAGE = {
  keychain: 'stored in the system keychain',
  session: 'held for this session only',
  none: 'none',
} as const

/** What may be shown about a key: its masked label from OpenRouter, never the key itself. */
function statusLines(ctx: CliContext, status: KeyStatus): string {
  const rows: string[][] = [
    ['Profile', `${ctx.profile.name} (${ctx.profile.id})`],
    ['Key', status.present ? STORAGE[status.storage] : 'none; set one with: model-deck key set < key.txt'],
  ]
  if (status.present) {
    if (status.info?.label) rows.push(['Label', status.info.label])
    rows.push(['Verified', status.verified ? 'yes' : 'no'])
    if (status.info?.limit_remaining !== null && status.info?.limit_remaining !== undefined)
      rows.push(['Credit left', `$${status.info.limit_remaining}`])
  }
  if (status.error) rows.push(['Problem', `${status.error.code}: ${status.error.message}`])
  return rows.map(([label, value]) => `${label!.padEnd(12)}${value}`).join('\n')
}

function statusJson(ctx: CliContext, status: KeyStatus): string {
  return JSON.stringify(
    {
      profileId: ctx.profile.id,
      profileName: ctx.profile.name,
      present: status.present,
      storage: status.storage,
      verified: status.verified,
      label: status.info?.label ?? null,
      error: status.error ?? null,
    },
    null,
    2,
  )
}

export function registerKey(program: Command, io: CliIo): void {
  const key = program
    .command('key')
    .description("Manage the profile's OpenRouter API key in the system keychain (shared with the app).")

  key
    .command('status')
    .description(
      'Show whether a key is stored, and check it with OpenRouter (the key itself is never shown).',
    )
    .option('--json', 'print the status as JSON')
    .action(
      withContext(io, async (ctx, opts) => {
        io.progress('Checking the key with OpenRouter…')
        const status = await ctx.keys.verify(ctx.profile.id)
        io.done()
        io.out(opts.json ? statusJson(ctx, status) : statusLines(ctx, status))
      }),
    )

  key
    .command('set')
    .description(
      'Store a key read from stdin (pipe it in, or paste it at the prompt), after OpenRouter accepts it.',
    )
    .argument('[key]', 'refused: a key on the command line ends up in shell history')
    .option('--allow-unverified', 'store the key even when OpenRouter cannot be reached to check it')
    .action(
      withContext(io, async (ctx, opts, args) => {
        if (args.length > 0) {
          throw new UsageError(
            'the key is read from stdin, never from the command line (where shell history keeps it)',
          )
        }
        const secret = await readSecret('OpenRouter API key (input hidden): ')
        if (!secret) throw new UsageError('no key on stdin; pipe it in, e.g. model-deck key set < key.txt')
        io.progress('Checking the key with OpenRouter…')
        const status = await ctx.keys.set(ctx.profile.id, secret, {
          allowUnverified: Boolean(opts.allowUnverified),
        })
        io.done()
        const label = status.info?.label ? ` (${status.info.label})` : ''
        const unverified = status.verified ? '' : '; not verified yet'
        io.note(`Key saved for profile ${ctx.profile.name}${label}${unverified}.`)
      }),
    )

  key
    .command('orphans')
    .description(
      'List keychain entries of "Model Deck" that no profile of this data folder names (left by a lost profiles file, or used by another --data-dir); --remove deletes them.',
    )
    .argument('[account...]', 'with --remove: only these entries (default: every one listed)')
    .option('--remove', 'delete the entries from the system keychain')
    .action(
      withContext(io, async (ctx, opts, accounts) => {
        if (accounts.length > 0 && !opts.remove)
          throw new UsageError('naming entries only makes sense with --remove')
        const orphans = await ctx.keys.orphanedKeys()
        const unknown = accounts.filter((a) => !orphans.includes(a))
        if (unknown.length > 0)
          throw new UsageError(
            `${unknown.map((a) => `"${a}"`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not an orphaned entry; see model-deck key orphans`,
          )
        if (!opts.remove) {
          if (orphans.length === 0) {
            io.note('Every keychain entry of "Model Deck" belongs to a profile of this data folder.')
            return
          }
          io.out(orphans.join('\n'))
          io.note(
            `${orphans.length} keychain ${orphans.length === 1 ? 'entry is' : 'entries are'} named by no profile in ${ctx.dataDir}. ` +
              'An entry may still be used by another data folder (--data-dir); remove with: model-deck key orphans --remove [account...]',
          )
          return
        }
        const removed = await ctx.keys.removeOrphanedKeys(accounts.length > 0 ? accounts : orphans)
        if (removed.length > 0) io.out(removed.join('\n'))
        io.note(`Removed ${removed.length} keychain ${removed.length === 1 ? 'entry' : 'entries'}.`)
      }),
    )

  key
    .command('clear')
    .description("Remove the profile's key from the system keychain.")
    .action(
      withContext(io, async (ctx) => {
        await ctx.keys.clear(ctx.profile.id)
        io.note(`Key removed from profile ${ctx.profile.name}.`)
      }),
    )
}
