import { describe, expect, it } from 'vitest'
import { CATALOG_SOURCES, REGIONS, REGION_HOSTS, isRegion, isSource, regionApiBase } from './catalog-options'

describe('regions and their hosts', () => {
  it.each<[(typeof REGIONS)[number], string, string]>([
    ['global', 'openrouter.ai', 'https://openrouter.ai/api/v1'],
    ['eu', 'eu.openrouter.ai', 'https://eu.openrouter.ai/api/v1'],
    ['us', 'us.openrouter.ai', 'https://us.openrouter.ai/api/v1'],
  ])('%s is served by %s', (region, host, base) => {
    expect(REGION_HOSTS[region]).toBe(host)
    expect(regionApiBase(region)).toBe(base)
  })

  it('has a host for every region and no other', () => {
    expect(Object.keys(REGION_HOSTS)).toEqual([...REGIONS])
  })
})

describe('isSource / isRegion', () => {
  it.each<[unknown, boolean]>([
    ['user', true],
    ['all', true],
    ['endpoints', false],
    ['User', false],
    ['', false],
    [null, false],
    [undefined, false],
    [['user'], false],
  ])('isSource(%j) -> %s', (value, expected) => {
    expect(isSource(value)).toBe(expected)
  })

  it.each<[unknown, boolean]>([
    ['global', true],
    ['eu', true],
    ['us', true],
    ['EU', false],
    ['asia', false],
    ['toString', false],
    [null, false],
    [1, false],
  ])('isRegion(%j) -> %s', (value, expected) => {
    expect(isRegion(value)).toBe(expected)
  })

  it('the sources are the two lists a snapshot holds', () => {
    expect([...CATALOG_SOURCES]).toEqual(['user', 'all'])
  })
})
