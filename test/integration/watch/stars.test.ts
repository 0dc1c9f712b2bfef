import { afterEach, describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createStarsService } from '../../../src/main/services/stars'
import { cleanupTempDirs, tempDir } from '../snapshots/helpers'
import { recordingEmit } from './helpers'

afterEach(cleanupTempDirs)

function starsIn(dir: string, profile = { id: 'p-one' }) {
  const { emitted, emit } = recordingEmit()
  const stars = createStarsService({ dataDir: dir, activeProfile: async () => profile.id, emit })
  return { stars, emitted, profile }
}

describe('stars', () => {
  it('are kept in stars.json and read back by the next start', async () => {
    const dir = tempDir('stars-')
    const { stars } = starsIn(dir)
    expect(await stars.list()).toEqual([])
    expect(await stars.set('openai/gpt-4o', true)).toEqual(['openai/gpt-4o'])
    expect(await stars.set('anthropic/claude-sonnet-4', true)).toEqual([
      'anthropic/claude-sonnet-4',
      'openai/gpt-4o',
    ])
    // Starring twice is one star.
    expect(await stars.set('openai/gpt-4o', true)).toHaveLength(2)

    const again = starsIn(dir).stars
    expect(await again.list()).toEqual(['anthropic/claude-sonnet-4', 'openai/gpt-4o'])
    expect(await again.set('openai/gpt-4o', false)).toEqual(['anthropic/claude-sonnet-4'])
    expect(await starsIn(dir).stars.list()).toEqual(['anthropic/claude-sonnet-4'])
    const file = JSON.parse(readFileSync(join(dir, 'stars.json'), 'utf8')) as unknown
    expect(file).toEqual({ version: 1, profiles: { 'p-one': ['anthropic/claude-sonnet-4'] } })
  })

  it('belong to one profile: another profile has its own, and only the active one is announced', async () => {
    const dir = tempDir('stars-')
    const { stars, emitted, profile } = starsIn(dir)
    await stars.set('openai/gpt-4o', true)
    await stars.set('google/gemini-2.5-pro', true, 'p-two')
    expect(await stars.list()).toEqual(['openai/gpt-4o'])
    expect(await stars.list('p-two')).toEqual(['google/gemini-2.5-pro'])
    expect(emitted).toEqual([{ event: 'stars:changed', payload: { ids: ['openai/gpt-4o'] } }])

    profile.id = 'p-two'
    expect(await stars.list()).toEqual(['google/gemini-2.5-pro'])
    await stars.announce()
    expect(emitted.at(-1)).toEqual({ event: 'stars:changed', payload: { ids: ['google/gemini-2.5-pro'] } })
    expect([...(await stars.starredSet('p-one'))]).toEqual(['openai/gpt-4o'])
  })

  it('take hostile ids as plain text', async () => {
    const dir = tempDir('stars-')
    const { stars } = starsIn(dir, { id: '__proto__' })
    expect(await stars.set('constructor', true)).toEqual(['constructor'])
    expect(await starsIn(dir, { id: '__proto__' }).stars.list()).toEqual(['constructor'])
    expect(await starsIn(dir, { id: 'toString' }).stars.list()).toEqual([])
    await expect(stars.set('', true)).rejects.toMatchObject({ code: 'invalid-input' })
    await expect(stars.set('x'.repeat(301), true)).rejects.toMatchObject({ code: 'invalid-input' })
  })

  it('a damaged file keeps every readable star, with the original copied aside', async () => {
    const dir = tempDir('stars-')
    const original = JSON.stringify({
      version: 1,
      profiles: { 'p-one': ['a/one', 7, 'a/one', 'b/two'], 'p-two': 'all', 'p-three': ['c/three'] },
    })
    writeFileSync(join(dir, 'stars.json'), original)
    const { stars } = starsIn(dir)
    expect(await stars.list()).toEqual(['a/one', 'b/two'])
    expect(await stars.list('p-three')).toEqual(['c/three'])
    const aside = readdirSync(dir).filter((f) => f.startsWith('stars.json.damaged-'))
    expect(aside).toHaveLength(1)
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe(original)
    expect(JSON.parse(readFileSync(join(dir, 'stars.json'), 'utf8'))).toEqual({
      version: 1,
      profiles: { 'p-one': ['a/one', 'b/two'], 'p-three': ['c/three'] },
    })
  })

  it('an unreadable file starts empty, and the original is kept', async () => {
    const dir = tempDir('stars-')
    writeFileSync(join(dir, 'stars.json'), '{"version": 1, "profiles": {"p-one": ["a/one"')
    const { stars } = starsIn(dir)
    expect(await stars.list()).toEqual([])
    expect(await stars.set('b/two', true)).toEqual(['b/two'])
    expect(readdirSync(dir).some((f) => f.startsWith('stars.json.damaged-'))).toBe(true)
  })

  it('a file from a newer Model Deck is read, and never rewritten', async () => {
    const dir = tempDir('stars-')
    const text = JSON.stringify({ version: 2, profiles: { 'p-one': ['a/one'] }, folders: {} })
    writeFileSync(join(dir, 'stars.json'), text)
    const { stars } = starsIn(dir)
    expect(await stars.list()).toEqual(['a/one'])
    await expect(stars.set('b/two', true)).rejects.toMatchObject({ code: 'store-read-only' })
    expect(await stars.list()).toEqual(['a/one'])
    expect(readFileSync(join(dir, 'stars.json'), 'utf8')).toBe(text)
  })
})
