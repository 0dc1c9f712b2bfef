import type { Api } from '../../shared/ipc/bridge'
import type { AppErrorShape, Result } from '../../shared/ipc/result'

/**
 * The only module that reads `window.api`. Stores call it; components never do.
 */
export const api: Api = window.api

/** Unwrap a Result for store code that prefers exceptions; the error keeps its code. */
export class ApiError extends Error {
  readonly code: AppErrorShape['code']
  readonly details: AppErrorShape['details']
  constructor(shape: AppErrorShape) {
    super(shape.message)
    this.code = shape.code
    this.details = shape.details
  }
  toShape(): AppErrorShape {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) }
  }
}

export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  const result = await call
  if (!result.ok) throw new ApiError(result.error)
  return result.data
}

export function asErrorShape(err: unknown): AppErrorShape {
  if (err instanceof ApiError) return err.toShape()
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) }
}
