import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/shared/ipc/result'
import { endpointsPath } from '../../src/main/services/openrouter/client'
import {
  errorFromStatus,
  parseRetryAfter,
  readUpstreamError,
  scrubSecrets,
} from '../../src/main/services/openrouter/errors'
import { leakedPiece, OTHER_KEY_SHAPES } from '../helpers/key-shapes'

const keyArb = fc.stringMatching(/^[A-Za-z0-9]{20,64}$/).map((tail) => `sk-or-v1-${tail}`)

describe('scrubSecrets', () => {
  it('never lets a key through, wherever it sits in the text', () => {
    fc.assert(
      fc.property(fc.string(), keyArb, fc.string(), (before, key, after) => {
        const out = scrubSecrets(`${before}${key}${after}`, [key])
        expect(out).not.toContain(key)
      }),
    )
  })

  it('redacts bearer tokens and key-shaped strings it was not told about', () => {
    expect(scrubSecrets('Authorization: Bearer abc.def-123 rejected')).toBe(
      'Authorization: Bearer [redacted] rejected',
    )
    expect(scrubSecrets('key sk-or-v1-0123456789abcdef is invalid')).toBe('key sk-or-[redacted] is invalid')
  })
})

describe('errorFromStatus', () => {
  it('keeps the key out of any upstream message', () => {
    fc.assert(
      fc.property(fc.integer({ min: 400, max: 599 }), keyArb, fc.string(), (status, key, noise) => {
        const body = JSON.stringify({
          error: { code: status, message: `${noise} ${key}`, metadata: { reasons: [key] } },
        })
        const err = errorFromStatus(status, body, { retryAfterSeconds: null, secrets: [key] })
        expect(err).toBeInstanceOf(AppError)
        expect(JSON.stringify(err.toShape())).not.toContain(key)
      }),
    )
  })

  it('survives any body', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 400, max: 599 }),
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (status, body) => {
          const err = errorFromStatus(status, body, { retryAfterSeconds: null, secrets: [] })
          expect(err.message.length).toBeLessThan(600)
        },
      ),
    )
  })

  it('reads the OpenRouter error body, ignoring hostile shapes', () => {
    expect(
      readUpstreamError('{"error":{"code":403,"message":"flagged","metadata":{"reasons":["a","b"]}}}'),
    ).toEqual({
      message: 'flagged',
      errorType: null,
      reasons: 'a, b',
    })
    expect(readUpstreamError('{"__proto__":{"message":"x"},"error":"nope"}').message).toBeNull()
    expect(readUpstreamError('not json').message).toBeNull()
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-20T10:00:00Z')
  it.each([
    ['5', 5],
    [' 120 ', 120],
    ['0', 0],
    ['1.5', 2],
    ['Fri, 20 Nov 2026 10:00:30 GMT', 30],
    ['Fri, 20 Nov 2026 09:00:00 GMT', 0],
    ['soon', null],
    ['-3', null],
    ['', null],
  ])('%j → %s', (value, seconds) => {
    expect(parseRetryAfter(value, now)).toBe(seconds)
  })

  it('never returns a negative or non-finite wait', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const out = parseRetryAfter(value, now)
        if (out !== null) expect(Number.isFinite(out) && out >= 0).toBe(true)
      }),
    )
  })
})

describe('endpointsPath', () => {
  it('either refuses a path or returns one with exactly two plain segments', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.webPath(), fc.record({ author: fc.string(), slug: fc.string() })),
        (target) => {
          let out: string
          try {
            out = endpointsPath(target as string)
          } catch (err) {
            expect((err as AppError).code).toBe('invalid-input')
            return
          }
          expect(out).toMatch(
            /^\/models\/[A-Za-z0-9~_][A-Za-z0-9._~:-]*\/[A-Za-z0-9~_][A-Za-z0-9._~:-]*\/endpoints$/,
          )
          expect(out.split('/')).not.toContain('..')
        },
      ),
    )
  })
})

describe('redaction happens before text is cut to length', () => {
  it.each(OTHER_KEY_SHAPES)('no piece of %s survives in any field, wherever the cut falls', (_label, key) => {
    for (let n = 0; n <= 420; n++) {
      const body = JSON.stringify({
        error: {
          message: `${'a'.repeat(n)}${key} was refused`,
          metadata: { error_type: `${'b'.repeat(n % 70)}${key}`, reasons: [`${'c'.repeat(n % 130)}${key}`] },
        },
      })
      const err = errorFromStatus(403, body, { retryAfterSeconds: null, secrets: [key] })
      const text = JSON.stringify(err.toShape())
      expect(leakedPiece(text, key), `prefix ${n}: ${text}`).toBeNull()
      expect(err.message.length).toBeLessThan(600)
    }
  })

  it('still cuts long upstream messages, marking the cut', () => {
    const body = JSON.stringify({ error: { message: 'x'.repeat(1_000) } })
    const err = errorFromStatus(500, body, { retryAfterSeconds: null, secrets: [] })
    expect(err.message).toBe(`OpenRouter is having trouble (HTTP 500): ${'x'.repeat(300)}…`)
  })

  it('keeps the text around a redacted key', () => {
    const key = OTHER_KEY_SHAPES[1]![1]
    const body = JSON.stringify({ error: { message: `before ${key} after` } })
    expect(errorFromStatus(401, body, { retryAfterSeconds: null, secrets: [key] }).message).toBe(
      'OpenRouter rejected the API key (HTTP 401): before [redacted] after',
    )
  })
})
