import type { ErrorCode } from './result'

/**
 * Error codes that mean the same thing to whoever reacts to them, grouped once so main and the
 * renderer cannot drift apart.
 */

/** "We could not reach OpenRouter", as opposed to OpenRouter saying no. */
const OFFLINE_ERROR_CODES: readonly ErrorCode[] = ['offline', 'timeout']

/** Failures that say nothing about the key itself: it may be stored unchecked if the user agrees. */
const UNVERIFIABLE_ERROR_CODES: readonly ErrorCode[] = ['offline', 'timeout', 'upstream', 'rate-limited']

/** The data folder cannot be written (or read back): what is on disk stays browsable. */
const STORAGE_ERROR_CODES: readonly ErrorCode[] = [
  'disk-full',
  'permission-denied',
  'store-read-only',
  'corrupt',
]

const within =
  (codes: readonly ErrorCode[]) =>
  (code: string): boolean =>
    (codes as readonly string[]).includes(code)

export const isOfflineError = within(OFFLINE_ERROR_CODES)
export const isUnverifiableError = within(UNVERIFIABLE_ERROR_CODES)
export const isStorageError = within(STORAGE_ERROR_CODES)
