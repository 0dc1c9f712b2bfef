import { afterEach, describe, expect, it } from 'vitest'
import { keychainError } from '../../src/main/services/keychain'
import { addLogSink, forgetSecret, log, redact, rememberSecret, setConsoleLogging } from '../../src/main/log'
import { leakedPiece, OTHER_KEY_SHAPES } from '../helpers/key-shapes'

describe('keychain errors keep no piece of the secret being written', () => {
  it.each(OTHER_KEY_SHAPES)('%s, wherever the 300-character cut falls', (_label, secret) => {
    for (let n = 0; n <= 320; n++) {
      const raw = new Error(`${'x'.repeat(n)}${secret} could not be stored: is locked`)
      const err = keychainError(raw, { action: 'save to', secret })
      const systemMessage = String(err.details?.systemMessage)
      expect(leakedPiece(JSON.stringify(err.toShape()), secret), `prefix ${n}`).toBeNull()
      expect(systemMessage.length).toBeLessThanOrEqual(301)
    }
  })

  it('also removes an sk-or- key it was not told about, before cutting', () => {
    const other = `sk-or-v1-${'9'.repeat(64)}`
    const err = keychainError(new Error(`${'x'.repeat(290)}${other}`), { action: 'read from' })
    expect(leakedPiece(String(err.details?.systemMessage), other)).toBeNull()
  })
})

describe('the logger redacts the keys main holds, whatever their shape', () => {
  const lines: string[] = []
  const stop = addLogSink((_level, line) => lines.push(line))
  setConsoleLogging(false)
  afterEach(() => {
    lines.length = 0
    for (const [, key] of OTHER_KEY_SHAPES) forgetSecret(key)
  })

  it.each(OTHER_KEY_SHAPES)('%s in a message, an Error and an object', (_label, key) => {
    rememberSecret(key)
    log.warn(`request with ${key} failed`, new Error(`rejected: ${key}`), { header: key })
    expect(lines).toHaveLength(1)
    expect(leakedPiece(lines[0]!, key)).toBeNull()
    expect(lines[0]).toContain('request with …redacted failed')
    expect(redact(`x${key}y`)).toBe('x…redacted' + 'y')
  })

  it('forgets a key that is no longer held, and ignores text too short to be a key', () => {
    rememberSecret('abc')
    expect(redact('abc abc')).toBe('abc abc')
    const [, key] = OTHER_KEY_SHAPES[0]!
    rememberSecret(key)
    forgetSecret(key)
    expect(redact(key)).toBe(key)
    stop()
  })
})
