import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'

/**
 * A fake OpenRouter on loopback that serves the real recorded bodies from test/fixtures and can
 * misbehave on demand, so the client, the key service and the app are tested against real HTTP.
 */

/** Beside this file normally; from the repo root when the server was bundled somewhere else. */
const FIXTURES = ((): string => {
  const here = fileURLToPath(new URL('../fixtures/openrouter/', import.meta.url))
  return existsSync(here) ? here : join(process.cwd(), 'test/fixtures/openrouter/')
})()
const API_PREFIX = '/api/v1'

type Json = Record<string, unknown>

export interface RecordedRequest {
  method: string
  /** Path below /api/v1, without the query, e.g. `/models/user`. */
  path: string
  /** Full request target as sent, e.g. `/api/v1/models?output_modalities=all`. */
  url: string
  query: Record<string, string>
  headers: IncomingHttpHeaders
  at: number
  /** Which fault, if any, answered this request. */
  fault?: string
}

export interface FakeKeyInfo {
  label?: string
  limit?: number | null
  limit_remaining?: number | null
  limit_reset?: string | null
  usage?: number
  usage_daily?: number
  usage_weekly?: number
  usage_monthly?: number
  is_free_tier?: boolean
  [extra: string]: unknown
}

/**
 * reset: connection destroyed before any response. truncated: half the body, then the connection dies.
 * stall: half the body, then nothing. hang: no response at all. echo-key: a 401 that repeats the
 * Authorization header, as some proxies do.
 */
export type FaultName =
  'reset' | 'truncated' | 'stall' | 'invalid-json' | 'malformed-record' | 'hang' | 'echo-key'

export type FaultSpec =
  | {
      type: 'status'
      status: number
      /** Sent as the Retry-After header verbatim (seconds or an HTTP date). */
      retryAfter?: string | number
      message?: string
      metadata?: Json
      /** Replace the JSON error body entirely, e.g. with an HTML error page. */
      rawBody?: string
    }
  /** Answer normally, but only after `ms`; longer than a client timeout simulates a stalled server. */
  | { type: 'slow'; ms: number }
  | { type: FaultName }

/** A status number is shorthand for `{type:'status', status}` with OpenRouter's usual error body. */
export type Fault = number | FaultName | FaultSpec

export interface FaultOptions {
  /** Answer this many matching requests with the fault, then behave again. Default: until cleared. */
  times?: number
}

export interface FakeOpenRouterOptions {
  port?: number
  host?: string
  models?: unknown[]
  keys?: Record<string, FakeKeyInfo>
  userSubset?: readonly string[] | ((model: Json) => boolean)
}

export interface FakeOpenRouter {
  /** Base URL to give the client, like `http://127.0.0.1:PORT/api/v1`. */
  readonly url: string
  readonly port: number
  readonly requests: RecordedRequest[]
  /** Requests whose path matches (same pattern rules as faults). */
  requestsTo(pattern: string | RegExp): RecordedRequest[]
  resetRequests(): void
  setFault(pattern: string | RegExp, fault: Fault, opts?: FaultOptions): void
  clearFaults(): void
  setModels(all: unknown[]): void
  /** Ids (or a predicate) of the models `/models/user` returns for a valid key. */
  setUserSubset(subset: readonly string[] | ((model: Json) => boolean)): void
  setKeys(keys: Record<string, FakeKeyInfo>): void
  /** Stop listening and drop every connection: clients get ECONNREFUSED, as with no network. */
  offline(): Promise<void>
  online(): Promise<void>
  close(): Promise<void>
}

/** Fake keys only: the fake server accepts these, OpenRouter would not. */
export const TEST_KEYS = Object.freeze({
  personal: 'sk-or-v1-test-personal-0123456789abcdef0123456789abcdef0123456789abc',
  work: 'sk-or-v1-test-workorg-fedcba9876543210fedcba9876543210fedcba98765def',
  freeTier: 'sk-or-v1-test-freetier-00112233445566778899aabbccddeeff0011223344f00',
})
export const WRONG_KEY = 'sk-or-v1-test-wrong-99999999999999999999999999999999999999999999999'

export function keyLabel(key: string): string {
  return `${key.slice(0, 12)}...${key.slice(-3)}`
}

export function defaultKeys(): Record<string, FakeKeyInfo> {
  return {
    [TEST_KEYS.personal]: { usage: 12.5, usage_daily: 0.25, usage_weekly: 1.5, usage_monthly: 4.75 },
    [TEST_KEYS.work]: {
      limit: 100,
      limit_remaining: 61.2,
      limit_reset: 'monthly',
      usage: 38.8,
      usage_daily: 1.1,
      usage_weekly: 9.4,
      usage_monthly: 38.8,
    },
    [TEST_KEYS.freeTier]: { is_free_tier: true },
  }
}

interface Fixtures {
  modelsAll: Json[]
  endpointsByPath: Map<string, Json>
  providers: Json[]
  /** Provider name most often serving each author, to synthesise plausible endpoints. */
  providerByAuthor: Map<string, { name: string; tag: string }>
}

let fixtures: Fixtures | undefined

function loadGz(name: string): unknown {
  return JSON.parse(gunzipSync(readFileSync(`${FIXTURES}${name}`)).toString('utf8'))
}

function loadFixtures(): Fixtures {
  if (fixtures) return fixtures
  const modelsAll = (loadGz('models-all-2026-08-19.json.gz') as { data: Json[] }).data
  const recorded = (
    loadGz('endpoints-2026-05-16.json.gz') as { data: { detailsPath: string; response: Json }[] }
  ).data
  const endpointsByPath = new Map<string, Json>()
  const providerSlugs = new Map<string, string>()
  const authorCounts = new Map<string, Map<string, { name: string; tag: string; n: number }>>()
  for (const row of recorded) {
    endpointsByPath.set(row.detailsPath.replace(API_PREFIX, ''), row.response)
    const data = row.response.data as { id: string; endpoints: { provider_name: string; tag: string }[] }
    const author = data.id.split('/')[0] ?? ''
    for (const ep of data.endpoints) {
      const slug = ep.tag.split('/')[0] ?? ep.tag
      if (!providerSlugs.has(ep.provider_name)) providerSlugs.set(ep.provider_name, slug)
      const counts = authorCounts.get(author) ?? new Map()
      const entry = counts.get(ep.provider_name) ?? { name: ep.provider_name, tag: slug, n: 0 }
      entry.n++
      counts.set(ep.provider_name, entry)
      authorCounts.set(author, counts)
    }
  }
  const providerByAuthor = new Map<string, { name: string; tag: string }>()
  for (const [author, counts] of authorCounts) {
    const best = [...counts.values()].sort((a, b) => b.n - a.n)[0]
    if (best) providerByAuthor.set(author, { name: best.name, tag: best.tag })
  }
  const providers = [...providerSlugs]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, slug]) => ({
      name,
      slug,
      privacy_policy_url: null,
      terms_of_service_url: null,
      status_page_url: null,
      headquarters: null,
      datacenters: null,
    }))
  fixtures = { modelsAll, endpointsByPath, providers, providerByAuthor }
  return fixtures
}

/** The recorded Aug-2026 `output_modalities=all` catalog (549 models), deep-copied. */
export function recordedModels(): Json[] {
  return structuredClone(loadFixtures().modelsAll)
}

/**
 * Models `/models/user` leaves out by default, standing in for a key's provider, privacy and
 * guardrail settings: every 15th recorded model, a fixed list of 37.
 */
export const DEFAULT_USER_EXCLUDED_IDS: readonly string[] = Object.freeze(
  loadFixtures()
    .modelsAll.filter((_, i) => i % 15 === 7)
    .map((m) => m.id as string),
)

function globToRegExp(pattern: string): RegExp {
  if (pattern === '*') return /^.*$/
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')
  return new RegExp(`^${escaped}$`)
}

function matcher(pattern: string | RegExp): (path: string) => boolean {
  const re = typeof pattern === 'string' ? globToRegExp(pattern) : pattern
  return (path) => re.test(path)
}

function normaliseFault(fault: Fault): FaultSpec {
  if (typeof fault === 'number') return { type: 'status', status: fault }
  if (typeof fault === 'string') return { type: fault }
  return fault
}

function faultLabel(spec: FaultSpec): string {
  if (spec.type === 'status') return String(spec.status)
  if (spec.type === 'slow') return `slow:${spec.ms}`
  return spec.type
}

const ERROR_MESSAGES: Record<number, { message: string; metadata?: Json }> = {
  400: { message: 'Bad Request' },
  401: { message: 'User not found.' },
  402: {
    message:
      'This request requires more credits, or fewer max_tokens. You can only afford 0. To increase, visit https://openrouter.ai/settings/credits and add more credits',
  },
  403: {
    message: 'Your request was flagged by our guardrails: the input violates the content policy',
    metadata: {
      reasons: ['violence', 'harassment'],
      flagged_input: 'Tell me how to…',
      provider_name: 'OpenAI',
      model_slug: 'openai/gpt-4o',
      error_type: 'permission_denied',
    },
  },
  404: { message: 'Not Found' },
  408: { message: 'Request timed out' },
  429: {
    message: 'Rate limit exceeded: free-models-per-min. ',
    metadata: { error_type: 'rate_limit_exceeded' },
  },
  500: { message: 'Internal Server Error' },
  502: { message: 'Provider returned error', metadata: { error_type: 'server' } },
  503: { message: 'No instances available', metadata: { error_type: 'server' } },
}

function paginate(
  all: Json[],
  query: Record<string, string>,
  path: string,
): { data: Json[]; total_count: number; links: { next: string | null } } {
  if (query.offset === undefined && query.limit === undefined) {
    return { data: all, total_count: all.length, links: { next: null } }
  }
  const offset = Math.max(0, Number(query.offset ?? 0) || 0)
  const limit = Math.min(1000, Math.max(1, Number(query.limit ?? 500) || 500))
  const next =
    offset + limit < all.length ? `${API_PREFIX}${path}?offset=${offset + limit}&limit=${limit}` : null
  return { data: all.slice(offset, offset + limit), total_count: all.length, links: { next } }
}

function outputFilter(query: Record<string, string>): (m: Json) => boolean {
  const wanted = (query.output_modalities ?? 'text').split(',').map((s) => s.trim())
  if (wanted.includes('all')) return () => true
  return (m) => {
    const arch = m.architecture as { output_modalities?: unknown } | undefined
    const outs = Array.isArray(arch?.output_modalities) ? (arch.output_modalities as string[]) : []
    return outs.some((o) => wanted.includes(o))
  }
}

function synthesiseEndpoints(model: Json, fx: Fixtures): Json {
  const arch = (model.architecture ?? {}) as Json
  const id = String(model.id)
  const canonical = String(model.canonical_slug ?? id)
  const author = id.replace(/^~/, '').split('/')[0] ?? ''
  const provider = fx.providerByAuthor.get(author) ?? {
    name: author.charAt(0).toUpperCase() + author.slice(1),
    tag: author,
  }
  const top = (model.top_provider ?? {}) as Json
  const isRouter = arch.tokenizer === 'Router'
  return {
    data: {
      id,
      name: model.name,
      created: model.created,
      description: model.description ?? '',
      architecture: {
        tokenizer: arch.tokenizer ?? null,
        instruct_type: arch.instruct_type ?? null,
        modality: arch.modality ?? null,
        input_modalities: arch.input_modalities ?? ['text'],
        output_modalities: arch.output_modalities ?? ['text'],
      },
      // Router and alias models have no endpoints of their own (as in the recorded data).
      endpoints: isRouter
        ? []
        : [
            {
              name: `${provider.name} | ${canonical}`,
              model_id: id,
              model_name: model.name,
              context_length: model.context_length ?? 0,
              pricing: { ...(model.pricing as Json), discount: 0 },
              provider_name: provider.name,
              tag: provider.tag,
              quantization: 'unknown',
              max_completion_tokens: top.max_completion_tokens ?? null,
              max_prompt_tokens: null,
              supported_parameters: model.supported_parameters ?? [],
              status: 0,
              uptime_last_30m: 99.5,
              uptime_last_5m: null,
              uptime_last_1d: 99.8,
              supports_implicit_caching: false,
              latency_last_30m: null,
              throughput_last_30m: null,
            },
          ],
    },
  }
}

/** With a key OpenRouter fills the live stats; deterministic numbers keep tests stable. */
function withLiveStats(body: Json): Json {
  const copy = structuredClone(body)
  const data = copy.data as { endpoints?: Json[] }
  data.endpoints?.forEach((ep, i) => {
    ep.latency_last_30m = { p50: 400 + i * 10, p75: 600 + i * 10, p90: 900 + i * 10, p99: 1500 + i * 10 }
    ep.throughput_last_30m = { p50: 60 - i, p75: 50 - i, p90: 40 - i, p99: 20 - i }
  })
  return copy
}

export async function startFakeOpenRouter(opts: FakeOpenRouterOptions = {}): Promise<FakeOpenRouter> {
  const fx = loadFixtures()
  const host = opts.host ?? '127.0.0.1'
  let models: Json[] = (opts.models as Json[] | undefined) ?? structuredClone(fx.modelsAll)
  let keys: Record<string, FakeKeyInfo> = opts.keys ?? defaultKeys()
  let userFilter: (m: Json) => boolean = () => true
  const requests: RecordedRequest[] = []
  let faults: { match: (path: string) => boolean; spec: FaultSpec; remaining: number }[] = []
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  const bodyCache = new Map<string, string>()

  const setUserSubset = (subset: readonly string[] | ((model: Json) => boolean)): void => {
    if (typeof subset === 'function') {
      userFilter = subset
    } else {
      const ids = new Set(subset)
      userFilter = (m) => ids.has(m.id as string)
    }
    bodyCache.clear()
  }
  if (opts.userSubset) {
    setUserSubset(opts.userSubset)
  } else {
    const excluded = new Set(DEFAULT_USER_EXCLUDED_IDS)
    userFilter = (m) => !excluded.has(m.id as string)
  }

  const cached = (key: string, make: () => unknown): string => {
    let text = bodyCache.get(key)
    if (text === undefined) {
      text = JSON.stringify(make())
      bodyCache.set(key, text)
    }
    return text
  }

  const bearer = (req: IncomingMessage): string | null => {
    const header = req.headers.authorization
    if (!header) return null
    const match = /^Bearer\s+(.+)$/i.exec(header)
    return match?.[1]?.trim() ?? ''
  }

  const keyInfoBody = (key: string, info: FakeKeyInfo): Json => ({
    data: {
      label: keyLabel(key),
      limit: null,
      limit_remaining: null,
      limit_reset: null,
      include_byok_in_limit: false,
      usage: 0,
      usage_daily: 0,
      usage_weekly: 0,
      usage_monthly: 0,
      byok_usage: 0,
      byok_usage_daily: 0,
      byok_usage_weekly: 0,
      byok_usage_monthly: 0,
      is_free_tier: false,
      is_management_key: false,
      is_provisioning_key: false,
      creator_user_id: 'user_test_fake',
      rate_limit: { requests: -1, interval: '10s', note: 'This field is deprecated and safe to ignore.' },
      expires_at: null,
      ...info,
    },
  })

  type Answer = { status: number; body: string; headers?: Record<string, string> }
  const json = (status: number, body: unknown): Answer => ({
    status,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  const errorBody = (status: number, message: string, metadata?: Json): Answer =>
    json(status, { error: metadata ? { code: status, message, metadata } : { code: status, message } })

  /** The normal, fault-free answer for a request. */
  function route(req: IncomingMessage, path: string, query: Record<string, string>): Answer {
    if (req.method !== 'GET') return errorBody(405, 'Method Not Allowed')
    const key = bearer(req)
    const authed = (): Answer | string => {
      if (key === null) return errorBody(401, 'Missing Authentication header')
      if (!key || !Object.hasOwn(keys, key)) return errorBody(401, 'User not found.')
      return key
    }

    if (path === '/models') {
      const filterKey = query.output_modalities ?? 'text'
      return json(
        200,
        cached(`models:${filterKey}:${query.offset}:${query.limit}`, () =>
          paginate(models.filter(outputFilter(query)), query, path),
        ),
      )
    }
    if (path === '/models/count') {
      return json(200, { data: { count: models.filter(outputFilter(query)).length } })
    }
    if (path === '/models/user') {
      const who = authed()
      if (typeof who !== 'string') return who
      return json(
        200,
        cached(`user:${query.offset}:${query.limit}`, () => paginate(models.filter(userFilter), query, path)),
      )
    }
    if (path === '/key') {
      const who = authed()
      if (typeof who !== 'string') return who
      return json(200, keyInfoBody(who, keys[who] ?? {}))
    }
    if (path === '/providers') {
      return json(200, { data: fx.providers })
    }
    const endpoints = /^\/models\/([^/]+)\/([^/]+)\/endpoints$/.exec(path)
    if (endpoints) {
      // An unknown or wrong key does not fail this public endpoint; it just gets no live stats.
      const live = key !== null && !!key && Object.hasOwn(keys, key)
      const slug = `${endpoints[1]}/${endpoints[2]}`
      let body = fx.endpointsByPath.get(path)
      if (!body) {
        const model = models.find((m) => m.canonical_slug === slug || m.id === slug)
        if (model) {
          const details = (model.links as { details?: string } | undefined)?.details?.replace(API_PREFIX, '')
          body = (details && fx.endpointsByPath.get(details)) || synthesiseEndpoints(model, fx)
        }
      }
      if (!body) return errorBody(404, `Model ${slug} not found`)
      return json(200, live ? withLiveStats(body) : body)
    }
    return errorBody(404, 'Not Found')
  }

  function takeFault(path: string): FaultSpec | null {
    const hit = faults.find((f) => f.remaining > 0 && f.match(path))
    if (!hit) return null
    hit.remaining--
    faults = faults.filter((f) => f.remaining > 0)
    return hit.spec
  }

  function send(res: ServerResponse, answer: Answer): void {
    res.writeHead(answer.status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(answer.body),
      ...answer.headers,
    })
    res.end(answer.body)
  }

  function later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer)
      fn()
    }, ms)
    timers.add(timer)
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const target = new URL(req.url ?? '/', 'http://fake.invalid')
    const query = Object.fromEntries(target.searchParams)
    const path = target.pathname.startsWith(`${API_PREFIX}/`) ? target.pathname.slice(API_PREFIX.length) : ''
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: path || target.pathname,
      url: req.url ?? '/',
      query,
      headers: req.headers,
      at: Date.now(),
    }
    requests.push(record)
    if (!path) return send(res, errorBody(404, 'Not Found'))

    const fault = takeFault(path)
    if (fault) record.fault = faultLabel(fault)
    if (!fault) return send(res, route(req, path, query))

    switch (fault.type) {
      case 'status': {
        const preset = ERROR_MESSAGES[fault.status] ?? { message: `HTTP ${fault.status}` }
        const headers: Record<string, string> = {}
        if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter)
        if (fault.status === 429) {
          headers['X-RateLimit-Limit'] = '20'
          headers['X-RateLimit-Remaining'] = '0'
          headers['X-RateLimit-Reset'] = String(Date.now() + 60_000)
        }
        if (fault.rawBody !== undefined) {
          return send(res, { status: fault.status, body: fault.rawBody, headers: { ...headers } })
        }
        const answer = errorBody(
          fault.status,
          fault.message ?? preset.message,
          fault.metadata ?? preset.metadata,
        )
        return send(res, { ...answer, headers })
      }
      case 'slow':
        return later(fault.ms, () => {
          if (!res.destroyed) send(res, route(req, path, query))
        })
      case 'hang':
        return
      case 'reset':
        req.socket.destroy()
        return
      case 'truncated': {
        const answer = route(req, path, query)
        const bytes = Buffer.from(answer.body)
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': bytes.length })
        res.write(bytes.subarray(0, Math.floor(bytes.length / 2)))
        // Let the half body reach the client before the connection dies.
        return later(20, () => req.socket.destroy())
      }
      case 'stall': {
        const bytes = Buffer.from(route(req, path, query).body)
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': bytes.length })
        res.write(bytes.subarray(0, Math.floor(bytes.length / 2)))
        return
      }
      case 'invalid-json':
        return send(res, { status: 200, body: '{"data":[{"id":"openai/gpt-4o","name":"GPT-4o",}' })
      case 'malformed-record': {
        const answer = route(req, path, query)
        const body = JSON.parse(answer.body) as Json
        const broken = { name: 'Broken: no id', created: 'yesterday', pricing: 'free', context_length: -5 }
        if (Array.isArray(body.data)) body.data.splice(1, 0, broken)
        else if (body.data && typeof body.data === 'object') {
          const endpointsList = (body.data as Json).endpoints
          if (Array.isArray(endpointsList)) endpointsList.splice(0, 0, broken)
        }
        return send(res, json(answer.status, body))
      }
      case 'echo-key': {
        // Some proxies echo the credential back; the client must scrub it.
        const header = req.headers.authorization ?? '(none)'
        return send(
          res,
          errorBody(401, `Invalid credentials: ${header} (key ${bearer(req) ?? 'none'}) at ${req.url}`, {
            echoed_header: header,
          }),
        )
      }
    }
  }

  const server = createServer(handle)
  server.keepAliveTimeout = 5_000
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => {
        server.off('error', reject)
        const address = server.address()
        resolve(typeof address === 'object' && address ? address.port : port)
      })
    })
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server.listening) return resolve()
      server.close(() => resolve())
      for (const socket of sockets) socket.destroy()
    })

  const port = await listen(opts.port ?? 0)
  const hostPart = host.includes(':') ? `[${host}]` : host

  return {
    url: `http://${hostPart}:${port}${API_PREFIX}`,
    port,
    requests,
    requestsTo: (pattern) => {
      const match = matcher(pattern)
      return requests.filter((r) => match(r.path))
    },
    resetRequests: () => {
      requests.length = 0
    },
    setFault: (pattern, fault, faultOpts = {}) => {
      faults.push({
        match: matcher(pattern),
        spec: normaliseFault(fault),
        remaining: faultOpts.times ?? Number.POSITIVE_INFINITY,
      })
    },
    clearFaults: () => {
      faults = []
    },
    setModels: (all) => {
      models = all as Json[]
      bodyCache.clear()
    },
    setUserSubset,
    setKeys: (next) => {
      keys = next
    },
    offline: stop,
    online: async () => {
      if (!server.listening) await listen(port)
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      await stop()
    },
  }
}
