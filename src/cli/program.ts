import { Command } from 'commander'
import { registerChanges } from './commands/changes'
import { registerDiff } from './commands/diff'
import { registerExport } from './commands/export'
import { registerFetch } from './commands/fetch'
import { registerKey } from './commands/key'
import { registerSnapshot } from './commands/snapshot'
import { registerStars, registerWatch } from './commands/watch'
import { defaultDataDir } from './data-dir'
import type { CliIo } from './io'
import { VERSION } from './version'

/** Every command, on the desktop app's own services and data folder. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('model-deck')
  // Throw instead of exiting, so main() owns the exit status (2 for usage errors) and closes the store.
  program
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => write(`model-deck: ${text.replace(/^error: /, '').trimEnd()}\n`),
    })
    .description('The OpenRouter model catalog from the command line: fetch, snapshots, diffs and exports.')
    .version(VERSION, '-V, --version')
    .option('--data-dir <dir>', `the app's data folder (default: ${defaultDataDir()})`)
    .option('--profile <profile>', "a profile's id or name (default: the app's active profile)")
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      '\nEnvironment: MODEL_DECK_API_BASE points every command at another OpenRouter-compatible server.\n' +
        'Exit status: 0 on success, 1 when the work failed, 2 when the command line was wrong,\n' +
        '3 when `watch` found a rule that matched.',
    )
  registerFetch(program, io)
  registerSnapshot(program, io)
  registerDiff(program, io)
  registerChanges(program, io)
  registerWatch(program, io)
  registerStars(program, io)
  registerExport(program, io)
  registerKey(program, io)
  return program
}
