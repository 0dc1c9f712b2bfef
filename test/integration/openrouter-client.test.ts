import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { AppError, type ErrorCode } from '../../src/shared/ipc/result'
import {
  createOpenRouterClient,
  type OpenRouterClientOptions,
} from '../../src/main/services/openrouter/client'
import {
  DEFAULT_USER_EXCLUDED_IDS,
  keyLabel,
  startFakeOpenRouter,
  TEST_KEYS,
  WRONG_KEY,
  type FakeOpenRouter,
  type Fault,
} from '../fake-openrouter/server'

const KEY = TEST_KEYS.personal
let server: FakeOpenRouter

beforeAll(async () => {
  server = await startFakeOpenRouter()
})
afterAll(async () => {
  await server.close()
})
afterEach(async () => {
  server.clearFaults()
  server.resetRequests()
  await server.online()
})

/** A client whose waits are recorded instead of slept, so retry tests run in milliseconds. */
function client(overrides: Partial<OpenRouterClientOptions> = {}) {
  const waits: number[] = []
  const c = createOpenRouterClient({
    baseUrl: server.url,
    getKey: async () => KEY,
    sleep: async (ms) => {
      waits.push(ms)
    },
    ...overrides,
  })
  return Object.assign(c, { waits })
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  return err as AppError
}

function expectNoKey(err: AppError, key: string = KEY): void {
  for (const text of [err.message, String(err), JSON.stringify(err.toShape()), err.stack ?? '']) {
    expect(text).not.toContain(key)
    expect(text).not.toContain(key.slice(14))
  }
}

describe('happy paths against the recorded bodies', () => {
  it('lists the whole catalog without a key, with the attribution headers', async () => {
    const body = await client().listModels()
    expect(body.data).toHaveLength(549)
    expect(body.total_count).toBe(549)
    const [req] = server.requests
    expect(req?.url).toBe('/api/v1/models?output_modalities=all')
    expect(req?.headers.authorization).toBeUndefined()
    expect(req?.headers.accept).toBe('application/json')
    expect(req?.headers['http-referer']).toBe('https://github.com/model-deck/model-deck')
    expect(req?.headers['x-openrouter-title']).toBe('Model Deck')
    expect(req?.headers['x-title']).toBe('Model Deck')
  })

  it('lists the models this key may use, sending the key', async () => {
    const body = await client().listUserModels()
    expect(body.data).toHaveLength(549 - DEFAULT_USER_EXCLUDED_IDS.length)
    const ids = new Set(body.data.map((m) => (m as { id: string }).id))
    for (const id of DEFAULT_USER_EXCLUDED_IDS) expect(ids.has(id)).toBe(false)
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`)
  })

  it('fails with key-missing and sends nothing when /models/user has no key', async () => {
    const err = await failure(client({ getKey: async () => null }).listUserModels())
    expect(err.code).toBe('key-missing')
    expect(server.requests).toHaveLength(0)
  })

  it('propagates a keychain failure from getKey unchanged', async () => {
    const err = await failure(
      client({
        getKey: async () => {
          throw new AppError('keychain-unavailable', 'keyring locked')
        },
      }).listUserModels(),
    )
    expect(err.code).toBe('keychain-unavailable')
  })

  it('counts the models', async () => {
    const body = await client().countModels()
    expect(body.data).toEqual({ count: 549 })
    expect(server.requests[0]?.url).toBe('/api/v1/models/count?output_modalities=all')
  })

  it('lists providers without a key', async () => {
    const body = await client().getProviders()
    expect(body.data.length).toBeGreaterThan(50)
    expect(body.data[0]).toMatchObject({ name: expect.any(String), slug: expect.any(String) })
    expect(server.requests[0]?.headers.authorization).toBeUndefined()
  })

  it('reads key info, with the stored key or one being checked', async () => {
    const stored = await client().getKeyInfo()
    expect(stored.data.label).toBe(keyLabel(KEY))
    const checked = await client({ getKey: async () => null }).getKeyInfo(TEST_KEYS.work)
    expect(checked.data).toMatchObject({ label: 'sk-or-v1-tes...def', limit: 100, limit_remaining: 61.2 })
    expect(server.requests[1]?.headers.authorization).toBe(`Bearer ${TEST_KEYS.work}`)
  })

  it('fetches endpoints by the links.details path, sending the key for live stats', async () => {
    const models = (await client().listModels()).data as { links: { details: string } }[]
    const details = models[0]!.links.details
    server.resetRequests()
    const body = await client().getEndpoints(details)
    const data = body.data as { endpoints: { latency_last_30m: unknown }[] }
    expect(data.endpoints.length).toBeGreaterThan(0)
    expect(data.endpoints[0]?.latency_last_30m).not.toBeNull()
    expect(server.requests[0]?.url).toBe(details)
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`)
  })

  it('fetches endpoints by {author, slug} or short path, without a key when there is none', async () => {
    const anonymous = client({ getKey: async () => null })
    const a = await anonymous.getEndpoints({ author: 'anthropic', slug: 'claude-4.7-opus-fast-20260512' })
    const b = await anonymous.getEndpoints('/models/anthropic/claude-4.7-opus-fast-20260512/endpoints')
    expect(a).toEqual(b)
    expect(
      (a.data as { endpoints: { latency_last_30m: unknown }[] }).endpoints[0]?.latency_last_30m,
    ).toBeNull()
    expect(server.requests.every((r) => r.headers.authorization === undefined)).toBe(true)
  })

  it('follows the path the API hands out for aliases and :free variants', async () => {
    const models = (await client().listModels()).data as { id: string; links: { details: string } }[]
    for (const id of ['~x-ai/grok-latest', 'deepgram/flux-tts:free']) {
      const model = models.find((m) => m.id === id)!
      const body = await client().getEndpoints(model.links.details)
      expect(body.data.id).toBeDefined()
    }
  })

  it('maps an unknown model to not-found', async () => {
    const err = await failure(client().getEndpoints({ author: 'nobody', slug: 'nothing' }))
    expect(err.code).toBe('not-found')
    expect(server.requests).toHaveLength(1)
  })

  it.each([
    '/models/../key/endpoints',
    '/models/a/../endpoints',
    '/models/%2e%2e/x/endpoints',
    '/models/a/b/endpoints?x=1',
    '/models/a/b/c/endpoints',
    '/models/a/b',
    'https://evil.com/api/v1/models/a/b/endpoints',
    '//evil.com/models/a/b/endpoints',
    '/api/v2/models/a/b/endpoints',
    '/models/a\\b/c/endpoints',
    '/models/a b/c/endpoints',
    '/models/.hidden/c/endpoints',
    '',
  ])('refuses the endpoints path %j without a request', async (path) => {
    const err = await failure(client().getEndpoints(path))
    expect(err.code).toBe('invalid-input')
    expect(server.requests).toHaveLength(0)
  })

  it.each([
    { author: '..', slug: 'x' },
    { author: 'a', slug: 'b/../../key' },
    { author: 'a', slug: 'b?c' },
    { author: 'a', slug: '' },
    { author: 'a#', slug: 'b' },
  ])('refuses the endpoints target %j without a request', async (target) => {
    const err = await failure(client().getEndpoints(target))
    expect(err.code).toBe('invalid-input')
    expect(server.requests).toHaveLength(0)
  })

  it('reads the base URL on every request, so a region switch applies at once', async () => {
    let base = 'http://127.0.0.1:1/api/v1'
    const c = client({ baseUrl: () => base, maxRetries: 0 })
    expect((await failure(c.countModels())).code).toBe('offline')
    base = server.url
    expect((await c.countModels()).data).toEqual({ count: 549 })
  })

  it('uses the app info given', async () => {
    await client({ appInfo: { referer: 'https://example.org/deck', title: 'Deck Test' } }).countModels()
    expect(server.requests[0]?.headers['http-referer']).toBe('https://example.org/deck')
    expect(server.requests[0]?.headers['x-openrouter-title']).toBe('Deck Test')
  })
})

describe('error mapping', () => {
  const cases: { fault: Fault; code: ErrorCode; message?: RegExp }[] = [
    { fault: 401, code: 'key-rejected', message: /User not found/ },
    { fault: 402, code: 'payment-required', message: /more credits/ },
    { fault: 403, code: 'forbidden', message: /guardrails.*flagged: violence, harassment/ },
    { fault: 404, code: 'not-found' },
    {
      fault: { type: 'status', status: 429, retryAfter: 600 },
      code: 'rate-limited',
      message: /Rate limit exceeded/,
    },
    { fault: 500, code: 'upstream', message: /HTTP 500/ },
    { fault: 502, code: 'upstream', message: /Provider returned error/ },
    { fault: 503, code: 'upstream', message: /No instances available/ },
    { fault: { type: 'status', status: 500, rawBody: '<html>Bad gateway</html>' }, code: 'upstream' },
    { fault: 'reset', code: 'offline' },
    { fault: 'truncated', code: 'bad-response', message: /cut off/ },
    { fault: 'invalid-json', code: 'bad-response', message: /not valid JSON/ },
    { fault: 'echo-key', code: 'key-rejected' },
  ]

  it.each(cases)('$fault → $code', async ({ fault, code, message }) => {
    server.setFault('/models/user', fault)
    const err = await failure(client().listUserModels())
    expect(err.code).toBe(code)
    if (message) expect(err.message).toMatch(message)
    expect(err.details?.endpoint ?? '/models/user').toBe('/models/user')
    expectNoKey(err)
  })

  it('reports the Retry-After of a long rate limit instead of waiting it out', async () => {
    server.setFault('/models', { type: 'status', status: 429, retryAfter: 120 })
    const c = client()
    const err = await failure(c.listModels())
    expect(err.code).toBe('rate-limited')
    expect(err.details?.retryAfterSeconds).toBe(120)
    expect(c.waits).toEqual([])
    expect(server.requests).toHaveLength(1)
  })

  it('says rate-limited with an unknown wait when retries run out and no Retry-After came', async () => {
    server.setFault('/models', 429)
    const err = await failure(client().listModels())
    expect(err.code).toBe('rate-limited')
    expect(err.details).toHaveProperty('retryAfterSeconds', null)
  })

  it('scrubs a key that the server echoes in its error', async () => {
    server.setFault('/key', 'echo-key')
    const err = await failure(client().getKeyInfo(TEST_KEYS.work))
    expect(err.message).toMatch(/Bearer \[redacted\]/)
    expectNoKey(err, TEST_KEYS.work)
  })

  it('maps a wrong key to key-rejected and never repeats it', async () => {
    const err = await failure(client({ getKey: async () => WRONG_KEY }).listUserModels())
    expect(err.code).toBe('key-rejected')
    expectNoKey(err, WRONG_KEY)
    const missing = await failure(client().getKeyInfo(''))
    expect(missing.code).toBe('key-missing')
  })

  it('refuses a key with characters that cannot go in a header, without echoing it', async () => {
    const bad = 'sk-or-v1-test\nX-Injected: yes'
    const err = await failure(client({ getKey: async () => bad }).listUserModels())
    expect(err.code).toBe('invalid-input')
    expect(err.message).not.toContain('sk-or-v1-test')
    expect(server.requests).toHaveLength(0)
  })

  it('maps no network to offline', async () => {
    await server.offline()
    const c = client()
    const err = await failure(c.listModels())
    expect(err.code).toBe('offline')
    expect(err.details?.cause).toBe('ECONNREFUSED')
    expect(c.waits).toHaveLength(3)
    await server.online()
    expect((await c.listModels()).data).toHaveLength(549)
  })

  it('maps an unresolvable host to offline', async () => {
    const err = await failure(
      client({ baseUrl: 'http://model-deck-test.invalid/api/v1', maxRetries: 0 }).listModels(),
    )
    expect(err.code).toBe('offline')
  })

  it('passes a body with one malformed record through: records are the parser’s job', async () => {
    server.setFault('/models', 'malformed-record')
    const body = await client().listModels()
    expect(body.data).toHaveLength(550)
    expect(body.data.filter((m) => typeof (m as { id?: unknown }).id !== 'string')).toHaveLength(1)
  })

  it.each([
    ['{"models":[]}', /without the expected "data"/],
    ['{"data":{"id":"x"}}', /expected a list/],
    ['[]', /without the expected "data"/],
    ['null', /without the expected "data"/],
    ['', /not valid JSON/],
  ])('rejects the envelope %s as bad-response', async (raw, message) => {
    server.setFault('/models', { type: 'status', status: 200, rawBody: raw })
    const err = await failure(client().listModels())
    expect(err.code).toBe('bad-response')
    expect(err.message).toMatch(message)
  })

  it('requires an object as data for single-object endpoints', async () => {
    server.setFault('/key', { type: 'status', status: 200, rawBody: '{"data":[1,2]}' })
    expect((await failure(client().getKeyInfo())).code).toBe('bad-response')
  })

  it('refuses a body larger than the cap', async () => {
    const err = await failure(client({ maxBodyBytes: 10_000 }).listModels())
    expect(err.code).toBe('bad-response')
    expect(err.message).toMatch(/larger than/)
  })

  it('maps a redirect to bad-response rather than following it with the key', async () => {
    server.setFault('/models/user', { type: 'status', status: 302, rawBody: '' })
    const err = await failure(client().listUserModels())
    expect(err.code).toBe('bad-response')
    expect(server.requests).toHaveLength(1)
  })
})

describe('retries', () => {
  it.each([401, 402, 403, 404, 400])('does not retry HTTP %i', async (status) => {
    server.setFault('/models/user', status)
    const c = client()
    await failure(c.listUserModels())
    expect(server.requestsTo('/models/user')).toHaveLength(1)
    expect(c.waits).toEqual([])
  })

  it.each([408, 429, 500, 502, 503, 524, 529])('retries HTTP %i and then succeeds', async (status) => {
    server.setFault('/models', status, { times: 2 })
    const c = client()
    const body = await c.listModels()
    expect(body.data).toHaveLength(549)
    expect(server.requestsTo('/models')).toHaveLength(3)
    expect(c.waits).toHaveLength(2)
  })

  it('retries a reset connection and a cut-off body', async () => {
    server.setFault('/models', 'reset', { times: 1 })
    server.setFault('/models/count', 'truncated', { times: 1 })
    const c = client()
    expect((await c.listModels()).data).toHaveLength(549)
    expect((await c.countModels()).data).toEqual({ count: 549 })
    expect(server.requestsTo('/models')).toHaveLength(2)
    expect(server.requestsTo('/models/count')).toHaveLength(2)
  })

  it('stops after maxRetries and reports the last error', async () => {
    server.setFault('/models', 503)
    const c = client({ maxRetries: 3 })
    expect((await failure(c.listModels())).code).toBe('upstream')
    expect(server.requestsTo('/models')).toHaveLength(4)
    const none = client({ maxRetries: 0 })
    server.resetRequests()
    await failure(none.listModels())
    expect(server.requestsTo('/models')).toHaveLength(1)
  })

  it('backs off exponentially with jitter', async () => {
    server.setFault('/models', 500)
    const fixed = client({ random: () => 0.5 })
    await failure(fixed.listModels())
    expect(fixed.waits).toEqual([375, 750, 1500])
    const jittered = client({ maxRetries: 5 })
    await failure(jittered.listModels())
    const ceilings = [500, 1000, 2000, 4000, 8000]
    jittered.waits.forEach((w, i) => {
      expect(w).toBeGreaterThanOrEqual(ceilings[i]! / 2)
      expect(w).toBeLessThanOrEqual(ceilings[i]!)
    })
  })

  it('honours Retry-After in seconds', async () => {
    server.setFault('/models', { type: 'status', status: 429, retryAfter: 7 }, { times: 1 })
    server.setFault('/models/count', { type: 'status', status: 503, retryAfter: '2' }, { times: 1 })
    const c = client()
    await c.listModels()
    await c.countModels()
    expect(c.waits).toEqual([7000, 2000])
  })

  it('honours Retry-After as an HTTP date', async () => {
    const when = new Date(Date.now() + 30_000).toUTCString()
    server.setFault('/models', { type: 'status', status: 429, retryAfter: when }, { times: 1 })
    const c = client()
    await c.listModels()
    expect(c.waits).toHaveLength(1)
    expect(c.waits[0]).toBeGreaterThanOrEqual(28_000)
    expect(c.waits[0]).toBeLessThanOrEqual(31_000)
  })

  it('falls back to backoff for a garbage Retry-After', async () => {
    server.setFault('/models', { type: 'status', status: 429, retryAfter: 'soon' }, { times: 1 })
    const c = client({ random: () => 0 })
    await c.listModels()
    expect(c.waits).toEqual([250])
  })

  it('really waits with the default sleep', async () => {
    server.setFault('/models/count', { type: 'status', status: 503, retryAfter: 1 }, { times: 1 })
    const c = createOpenRouterClient({ baseUrl: server.url, getKey: async () => null })
    const started = Date.now()
    await c.countModels()
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
  })
})

describe('timeout and cancellation', () => {
  it('times out a stalled server and does not retry it', async () => {
    server.setFault('/models', { type: 'slow', ms: 2_000 })
    const c = client({ timeoutMs: 150 })
    const started = Date.now()
    const err = await failure(c.listModels())
    expect(err.code).toBe('timeout')
    expect(Date.now() - started).toBeLessThan(1_500)
    expect(server.requestsTo('/models')).toHaveLength(1)
  })

  it('times out a server that never answers', async () => {
    server.setFault('/models', 'hang')
    const err = await failure(client({ timeoutMs: 150 }).listModels())
    expect(err.code).toBe('timeout')
  })

  it('times out a body that stops halfway', async () => {
    server.setFault('/models', 'stall')
    const err = await failure(client({ timeoutMs: 150 }).listModels())
    expect(err.code).toBe('timeout')
  })

  it('cancels when the caller aborts, without retrying', async () => {
    server.setFault('/models', 'hang')
    const controller = new AbortController()
    const c = client()
    const pending = c.listModels({ signal: controller.signal })
    setTimeout(() => controller.abort(), 50)
    const err = await failure(pending)
    expect(err.code).toBe('cancelled')
    await new Promise((r) => setTimeout(r, 50))
    expect(server.requestsTo('/models')).toHaveLength(1)
  })

  it('sends nothing when the signal is already aborted', async () => {
    const err = await failure(client().listModels({ signal: AbortSignal.abort() }))
    expect(err.code).toBe('cancelled')
    expect(server.requests).toHaveLength(0)
  })

  it('cancels during a backoff wait', async () => {
    server.setFault('/models', 503)
    const controller = new AbortController()
    const c = createOpenRouterClient({ baseUrl: server.url, getKey: async () => null })
    const pending = c.listModels({ signal: controller.signal })
    setTimeout(() => controller.abort(), 100)
    const started = Date.now()
    const err = await failure(pending)
    expect(err.code).toBe('cancelled')
    expect(Date.now() - started).toBeLessThan(400)
    await new Promise((r) => setTimeout(r, 600))
    expect(server.requestsTo('/models')).toHaveLength(1)
  })
})

describe('in-flight de-duplication', () => {
  it('shares one HTTP call between identical concurrent requests', async () => {
    server.setFault('/models', { type: 'slow', ms: 100 })
    const c = client()
    const [a, b, d] = await Promise.all([c.listModels(), c.listModels(), c.listModels()])
    expect(server.requestsTo('/models')).toHaveLength(1)
    expect(a.data).toHaveLength(549)
    // Each caller gets its own object: one mutating it must not change what another sees.
    expect(a).not.toBe(b)
    ;(a.data as unknown[]).length = 0
    expect(b.data).toHaveLength(549)
    expect(d.data).toHaveLength(549)
  })

  it('does not share between different keys', async () => {
    server.setFault('/models/user', { type: 'slow', ms: 100 })
    let n = 0
    const c = client({ getKey: async () => (n++ % 2 === 0 ? TEST_KEYS.personal : TEST_KEYS.work) })
    await Promise.all([c.listUserModels(), c.listUserModels()])
    expect(server.requestsTo('/models/user')).toHaveLength(2)
  })

  it('does not share between different URLs', async () => {
    server.setFault('*', { type: 'slow', ms: 50 })
    const c = client()
    await Promise.all([c.listModels(), c.countModels()])
    expect(server.requests).toHaveLength(2)
  })

  it('starts a new call once the previous one settled', async () => {
    const c = client()
    await c.countModels()
    await c.countModels()
    expect(server.requests).toHaveLength(2)
  })

  it('keeps the shared call alive when one of its callers aborts', async () => {
    server.setFault('/models', { type: 'slow', ms: 200 })
    const c = client()
    const quitter = new AbortController()
    const first = c.listModels({ signal: quitter.signal })
    const second = c.listModels()
    setTimeout(() => quitter.abort(), 30)
    expect((await failure(first)).code).toBe('cancelled')
    expect((await second).data).toHaveLength(549)
    expect(server.requestsTo('/models')).toHaveLength(1)
  })

  it('aborts the shared call when every caller has gone, and a later caller starts afresh', async () => {
    server.setFault('/models', 'hang', { times: 1 })
    const c = client()
    const a = new AbortController()
    const b = new AbortController()
    const pa = c.listModels({ signal: a.signal })
    const pb = c.listModels({ signal: b.signal })
    await new Promise((r) => setTimeout(r, 30))
    a.abort()
    b.abort()
    expect((await failure(pa)).code).toBe('cancelled')
    expect((await failure(pb)).code).toBe('cancelled')
    const fresh = await c.listModels()
    expect(fresh.data).toHaveLength(549)
    expect(server.requestsTo('/models')).toHaveLength(2)
  })

  it('gives every sharer the same error', async () => {
    server.setFault('/models/user', 401)
    const c = client()
    const errors = await Promise.all([failure(c.listUserModels()), failure(c.listUserModels())])
    expect(errors.map((e) => e.code)).toEqual(['key-rejected', 'key-rejected'])
    expect(server.requestsTo('/models/user')).toHaveLength(1)
  })
})

describe('fake server behaviour the app relies on', () => {
  it('applies the default text filter on /models like the real API', async () => {
    const res = await fetch(`${server.url}/models`)
    const body = (await res.json()) as { data: unknown[]; total_count: number }
    expect(body.data).toHaveLength(414)
    expect(body.total_count).toBe(414)
  })

  it('answers /models/user without a key with the real 401 body', async () => {
    const res = await fetch(`${server.url}/models/user`)
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ error: { code: 401, message: 'Missing Authentication header' } })
  })

  it('paginates when asked', async () => {
    const res = await fetch(`${server.url}/models?output_modalities=all&offset=500&limit=100`)
    const body = (await res.json()) as { data: unknown[]; links: { next: string | null } }
    expect(body.data).toHaveLength(49)
    expect(body.links.next).toBeNull()
  })

  it('lets tests swap the catalog, the user subset and the keys', async () => {
    const extra = await startFakeOpenRouter({
      models: [{ id: 'a/b', architecture: { output_modalities: ['text'] } }],
    })
    try {
      extra.setUserSubset([])
      const c = createOpenRouterClient({ baseUrl: extra.url, getKey: async () => KEY })
      expect((await c.listModels()).data).toHaveLength(1)
      expect((await c.listUserModels()).data).toHaveLength(0)
      extra.setKeys({})
      expect((await failure(c.listUserModels())).code).toBe('key-rejected')
    } finally {
      await extra.close()
    }
  })
})
