import { z } from 'zod'

/**
 * What a snapshot's own fields may hold, whoever supplies them: the window (IPC contract), a
 * bundle file being imported, or the command line. One definition, so a value that one door
 * accepts is never refused (or silently lost) by the store behind another.
 */
export const MAX_NOTE_LENGTH = 2_000

export const snapshotNoteSchema = z.string().max(MAX_NOTE_LENGTH)

/**
 * An ISO 8601 date-time whose UTC instant still has a four-digit year: the store names snapshots
 * by that instant, so `9999-12-31T23:00:00-05:00` (year 10000 in UTC) would be written and then
 * not found again on the next start.
 */
export const takenAtSchema = z.iso.datetime({ offset: true }).refine(
  (value) => {
    const year = new Date(value).getUTCFullYear()
    return year >= 0 && year <= 9999
  },
  { message: 'must fall within the years 0000 to 9999 in UTC' },
)
