import { describeChange } from '../changes/describe'
import type { ChangeEvent } from '../changes/types'

/** Events named in a notification's body; the rest are counted. */
const SHOWN = 3

/** One line per event, as the CLI prints it: `anthropic/claude-sonnet-4  prompt $3 → $3.30 / 1M tokens`. */
export function matchLine(e: ChangeEvent): string {
  return `${e.modelId}  ${describeChange(e)}`
}

/** The desktop notification for one rule that matched: its name, and what changed. */
export function notificationText(
  ruleName: string,
  events: readonly ChangeEvent[],
): { title: string; body: string } {
  const shown = events.slice(0, SHOWN).map((e) => `${e.name || e.modelId}: ${describeChange(e)}`)
  const more = events.length - shown.length
  if (more > 0) shown.push(`and ${more} more`)
  const count = events.length === 1 ? '1 change' : `${events.length} changes`
  return { title: `${ruleName} (${count})`, body: shown.join('\n') }
}
