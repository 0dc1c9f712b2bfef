import { createHash } from 'node:crypto'
import { AppError } from '../../../shared/ipc/result'
import {
  cancelledError,
  errorFromStatus,
  offlineError,
  parseRetryAfter,
  scrubSecrets,
  timeoutError,
} from './errors'
import { isRecord } from '../../../shared/is-record'

export interface AppInfo {
  referer: string
  title: string
}

const DEFAULT_APP_INFO: Readonly<AppInfo> = Object.freeze({
  referer: 'https://github.com/model-deck/model-deck',
  title: 'Model Deck',
})

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>

export interface OpenRouterClientOptions {
  /** A function so a region switch applies to the next request without rebuilding the client. */
  baseUrl: string | (() => string)
  fetch?: typeof fetch
  getKey: () => Promise<string | null>
  /** Per attempt, covering headers and body. undici's own defaults are 300 s. */
  timeoutMs?: number
  maxRetries?: number
  sleep?: Sleep
  appInfo?: AppInfo
  /** A Retry-After beyond this is reported as rate-limited instead of being waited out. */
  maxRetryAfterSeconds?: number
  /** A catalog body is 1-2 MB; anything far larger is not OpenRouter talking. */
  maxBodyBytes?: number
  random?: () => number
  /** Told after each attempt whether OpenRouter answered at all (see network-state.ts). */
  onReachability?: (reached: boolean) => void
}

export interface RequestOptions {
  signal?: AbortSignal
}

/** The parsed body after only its envelope was checked; records are left to the parser. */
export type ListEnvelope = { data: unknown[] } & Record<string, unknown>
export type ObjectEnvelope = { data: Record<string, unknown> } & Record<string, unknown>

export type EndpointsTarget = string | { author: string; slug: string }

export interface OpenRouterClient {
  /** GET /models/user: the models this key may use after provider, privacy and guardrail settings. */
  listUserModels(opts?: RequestOptions): Promise<ListEnvelope>
  /** GET /models?output_modalities=all: the whole public catalog (the default leaves out non-text models). */
  listModels(opts?: RequestOptions): Promise<ListEnvelope>
  countModels(opts?: RequestOptions): Promise<ObjectEnvelope>
  /** Sends the key when there is one: only then does OpenRouter fill latency and throughput. */
  getEndpoints(target: EndpointsTarget, opts?: RequestOptions): Promise<ObjectEnvelope>
  getProviders(opts?: RequestOptions): Promise<ListEnvelope>
  /** GET /key. With `keyOverride`, checks a key that is not stored yet. */
  getKeyInfo(keyOverride?: string, opts?: RequestOptions): Promise<ObjectEnvelope>
}

type Auth = 'none' | 'optional' | 'required'
type Envelope = 'list' | 'object'

interface Shared {
  promise: Promise<string>
  controller: AbortController
  subscribers: number
  settled: boolean
}

const RETRYABLE = (status: number): boolean => status === 408 || status === 429 || status >= 500
const BACKOFF_BASE_MS = 500
const BACKOFF_MAX_MS = 10_000
const MAX_ERROR_BODY_BYTES = 64 * 1024

/** Characters a header value can carry; a key outside this set would make fetch echo it in a TypeError. */
const KEY_CHARS = /^[\x21-\x7e]+$/

const SEGMENT = /^[A-Za-z0-9~_][A-Za-z0-9._~:-]{0,199}$/

/**
 * `links.details` comes from the API and `{author, slug}` may come from the renderer: both are
 * untrusted, so each segment must be a plain slug (no `..`, `%`, `/`, `?`, `#`).
 */
export function endpointsPath(target: EndpointsTarget): string {
  let author: string | undefined
  let slug: string | undefined
  if (typeof target === 'string') {
    const match = /^(?:\/api\/v1)?\/models\/([^/]+)\/([^/]+)\/endpoints$/.exec(target)
    author = match?.[1]
    slug = match?.[2]
  } else if (typeof target === 'object' && target !== null) {
    author = target.author
    slug = target.slug
  }
  if (
    typeof author !== 'string' ||
    typeof slug !== 'string' ||
    !SEGMENT.test(author) ||
    !SEGMENT.test(slug)
  ) {
    throw new AppError(
      'invalid-input',
      'Not a model endpoints path: expected /models/{author}/{slug}/endpoints with plain slug segments.',
    )
  }
  return `/models/${author}/${slug}/endpoints`
}

const defaultSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(cancelledError())
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(cancelledError())
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })

export function createOpenRouterClient(options: OpenRouterClientOptions): OpenRouterClient {
  const doFetch = options.fetch ?? globalThis.fetch
  const timeoutMs = options.timeoutMs ?? 20_000
  const maxRetries = Math.max(0, options.maxRetries ?? 3)
  const sleep = options.sleep ?? defaultSleep
  const appInfo = options.appInfo ?? DEFAULT_APP_INFO
  const maxRetryAfter = options.maxRetryAfterSeconds ?? 60
  const maxBodyBytes = options.maxBodyBytes ?? 32 * 1024 * 1024
  const random = options.random ?? Math.random
  const inflight = new Map<string, Shared>()

  const base = (): string => {
    const value = typeof options.baseUrl === 'function' ? options.baseUrl() : options.baseUrl
    return value.replace(/\/+$/, '')
  }

  async function resolveKey(auth: Auth, override: string | undefined): Promise<string | null> {
    if (auth === 'none') return null
    let key: string | null
    if (override !== undefined) {
      key = override
    } else {
      try {
        key = await options.getKey()
      } catch (err) {
        if (err instanceof AppError) throw err
        throw new AppError('internal', 'Could not read the API key.')
      }
    }
    if (!key) {
      if (auth === 'required') {
        throw new AppError(
          'key-missing',
          'No OpenRouter API key is set for this profile. Add one in Settings.',
        )
      }
      return null
    }
    if (!KEY_CHARS.test(key)) {
      throw new AppError('invalid-input', 'The API key contains spaces or characters that cannot be sent.')
    }
    return key
  }

  function headersFor(key: string | null): Record<string, string> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'HTTP-Referer': appInfo.referer,
      'X-OpenRouter-Title': appInfo.title,
      'X-Title': appInfo.title,
    }
    if (key) headers.Authorization = `Bearer ${key}`
    return headers
  }

  /** One HTTP exchange with retries; resolves to the body text of a 2xx response. */
  async function execute(
    url: string,
    path: string,
    key: string | null,
    signal: AbortSignal,
  ): Promise<string> {
    const secrets = [key]
    let lastError: AppError | null = null
    let nextWait: number | null = null
    for (let attempt = 0; attempt <= maxRetries; attempt++) {
      if (attempt > 0) {
        await sleep(nextWait ?? backoff(attempt - 1), signal)
        if (signal.aborted) throw cancelledError()
        nextWait = null
      }
      const attemptSignal = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
      const aborted = (): AppError | null =>
        signal.aborted ? cancelledError() : attemptSignal.aborted ? timeoutError(timeoutMs) : null

      let res: Response
      try {
        res = await doFetch(url, { headers: headersFor(key), signal: attemptSignal, redirect: 'manual' })
      } catch (err) {
        if (!signal.aborted) options.onReachability?.(false)
        const stop = aborted()
        if (stop) throw stop
        lastError = offlineError(err)
        continue
      }
      options.onReachability?.(true)

      if (res.status >= 200 && res.status < 300) {
        try {
          return await readText(res, maxBodyBytes)
        } catch (err) {
          if (err instanceof AppError) throw err
          const stop = aborted()
          if (stop) throw stop
          // The connection died mid-body: a transport failure, worth another attempt.
          lastError = new AppError(
            'bad-response',
            'OpenRouter\u2019s response was cut off before it was complete.',
            { endpoint: path },
          )
          continue
        }
      }

      if (res.status >= 300 && res.status < 400) {
        await res.body?.cancel().catch(() => undefined)
        throw new AppError(
          'bad-response',
          `OpenRouter answered with an unexpected redirect (HTTP ${res.status}).`,
          {
            status: res.status,
            endpoint: path,
          },
        )
      }

      let errorBody = ''
      try {
        errorBody = await readText(res, MAX_ERROR_BODY_BYTES)
      } catch {
        const stop = aborted()
        if (stop) throw stop
      }
      const retryAfter = parseRetryAfter(res.headers.get('retry-after'))
      const error = errorFromStatus(res.status, errorBody, { retryAfterSeconds: retryAfter, secrets })
      error.details!.endpoint = path
      if (res.status === 429 && retryAfter === null) error.details!.retryAfterSeconds = null
      if (!RETRYABLE(res.status)) throw error
      // Waiting minutes inside a UI refresh is worse than telling the user when to come back.
      if (retryAfter !== null && retryAfter > maxRetryAfter) throw error
      lastError = error
      nextWait = retryAfter !== null ? retryAfter * 1000 : null
    }
    throw lastError ?? new AppError('internal', 'The request failed without an error.')
  }

  function backoff(retryIndex: number): number {
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** retryIndex)
    return Math.round(ceiling * (0.5 + random() / 2))
  }

  /**
   * Identical concurrent requests share one HTTP call. The shared call has its own controller,
   * aborted only when every caller has gone: one caller cancelling must not fail the others.
   */
  function shared(
    url: string,
    path: string,
    key: string | null,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const identity = key ? createHash('sha256').update(key).digest('hex').slice(0, 16) : 'anonymous'
    const dedupeKey = `GET ${url} ${identity}`
    let entry = inflight.get(dedupeKey)
    if (!entry) {
      const controller = new AbortController()
      const created: Shared = {
        controller,
        subscribers: 0,
        settled: false,
        promise: execute(url, path, key, controller.signal),
      }
      const done = (): void => {
        created.settled = true
        if (inflight.get(dedupeKey) === created) inflight.delete(dedupeKey)
      }
      created.promise.then(done, done)
      inflight.set(dedupeKey, created)
      entry = created
    }
    const joined = entry
    joined.subscribers++
    return new Promise<string>((resolve, reject) => {
      let finished = false
      const onAbort = (): void => {
        if (finished) return
        finished = true
        leave()
        reject(cancelledError())
      }
      const leave = (): void => {
        joined.subscribers--
        if (joined.subscribers === 0 && !joined.settled) {
          joined.controller.abort()
          if (inflight.get(dedupeKey) === joined) inflight.delete(dedupeKey)
        }
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      joined.promise.then(
        (text) => {
          if (finished) return
          finished = true
          signal?.removeEventListener('abort', onAbort)
          joined.subscribers--
          resolve(text)
        },
        (err: unknown) => {
          if (finished) return
          finished = true
          signal?.removeEventListener('abort', onAbort)
          joined.subscribers--
          reject(err)
        },
      )
    })
  }

  async function request<E extends Envelope>(
    path: string,
    auth: Auth,
    envelope: E,
    opts: RequestOptions | undefined,
    keyOverride?: string,
  ): Promise<E extends 'list' ? ListEnvelope : ObjectEnvelope> {
    if (opts?.signal?.aborted) throw cancelledError()
    const key = await resolveKey(auth, keyOverride)
    if (opts?.signal?.aborted) throw cancelledError()
    const text = await shared(`${base()}${path}`, path.split('?')[0]!, key, opts?.signal)
    return parseEnvelope(text, envelope, path.split('?')[0]!, key) as E extends 'list'
      ? ListEnvelope
      : ObjectEnvelope
  }

  return {
    listUserModels: (opts) => request('/models/user', 'required', 'list', opts),
    listModels: (opts) => request('/models?output_modalities=all', 'none', 'list', opts),
    countModels: (opts) => request('/models/count?output_modalities=all', 'none', 'object', opts),
    getEndpoints: async (target, opts) => request(endpointsPath(target), 'optional', 'object', opts),
    getProviders: (opts) => request('/providers', 'none', 'list', opts),
    getKeyInfo: async (keyOverride, opts) => {
      if (keyOverride !== undefined && !keyOverride) {
        throw new AppError('key-missing', 'No API key was given to check.')
      }
      return request('/key', 'required', 'object', opts, keyOverride)
    },
  }
}

function parseEnvelope(
  text: string,
  kind: Envelope,
  path: string,
  key: string | null,
): ListEnvelope | ObjectEnvelope {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new AppError('bad-response', 'OpenRouter sent a response that is not valid JSON.', {
      endpoint: path,
    })
  }
  if (!isRecord(body) || !Object.hasOwn(body, 'data')) {
    throw new AppError('bad-response', 'OpenRouter sent a response without the expected "data" field.', {
      endpoint: path,
    })
  }
  const ok = kind === 'list' ? Array.isArray(body.data) : isRecord(body.data)
  if (!ok) {
    throw new AppError(
      'bad-response',
      scrubSecrets(
        `OpenRouter sent "data" as ${describe(body.data)}, expected ${kind === 'list' ? 'a list' : 'an object'}.`,
        [key],
      ),
      { endpoint: path },
    )
  }
  return body as ListEnvelope | ObjectEnvelope
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  return `a ${typeof value}`
}

async function readText(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined)
    throw new AppError('bad-response', `OpenRouter's response is larger than ${maxBytes} bytes.`)
  }
  if (!res.body) return ''
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined)
      throw new AppError('bad-response', `OpenRouter's response is larger than ${maxBytes} bytes.`)
    }
    chunks.push(value)
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks))
  } catch {
    throw new AppError('bad-response', 'OpenRouter sent a response that is not valid UTF-8 text.')
  }
}
