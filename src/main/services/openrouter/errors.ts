import { AppError, type AppErrorShape } from '../../../shared/ipc/result'
import { isRecord } from '../../../shared/is-record'

type Details = NonNullable<AppErrorShape['details']>

/** Longest upstream message we repeat; the rest of an untrusted body is noise at best. */
const MAX_UPSTREAM_MESSAGE = 300

/**
 * Remove anything that looks like a credential from text that came from the network or from an
 * error object: OpenRouter (or a proxy in between) may echo the Authorization header or the key.
 */
export function scrubSecrets(text: string, secrets: readonly (string | null | undefined)[] = []): string {
  let out = text
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]')
  }
  return out
    .replace(/sk-or-[A-Za-z0-9_-]{6,}/g, 'sk-or-[redacted]')
    .replace(/\bBearer\s+[^\s"',;]+/gi, 'Bearer [redacted]')
}

/**
 * `Retry-After` is either delta-seconds or an HTTP date. Returns whole seconds from `now`,
 * or null when absent or unparseable (a garbage header must not turn into a zero wait).
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed)
  if (/^\d+\.\d+$/.test(trimmed)) return Math.ceil(Number(trimmed))
  // V8's Date.parse reads "-3" or "12" as years; an HTTP date always names a month.
  if (!/[A-Za-z]{3}/.test(trimmed)) return null
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return null
  return Math.max(0, Math.ceil((date - now) / 1000))
}

interface UpstreamError {
  message: string | null
  errorType: string | null
  reasons: string | null
}

/**
 * Pull `{error:{message, metadata}}` out of an error body without trusting its shape. Each text is
 * scrubbed before it is cut to length: cut first, and a key straddling the cut would no longer
 * match whole, so its first characters would be kept.
 */
export function readUpstreamError(
  bodyText: string,
  secrets: readonly (string | null | undefined)[] = [],
): UpstreamError {
  const none: UpstreamError = { message: null, errorType: null, reasons: null }
  let body: unknown
  try {
    body = JSON.parse(bodyText)
  } catch {
    return none
  }
  if (!isRecord(body) || !isRecord(body.error)) return none
  const { message, metadata } = body.error
  const meta = isRecord(metadata) ? metadata : {}
  const reasons = Array.isArray(meta.reasons) ? meta.reasons.filter((r) => typeof r === 'string') : []
  const safe = (text: string, max?: number) => clip(scrubSecrets(text, secrets), max)
  return {
    message: typeof message === 'string' && message.trim() ? safe(message.trim()) : null,
    errorType: typeof meta.error_type === 'string' ? safe(meta.error_type, 60) : null,
    reasons: reasons.length ? safe(reasons.join(', '), 120) : null,
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: 'OpenRouter rejected the request as malformed',
  401: 'OpenRouter rejected the API key',
  402: 'The OpenRouter account or key is out of credits',
  403: 'OpenRouter refused the request (permission, guardrail or moderation)',
  404: 'OpenRouter has no such resource',
  408: 'OpenRouter timed out handling the request',
  429: 'OpenRouter is rate-limiting requests',
}

/** Map a non-2xx response to the AppError the UI acts on. */
export function errorFromStatus(
  status: number,
  bodyText: string,
  opts: { retryAfterSeconds: number | null; secrets: readonly (string | null | undefined)[] },
): AppError {
  const upstream = readUpstreamError(bodyText, opts.secrets)
  const base =
    STATUS_TEXT[status] ?? (status >= 500 ? 'OpenRouter is having trouble' : 'OpenRouter refused the request')
  let message = `${base} (HTTP ${status})`
  if (upstream.message) message += `: ${upstream.message}`
  if (upstream.reasons) message += ` [flagged: ${upstream.reasons}]`
  message = scrubSecrets(message, opts.secrets)

  const details: Details = { status }
  if (upstream.errorType) details.errorType = scrubSecrets(upstream.errorType, opts.secrets)
  if (opts.retryAfterSeconds !== null) details.retryAfterSeconds = opts.retryAfterSeconds

  const code =
    status === 401
      ? 'key-rejected'
      : status === 402
        ? 'payment-required'
        : status === 403
          ? 'forbidden'
          : status === 404
            ? 'not-found'
            : status === 429
              ? 'rate-limited'
              : status === 408
                ? 'timeout'
                : status >= 500
                  ? 'upstream'
                  : 'bad-response'
  return new AppError(code, message, details)
}

const OFFLINE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
])

/** The system error code buried in undici's `TypeError: fetch failed` cause chain, if any. */
function networkErrorCode(err: unknown): string | null {
  let current: unknown = err
  for (let depth = 0; depth < 5 && isRecord(current); depth++) {
    if (typeof current.code === 'string' && OFFLINE_CODES.has(current.code)) return current.code
    current = current.cause
  }
  return null
}

export function offlineError(err: unknown): AppError {
  const code = networkErrorCode(err)
  return new AppError(
    'offline',
    'Could not reach OpenRouter. Check the network connection, VPN or proxy, then try again.',
    code ? { cause: code } : undefined,
  )
}

export function timeoutError(timeoutMs: number): AppError {
  return new AppError('timeout', `OpenRouter did not answer within ${Math.round(timeoutMs / 1000)} s.`, {
    timeoutMs,
  })
}

export function cancelledError(): AppError {
  return new AppError('cancelled', 'The request was cancelled.')
}

function clip(text: string, max = MAX_UPSTREAM_MESSAGE): string {
  // Control characters from an untrusted body have no business in a UI message.
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, ' ')
  return clean.length > max ? `${clean.slice(0, max)}…` : clean
}
