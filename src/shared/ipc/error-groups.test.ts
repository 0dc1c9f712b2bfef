import { describe, expect, it } from 'vitest'
import { isOfflineError, isStorageError, isUnverifiableError } from './error-groups'

describe('error-code groups', () => {
  it.each<[string, boolean, boolean, boolean]>([
    // code, offline, unverifiable, storage
    ['offline', true, true, false],
    ['timeout', true, true, false],
    ['upstream', false, true, false],
    ['rate-limited', false, true, false],
    ['key-rejected', false, false, false],
    ['payment-required', false, false, false],
    ['bad-response', false, false, false],
    ['cancelled', false, false, false],
    ['disk-full', false, false, true],
    ['permission-denied', false, false, true],
    ['store-read-only', false, false, true],
    ['corrupt', false, false, true],
    ['bad-file', false, false, false],
    ['keychain-unavailable', false, false, false],
    ['ECONNREFUSED', false, false, false],
  ])('%s: offline %s, unverifiable %s, storage %s', (code, offline, unverifiable, storage) => {
    expect(isOfflineError(code)).toBe(offline)
    expect(isUnverifiableError(code)).toBe(unverifiable)
    expect(isStorageError(code)).toBe(storage)
  })
})
