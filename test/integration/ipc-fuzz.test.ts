import { beforeEach, describe, expect, it, vi } from 'vitest'
import fc from 'fast-check'
import type { z } from 'zod'
import type { Channel } from '../../src/shared/ipc/channels'
import type { Input } from '../../src/shared/ipc/contract'
import type { Handlers } from '../../src/main/ipc/dispatch'

/**
 * Property tests of the IPC boundary: whatever a compromised renderer sends, main answers with a
 * value, no service sees a payload the contract did not accept, and nothing reaches Object.prototype.
 * First through `dispatch` (shared by Electron and the harness), then through the real registerIpc
 * with forged sender events. Electron's ipcMain is the one thing mocked.
 */

vi.mock('electron', () => import('../helpers/electron-mock'))
const { registered } = await import('../helpers/electron-mock')

const { dispatch } = await import('../../src/main/ipc/dispatch')
const { registerIpc, createSenderCheck } = await import('../../src/main/ipc/register-ipc')
const { channels } = await import('../../src/shared/ipc/channels')
const { contract } = await import('../../src/shared/ipc/contract')

const SECRET = 'sk-or-v1-test-fuzz-0123456789abcdef'
const RUNS = 150

/** One payload per channel that the contract accepts: the control that proves the oracle can say yes. */
const VALID: { [C in Channel]: Input<C> } = {
  'app:get-info': {},
  'settings:get': {},
  'settings:update': { patch: { theme: 'dark', ui: { catalog: { columns: ['name', 'prompt'] } } } },
  'profiles:list': {},
  'profiles:create': { name: 'Work' },
  'profiles:rename': { id: 'p1', name: 'Home' },
  'profiles:remove': { id: 'p1' },
  'profiles:switch': { id: 'p1' },
  'key:status': { refresh: true },
  'key:set': { key: SECRET, allowUnverified: false },
  'key:clear': {},
  'key:test-connection': {},
  'key:list-orphans': {},
  'key:remove-orphans': { accounts: ['p-0123abcd'] },
  'catalog:get': { snapshotId: 's1' },
  'catalog:refresh': { sources: ['user', 'all'] },
  'catalog:cancel': {},
  'catalog:endpoints': { snapshotId: 's1', modelId: 'openai/gpt-4o' },
  'catalog:get-records': { snapshotId: 's1', modelIds: ['openai/gpt-4o'] },
  'snapshots:list': {},
  'snapshots:open': { ref: 'latest' },
  'snapshots:diff': { a: 'latest~1', b: 'latest' },
  'snapshots:update': { id: 's1', note: 'before the price change', pinned: true },
  'snapshots:remove': { id: 's1' },
  'snapshots:prune': {},
  'snapshots:history': { modelId: 'anthropic/claude-sonnet-4', source: 'all' },
  'snapshots:import': { source: 'all', takenAt: '2026-08-19T10:00:00Z' },
  'snapshots:export-bundle': { id: 's1' },
  'export:save': { what: 'catalog', format: 'csv', snapshotId: 's1', modelIds: ['openai/gpt-4o'] },
  'changes:list': { since: '2026-08-01', kinds: ['price', 'added'], model: 'anthropic/claude-*', limit: 100 },
  'changes:archive': { source: 'all', search: 'claude' },
  'changes:export': { query: { source: 'user', author: 'openai' }, format: 'xlsx' },
  'stars:list': {},
  'stars:set': { modelId: 'anthropic/claude-sonnet-4', starred: true },
  'watch:list': {},
  'watch:save': {
    rule: { name: 'Claude prices', expr: 'event:price, model:anthropic/claude-*', enabled: true },
  },
  'watch:remove': { id: 'r-1' },
  'watch:check': { expr: 'starred, event:allowed-left' },
  'watch:set-quiet-hours': { quietHours: { start: '22:00', end: '07:00' } },
  'watch:mark-seen': { ruleId: 'r-1' },
  'shell:open-external': { url: 'https://openrouter.ai/models' },
}

// ---------- payload generators ----------

const anything = fc.anything({
  maxDepth: 4,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
})
const hugeString = fc
  .tuple(fc.constantFrom('x', '\u{1F600}', '\u0000', '../', SECRET), fc.integer({ min: 5_000, max: 300_000 }))
  .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)))
/** Values that are right for some field somewhere, so mixed payloads are sometimes almost valid. */
const plausible = fc.constantFrom<unknown>(
  'latest',
  'all',
  'user',
  'csv',
  'catalog',
  'p1',
  'openai/gpt-4o',
  'https://openrouter.ai/models',
  '2026-08-19T10:00:00Z',
  SECRET,
  ['user'],
  [],
  {},
  true,
  0,
  -1,
)
const leaf = fc.oneof(
  plausible,
  anything,
  fc.string(),
  hugeString.map((s) => s.slice(0, 20_000)),
)

function shapeKeys(channel: Channel): string[] {
  const schema = contract[channel].input as unknown as { shape?: Record<string, z.ZodType> }
  return Object.keys(schema.shape ?? {})
}

/** JSON text is the only way to get an own `__proto__` key, as JSON.parse in main would produce it. */
function withProtoKey(base: Record<string, unknown>, key: string, inner: unknown): unknown {
  const rest = JSON.stringify(base).slice(1, -1)
  return JSON.parse(`{"${key}":${JSON.stringify(inner) ?? 'null'}${rest ? `,${rest}` : ''}}`)
}

function payloadFor(channel: Channel): fc.Arbitrary<unknown> {
  const keys = shapeKeys(channel)
  const valid = VALID[channel] as Record<string, unknown>
  const fieldKeys = keys.length > 0 ? fc.constantFrom(...keys) : fc.constant('extra')
  return fc.oneof(
    anything,
    fc.jsonValue(),
    hugeString,
    // The channel's own fields with any values, some missing, sometimes with an extra one.
    fc.dictionary(fc.oneof(fieldKeys, fc.constantFrom('extra', 'constructor', 'toString', 'valueOf')), leaf, {
      maxKeys: keys.length + 2,
    }),
    // A valid payload with one field replaced.
    fc.tuple(fieldKeys, leaf).map(([k, v]) => ({ ...valid, [k]: v })),
    // A valid payload carrying prototype keys, at the top and one level down.
    fc
      .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.jsonValue(), fc.boolean())
      .map(([key, inner, nested]) => {
        const polluting = { polluted: true, isAdmin: true, inner }
        if (!nested || keys.length === 0) return withProtoKey(valid, key, polluting)
        const [first] = keys
        const child = valid[first!]
        const base = typeof child === 'object' && child !== null && !Array.isArray(child) ? child : {}
        return { ...valid, [first!]: withProtoKey(base as Record<string, unknown>, key, polluting) }
      }),
  )
}

// ---------- the oracle ----------

function spyHandlers() {
  const calls: { channel: string; input: unknown }[] = []
  const handlers = Object.fromEntries(
    channels.map((c) => [
      c,
      (input: unknown) => {
        calls.push({ channel: c, input })
        return { handled: c }
      },
    ]),
  ) as unknown as Handlers
  return { calls, handlers }
}

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype]
const protoShape = () => PROTOTYPES.map((p) => Reflect.ownKeys(p).map(String).sort().join(','))
const cleanShape = protoShape()

function expectNoPollution(): void {
  expect(protoShape()).toEqual(cleanShape)
  const probe = {} as Record<string, unknown>
  expect(probe.polluted).toBeUndefined()
  expect(probe.isAdmin).toBeUndefined()
}

type Outcome = { ok: boolean; data?: unknown; error?: { code: string; message: string } }

/** What the contract says must happen to `payload` on `channel`, checked against what did. */
function expectContractOutcome(
  channel: Channel,
  payload: unknown,
  outcome: Outcome,
  calls: { channel: string; input: unknown }[],
): void {
  const verdict = contract[channel].input.safeParse(payload)
  if (verdict.success) {
    expect(calls).toHaveLength(1)
    expect(calls[0]!.channel).toBe(channel)
    expect(contract[channel].input.safeParse(calls[0]!.input).success).toBe(true)
    expect(calls[0]!.input).toEqual(verdict.data)
    expect(outcome).toEqual({ ok: true, data: { handled: channel } })
  } else {
    expect(calls).toEqual([])
    expect(outcome.ok).toBe(false)
    expect(outcome.error?.code).toBe('invalid-input')
    expect(typeof outcome.error?.message).toBe('string')
    // A rejected value is never echoed: it might be the API key.
    expect(outcome.error!.message).not.toContain(SECRET)
  }
  expectNoPollution()
}

function nested(depth: number, array: boolean): unknown {
  let value: unknown = 'bottom'
  for (let i = 0; i < depth; i++) value = array ? [value] : { a: value }
  return value
}

// ---------- through dispatch ----------

describe('dispatch under fuzzed payloads', () => {
  it('accepts the valid control payload of every channel (so the properties below can tell)', async () => {
    for (const channel of channels) {
      const spy = spyHandlers()
      const outcome = (await dispatch(channel, VALID[channel], spy.handlers)) as Outcome
      expect(outcome, channel).toEqual({ ok: true, data: { handled: channel } })
      expect(spy.calls).toHaveLength(1)
    }
  })

  it.each([...channels])(
    '%s: answers every payload with a value; only accepted input reaches the service',
    async (channel) => {
      let accepted = 0
      let rejected = 0
      await fc.assert(
        fc.asyncProperty(payloadFor(channel), async (payload) => {
          const spy = spyHandlers()
          const outcome = (await dispatch(channel, payload, spy.handlers)) as Outcome
          expectContractOutcome(channel, payload, outcome, spy.calls)
          if (outcome.ok) accepted++
          else rejected++
        }),
        { numRuns: RUNS },
      )
      expect(rejected).toBeGreaterThan(RUNS / 4)
      expect(accepted + rejected).toBeGreaterThanOrEqual(RUNS)
    },
  )

  it.each([...channels])(
    '%s: a payload nested deeper than the call stack is an invalid-input value',
    async (channel) => {
      // Every channel that takes free-form JSON (settings:update's ui) is where recursion can go deep.
      const valid = VALID[channel] as Record<string, unknown>
      const deepPayloads = [10, 1_000, 5_000, 50_000].flatMap((depth) => [
        nested(depth, false),
        nested(depth, true),
        { ...valid, extra: nested(depth, false) },
        { patch: { ui: { deep: nested(depth, depth % 2 === 0) } } },
      ])
      for (const payload of deepPayloads) {
        const spy = spyHandlers()
        const outcome = (await dispatch(channel, payload, spy.handlers)) as Outcome
        expect(outcome).toEqual(expect.objectContaining({ ok: expect.any(Boolean) }))
        if (!outcome.ok) {
          expect(outcome.error?.code).toBe('invalid-input')
          expect(spy.calls).toEqual([])
        } else {
          expect(spy.calls).toHaveLength(1)
        }
        expectNoPollution()
      }
    },
  )

  it('refuses unknown channels, including the names of Object.prototype, without calling anything', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.constantFrom(
            '__proto__',
            'constructor',
            'toString',
            'hasOwnProperty',
            'valueOf',
            'settings:get ',
            'SETTINGS:GET',
          ),
        ),
        anything,
        async (name, payload) => {
          fc.pre(!(channels as readonly string[]).includes(name))
          const spy = spyHandlers()
          const outcome = (await dispatch(name, payload, spy.handlers)) as Outcome
          expect(outcome.ok).toBe(false)
          expect(outcome.error?.code).toBe('invalid-input')
          expect(spy.calls).toEqual([])
          expectNoPollution()
        },
      ),
      { numRuns: 300 },
    )
  })
})

// ---------- through the real registerIpc ----------

const OWN_ID = 7
const OWN_URL = 'app://model-deck/index.html'

interface ForgedEvent {
  sender: { id: number; mainFrame: { url: string } }
  senderFrame: { url: string } | null
}

function ownEvent(): ForgedEvent {
  const mainFrame = { url: OWN_URL }
  return { sender: { id: OWN_ID, mainFrame }, senderFrame: mainFrame }
}

/** The rule, stated independently of the code: our window's main frame, at app://model-deck. */
function shouldTrust(event: ForgedEvent): boolean {
  if (!event.senderFrame || event.senderFrame !== event.sender.mainFrame || event.sender.id !== OWN_ID)
    return false
  try {
    const url = new URL(event.senderFrame.url)
    return url.protocol === 'app:' && url.host === 'model-deck'
  } catch {
    return false
  }
}

const frameUrl = fc.oneof(
  fc.constantFrom(
    OWN_URL,
    'app://model-deck/',
    'app://model-deck.evil/index.html',
    'app://model-deck@evil/index.html',
    'app://evil/?model-deck',
    'app://model-deck:443/index.html',
    'app:model-deck/index.html',
    'app:///model-deck/index.html',
    'file:///etc/passwd',
    'https://openrouter.ai/',
    'http://127.0.0.1:5173/',
    'about:blank',
    'devtools://devtools/bundled/index.html',
    '',
  ),
  fc.webUrl(),
  fc.string(),
)
const forgedEvent: fc.Arbitrary<ForgedEvent> = fc
  .record({
    url: frameUrl,
    frame: fc.constantFrom('main', 'sub', 'null'),
    id: fc.oneof(fc.constant(OWN_ID), fc.integer({ min: -1, max: 100 })),
  })
  .map(({ url, frame, id }) => {
    const mainFrame = { url }
    const senderFrame = frame === 'null' ? null : frame === 'sub' ? { url } : mainFrame
    return { sender: { id, mainFrame }, senderFrame }
  })

describe('registerIpc under forged events and fuzzed payloads', () => {
  let spy: ReturnType<typeof spyHandlers>
  beforeEach(() => {
    registered.clear()
    spy = spyHandlers()
    registerIpc(
      spy.handlers,
      createSenderCheck({ webContentsId: () => OWN_ID, allowedOrigins: ['app://model-deck'] }),
    )
  })

  it('registers a handler for every channel of the contract and no other', () => {
    expect([...registered.keys()].sort()).toEqual([...channels].sort())
  })

  it.each([...channels])('%s: our own window gets exactly what the contract says', async (channel) => {
    await fc.assert(
      fc.asyncProperty(payloadFor(channel), async (payload) => {
        spy.calls.length = 0
        const outcome = (await registered.get(channel)!(ownEvent(), payload)) as Outcome
        expectContractOutcome(channel, payload, outcome, spy.calls)
      }),
      { numRuns: 60 },
    )
  })

  it('refuses every sender but our main frame, whatever it sends, before validation or any service', async () => {
    let refused = 0
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...channels),
        forgedEvent,
        fc.oneof(anything, fc.constant(undefined)),
        async (channel, event, junk) => {
          spy.calls.length = 0
          const payload = junk === undefined ? VALID[channel] : junk
          const outcome = (await registered.get(channel)!(event, payload)) as Outcome
          if (shouldTrust(event)) {
            expectContractOutcome(channel, payload, outcome, spy.calls)
          } else {
            refused++
            expect(outcome).toEqual({
              ok: false,
              error: expect.objectContaining({ code: 'forbidden-sender' }),
            })
            expect(spy.calls).toEqual([])
          }
          expectNoPollution()
        },
      ),
      { numRuns: 1_000 },
    )
    expect(refused).toBeGreaterThan(500)
  })
})
