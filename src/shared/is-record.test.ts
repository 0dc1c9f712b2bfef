import { describe, expect, it } from 'vitest'
import { asRecord, isRecord } from './is-record'

describe('isRecord', () => {
  it.each<[string, unknown, boolean]>([
    ['an empty object', {}, true],
    ['an object with fields', { id: 'a/b', n: 1 }, true],
    ['an object without a prototype', Object.create(null) as unknown, true],
    ['null', null, false],
    ['undefined', undefined, false],
    ['an array', [], false],
    ['an array of objects', [{ id: 'a' }], false],
    ['a string', '{}', false],
    ['a number', 0, false],
    ['a boolean', true, false],
    ['a function', () => ({}), false],
  ])('%s -> %s', (_name, value, expected) => {
    expect(isRecord(value)).toBe(expected)
    expect(asRecord(value)).toBe(expected ? value : null)
  })
})
