import { describe, expect, it, vi, beforeEach } from 'vitest'

// Electron itself is the one thing mocked (test/helpers/electron-mock.ts).
vi.mock('electron', () => import('../helpers/electron-mock'))
const { registered } = await import('../helpers/electron-mock')

const { registerIpc, createSenderCheck } = await import('../../src/main/ipc/register-ipc')
const { channels } = await import('../../src/shared/ipc/channels')
const { contract } = await import('../../src/shared/ipc/contract')
import type { Handlers } from '../../src/main/ipc/dispatch'

const OWN_ID = 7
function frame(url: string) {
  return { url }
}
function eventFrom(opts: { url?: string; frame?: 'main' | 'sub' | 'null'; senderId?: number }) {
  const mainFrame = frame(opts.url ?? 'app://model-deck/index.html')
  const senderFrame =
    opts.frame === 'null'
      ? null
      : opts.frame === 'sub'
        ? frame(opts.url ?? 'app://model-deck/index.html')
        : mainFrame
  return { sender: { id: opts.senderId ?? OWN_ID, mainFrame }, senderFrame }
}

/** Handlers that record every call, so a test can prove a service was never reached. */
function spyHandlers() {
  const calls: string[] = []
  const handlers = Object.fromEntries(
    channels.map((c) => [
      c,
      (input: unknown) => {
        calls.push(c)
        return { echoed: input }
      },
    ]),
  ) as unknown as Handlers
  return { calls, handlers }
}

describe('registerIpc, the one ipcMain.handle caller', () => {
  let spy: ReturnType<typeof spyHandlers>
  beforeEach(() => {
    registered.clear()
    spy = spyHandlers()
    registerIpc(
      spy.handlers,
      createSenderCheck({ webContentsId: () => OWN_ID, allowedOrigins: ['app://model-deck'] }),
    )
  })

  it('registers exactly the channels of the contract', () => {
    expect([...registered.keys()].sort()).toEqual([...channels].sort())
    expect(Object.keys(contract).sort()).toEqual([...channels].sort())
  })

  it.each([
    ['a null sender frame', eventFrom({ frame: 'null' })],
    ['a sub-frame', eventFrom({ frame: 'sub' })],
    ['a foreign origin', eventFrom({ url: 'https://evil.example/index.html' })],
    ['a look-alike app host', eventFrom({ url: 'app://model-deck.evil/index.html' })],
    ['another web contents', eventFrom({ senderId: 99 })],
    ['a file:// page', eventFrom({ url: 'file:///etc/passwd' })],
  ])('refuses %s before any service runs', async (_name, event) => {
    const result = await registered.get('settings:get')!(event, {})
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden-sender' }) })
    expect(spy.calls).toEqual([])
  })

  it('accepts our own main frame', async () => {
    const result = await registered.get('settings:get')!(eventFrom({}), {})
    expect(result).toEqual({ ok: true, data: { echoed: {} } })
    expect(spy.calls).toEqual(['settings:get'])
  })

  it.each([
    ['an unknown key', 'settings:get', { extra: 1 }],
    ['a wrong type', 'snapshots:diff', { a: 1, b: 'latest' }],
    ['a missing field', 'snapshots:diff', { a: 'latest' }],
    ['not an object', 'key:set', 'sk-or-v1-test-string'],
    ['null', 'profiles:create', null],
    ['a prototype key', 'settings:update', JSON.parse('{"patch":{"__proto__":{"polluted":true}}}')],
    ['a huge string', 'shell:open-external', { url: 'x'.repeat(100_000) }],
  ])(
    'rejects %s as an invalid-input value and never reaches the service',
    async (_name, channel, payload) => {
      const result = (await registered.get(channel)!(eventFrom({}), payload)) as {
        ok: boolean
        error: { code: string; message: string }
      }
      expect(result.ok).toBe(false)
      expect(result.error.code).toBe('invalid-input')
      expect(spy.calls).toEqual([])
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    },
  )

  it('never echoes a rejected value, which might be a key', async () => {
    const key = 'sk-or-v1-test-0123456789abcdef'
    const result = (await registered.get('key:set')!(eventFrom({}), { key, extra: key })) as {
      error: { message: string }
    }
    expect(JSON.stringify(result)).not.toContain(key)
  })
})
