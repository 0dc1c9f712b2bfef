import type { QuietHours } from './types'

const minutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(':')
  return Number(h) * 60 + Number(m)
}

/**
 * Whether `at` (the machine's local time, as the user set the hours) falls in the quiet hours.
 * The end is not included; a range whose end comes before its start runs across midnight
 * (22:00–07:00); start equal to end is an empty range, never "all day".
 */
export function isQuiet(quiet: QuietHours | null, at: Date): boolean {
  if (!quiet) return false
  const start = minutes(quiet.start)
  const end = minutes(quiet.end)
  const now = at.getHours() * 60 + at.getMinutes()
  if (start === end || Number.isNaN(start) || Number.isNaN(end)) return false
  return start < end ? now >= start && now < end : now >= start || now < end
}
