import { CommanderError } from 'commander'
import { AppError } from '../shared/ipc/result'
import { FilterExprError } from '../shared/export/filter-expr'

/** Exit statuses: scripts tell "you called it wrong" (2) from "it could not be done" (1). */
export const EXIT_OK = 0
const EXIT_FAILED = 1
const EXIT_USAGE = 2
/** `model-deck watch`: a rule matched (for cron and scripts); the matches are already printed. */
export const EXIT_MATCHED = 3

/** Ends a command that did its work with a status other than 0, and nothing more to say. */
export class ExitStatus extends Error {
  constructor(readonly status: number) {
    super(`exit ${status}`)
    this.name = 'ExitStatus'
  }
}

/** The command line itself is wrong: a bad argument, an unknown column or filter term. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** One line for stderr and the exit status; never a stack trace, which users cannot act on. */
export function describeFailure(err: unknown): { line: string | null; status: number } {
  if (err instanceof CommanderError) {
    // Commander has already printed its message (or the help text the user asked for).
    const done =
      err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0
    return { line: null, status: done ? EXIT_OK : EXIT_USAGE }
  }
  if (err instanceof ExitStatus) return { line: null, status: err.status }
  if (err instanceof UsageError || err instanceof FilterExprError) {
    return { line: `model-deck: ${oneLine(err.message)} (see --help)`, status: EXIT_USAGE }
  }
  if (err instanceof AppError)
    return { line: `model-deck: ${err.code}: ${oneLine(err.message)}`, status: EXIT_FAILED }
  const message = err instanceof Error ? err.message : String(err)
  return { line: `model-deck: internal: ${oneLine(message)}`, status: EXIT_FAILED }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim()
}
