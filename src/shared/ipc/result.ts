/**
 * Every IPC call resolves to a Result: errors the UI must act on are values, never thrown
 * (an Error thrown across IPC arrives as a bare message and loses its code).
 */
export type ErrorCode =
  // transport and validation
  | 'invalid-input'
  | 'forbidden-sender'
  | 'internal'
  // OpenRouter and network
  | 'offline'
  | 'timeout'
  | 'cancelled'
  | 'key-missing'
  | 'key-rejected'
  | 'payment-required'
  | 'forbidden'
  | 'not-found'
  | 'rate-limited'
  | 'upstream'
  | 'bad-response'
  // keychain
  | 'keychain-unavailable'
  // storage
  | 'disk-full'
  | 'permission-denied'
  | 'corrupt'
  | 'store-read-only'
  | 'bad-file'

export interface AppErrorShape {
  code: ErrorCode
  message: string
  /** Extra facts the UI may show, e.g. `retryAfterSeconds` for rate-limited. Never secrets. */
  details?: Record<string, string | number | boolean | null>
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: AppErrorShape }

/** Thrown inside main and the CLI; converted to a Result value at the IPC boundary. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly details?: AppErrorShape['details']
  constructor(code: ErrorCode, message: string, details?: AppErrorShape['details']) {
    super(message)
    this.name = 'AppError'
    this.code = code
    if (details) this.details = details
  }
  toShape(): AppErrorShape {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message }
  }
}
