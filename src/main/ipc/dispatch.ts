import { z } from 'zod'
import { contract, type ParsedInput, type Output } from '../../shared/ipc/contract'
import type { Channel } from '../../shared/ipc/channels'
import { AppError, type Result } from '../../shared/ipc/result'
import { log, redact } from '../log'

export type Handlers = {
  [C in Channel]: (input: ParsedInput<C>) => Promise<Output<C>> | Output<C>
}

const MAX_ISSUES = 5

/**
 * Validate and run one call. Shared by the Electron wrapper and the browser test harness, so both
 * run the same checks: unknown channel, schema, then the handler; every failure becomes a value.
 */
export async function dispatch(
  channel: string,
  payload: unknown,
  handlers: Handlers,
): Promise<Result<unknown>> {
  if (!Object.hasOwn(contract, channel)) {
    return {
      ok: false,
      error: { code: 'invalid-input', message: `Unknown channel "${channel.slice(0, 80)}".` },
    }
  }
  const name = channel as Channel
  let parsed: ReturnType<(typeof contract)[Channel]['input']['safeParse']>
  try {
    parsed = contract[name].input.safeParse(payload)
  } catch {
    // A payload nested deeper than the stack (recursive schemas) throws instead of failing.
    return {
      ok: false,
      error: { code: 'invalid-input', message: `Invalid request to ${name}: nested too deeply.` },
    }
  }
  if (!parsed.success) {
    return { ok: false, error: { code: 'invalid-input', message: describeIssues(name, parsed.error) } }
  }
  try {
    const handler = handlers[name] as (input: unknown) => unknown
    const data = await handler(parsed.data)
    return { ok: true, data }
  } catch (err) {
    if (err instanceof AppError) {
      const shape = err.toShape()
      return { ok: false, error: { ...shape, message: redact(shape.message) } }
    }
    log.error(`IPC ${name} failed:`, err)
    return {
      ok: false,
      error: { code: 'internal', message: 'Something went wrong in Model Deck. Details are in the log.' },
    }
  }
}

/** Paths and reasons only: a rejected value is never echoed, since it might be the API key. */
function describeIssues(channel: Channel, error: z.ZodError): string {
  const issues = error.issues.slice(0, MAX_ISSUES).map((issue) => {
    const path = issue.path.length ? issue.path.map(String).join('.') : 'input'
    return `${path}: ${issue.code === 'unrecognized_keys' ? 'unknown field' : issue.code.replace(/_/g, ' ')}`
  })
  return `Invalid request to ${channel}: ${issues.join('; ')}.`
}
