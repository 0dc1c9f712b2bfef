import { ref, type Ref } from 'vue'
import type { AppErrorShape, Result } from '../../../shared/ipc/result'

/**
 * The order of answers for calls that write the same state. Answers can arrive out of order (a
 * re-read that started before a save may land after it): each call takes a ticket, and an answer
 * is applied only if no answer to a newer call was applied before it, so a stale answer never
 * undoes a newer one. Calls that write the same state share one order.
 */
export interface AnswerOrder {
  issued: number
  applied: number
}

export function answerOrder(): AnswerOrder {
  return { issued: 0, applied: 0 }
}

/** A call's answer as a value, also when the transport itself threw (then an `internal` error with its message). */
export async function settle<T>(call: Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await call
  } catch (err) {
    return {
      ok: false,
      error: { code: 'internal', message: err instanceof Error ? err.message : String(err) },
    }
  }
}

export interface IpcCallOptions {
  /** Shared with the other calls that write the same state; a fresh order when not given. */
  order?: AnswerOrder
  /** Shared when several calls show one spinner. */
  busy?: Ref<boolean>
  /** Shared when several calls show one error line. */
  error?: Ref<AppErrorShape | null>
  /**
   * Apply only the answer to the newest call, for screens that show what was asked for at once
   * (a diff's pair, a model's name): an older answer would show under the newer label.
   */
  latestOnly?: boolean
  /** Runs for every failure that is applied (not for stale ones). */
  onError?: (error: AppErrorShape) => void
}

export interface IpcCall<A extends unknown[], T> {
  /** True while the newest call waits for its answer. */
  readonly busy: Ref<boolean>
  /** The failure last applied; cleared when a call starts and by a success. */
  readonly error: Ref<AppErrorShape | null>
  /** The data when this call succeeded and its answer was applied; null when it failed or is stale. */
  run(...args: A): Promise<T | null>
  /** Nothing asked is wanted any more (the user cleared the choice): pending answers are dropped. */
  cancel(): void
}

/**
 * One way for every store to call main: busy flag, error as a value (a thrown error becomes an
 * `internal` one with its message), and the latest answer wins.
 */
export function useIpcCall<A extends unknown[], T>(
  call: (...args: A) => Promise<Result<T>>,
  opts: IpcCallOptions = {},
): IpcCall<A, T> {
  const order = opts.order ?? answerOrder()
  const busy = opts.busy ?? ref(false)
  const error = opts.error ?? ref<AppErrorShape | null>(null)

  async function run(...args: A): Promise<T | null> {
    const ticket = ++order.issued
    busy.value = true
    error.value = null
    const result = await settle(call(...args))
    if (ticket === order.issued) busy.value = false
    if (opts.latestOnly ? ticket !== order.issued : ticket < order.applied) return null
    order.applied = ticket
    if (result.ok) {
      error.value = null
      return result.data
    }
    error.value = result.error
    opts.onError?.(result.error)
    return null
  }

  function cancel(): void {
    // A ticket no call holds: every pending answer is now older than it.
    order.issued++
    order.applied = order.issued
    busy.value = false
    error.value = null
  }

  return { busy, error, run, cancel }
}
