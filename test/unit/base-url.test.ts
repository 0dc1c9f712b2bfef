import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/shared/ipc/result'
import { API_BASES, resolveApiBase } from '../../src/main/services/openrouter/base-url'

describe('resolveApiBase', () => {
  it.each([
    ['global', 'https://openrouter.ai/api/v1'],
    ['eu', 'https://eu.openrouter.ai/api/v1'],
    ['us', 'https://us.openrouter.ai/api/v1'],
  ] as const)('%s → %s', (region, base) => {
    expect(resolveApiBase({ region, env: {} })).toBe(base)
    expect(resolveApiBase({ region })).toBe(base)
  })

  it('every built-in base is https', () => {
    for (const base of Object.values(API_BASES)) expect(new URL(base).protocol).toBe('https:')
  })

  it('ignores an empty or blank override', () => {
    expect(resolveApiBase({ region: 'eu', env: { MODEL_DECK_API_BASE: '' } })).toBe(API_BASES.eu)
    expect(resolveApiBase({ region: 'eu', env: { MODEL_DECK_API_BASE: '   ' } })).toBe(API_BASES.eu)
  })

  it.each([
    ['http://127.0.0.1:8787/api/v1', 'http://127.0.0.1:8787/api/v1'],
    ['http://127.0.0.1:8787/api/v1/', 'http://127.0.0.1:8787/api/v1'],
    ['http://127.45.6.7:9000/api/v1', 'http://127.45.6.7:9000/api/v1'],
    ['http://localhost:3000/api/v1', 'http://localhost:3000/api/v1'],
    ['http://LOCALHOST:3000/api/v1', 'http://localhost:3000/api/v1'],
    ['http://[::1]:3000/api/v1', 'http://[::1]:3000/api/v1'],
    ['https://proxy.example.com/openrouter/api/v1', 'https://proxy.example.com/openrouter/api/v1'],
    ['https://openrouter.ai/api/v1', 'https://openrouter.ai/api/v1'],
    ['  http://127.0.0.1:1/api/v1  ', 'http://127.0.0.1:1/api/v1'],
  ])('accepts override %s', (value, expected) => {
    expect(resolveApiBase({ region: 'global', env: { MODEL_DECK_API_BASE: value } })).toBe(expected)
  })

  it.each([
    ['plain http to the network', 'http://openrouter.ai/api/v1'],
    ['loopback-looking host name', 'http://127.0.0.1.evil.com/api/v1'],
    ['localhost as a subdomain', 'http://localhost.evil.com/api/v1'],
    ['userinfo trick', 'http://127.0.0.1@evil.com/api/v1'],
    ['userinfo on https', 'https://user:s3cr3t@openrouter.ai/api/v1'],
    ['localhost in userinfo', 'http://localhost:80@evil.com/'],
    ['private, not loopback', 'http://10.0.0.1/api/v1'],
    ['all-zero address', 'http://0.0.0.0:8787/api/v1'],
    ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/api/v1'],
    ['file scheme', 'file:///etc/passwd'],
    ['javascript scheme', 'javascript:alert(1)'],
    ['ftp scheme', 'ftp://127.0.0.1/api/v1'],
    ['not a URL', 'openrouter.ai/api/v1'],
    ['relative path', '/api/v1'],
    ['query string', 'https://openrouter.ai/api/v1?x=1'],
    ['fragment', 'https://openrouter.ai/api/v1#x'],
    ['backslash host trick', 'http://evil.com\\@127.0.0.1/'],
  ])('rejects %s', (_name, value) => {
    let caught: unknown
    try {
      resolveApiBase({ region: 'global', env: { MODEL_DECK_API_BASE: value } })
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(AppError)
    expect((caught as AppError).code).toBe('invalid-input')
    expect((caught as AppError).message).toMatch(/MODEL_DECK_API_BASE must be an https:\/\/ URL/)
    expect((caught as AppError).message).not.toContain('s3cr3t')
  })

  it('rejects an unknown region', () => {
    expect(() => resolveApiBase({ region: 'mars' as 'eu', env: {} })).toThrow(/Unknown region/)
  })
})
