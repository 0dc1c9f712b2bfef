import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AppError } from '../../src/shared/ipc/result'
import { createFileProfileStore } from '../../src/main/services/profile-store'

describe('the profile file', () => {
  let dir: string
  let file: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'md-profiles-'))
    file = join(dir, 'profiles.json')
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))
  const asides = () => readdirSync(dir).filter((f) => f.startsWith('profiles.json.damaged-'))
  const onDisk = () => JSON.parse(readFileSync(file, 'utf8')) as unknown

  it('gives a new data folder its own profile id and keeps it across restarts', async () => {
    const a = await createFileProfileStore(file).load()
    const again = await createFileProfileStore(file).load()
    expect(a?.profiles).toHaveLength(1)
    expect(a?.profiles[0]?.name).toBe('Personal')
    expect(again).toEqual(a)
    const other = mkdtempSync(join(tmpdir(), 'md-profiles-'))
    const b = await createFileProfileStore(join(other, 'profiles.json')).load()
    rmSync(other, { recursive: true, force: true })
    expect(b?.activeId).not.toBe(a?.activeId)
  })

  it('round-trips what the key service saves', async () => {
    const store = createFileProfileStore(file)
    const state = {
      version: 1 as const,
      activeId: 'w',
      profiles: [
        { id: 'p', name: 'Personal', unverified: false },
        { id: 'w', name: 'Work org', unverified: true },
      ],
    }
    await store.save(state)
    expect(await createFileProfileStore(file).load()).toEqual(state)
    expect(asides()).toEqual([])
  })

  it('keeps every readable entry when one is bad, and sets the original aside', async () => {
    const original = JSON.stringify({
      version: 1,
      activeId: 'p-work',
      profiles: [
        { id: 'p-home', name: 'Personal', unverified: false },
        { name: 'no id at all' },
        { id: 'p-work', name: 'Work', unverified: true },
        { id: 'p-odd', name: 'x'.repeat(300), unverified: 'maybe' },
        { id: 'p-home', name: 'a duplicate', unverified: false },
      ],
    })
    writeFileSync(file, original)
    const loaded = await createFileProfileStore(file).load()
    const expected = {
      version: 1,
      activeId: 'p-work',
      profiles: [
        { id: 'p-home', name: 'Personal', unverified: false },
        { id: 'p-work', name: 'Work', unverified: true },
        // Its key is still under its id: kept, named by the id.
        { id: 'p-odd', name: 'p-odd', unverified: false },
      ],
    }
    expect(loaded).toEqual(expected)
    expect(onDisk()).toEqual(expected)
    expect(asides()).toHaveLength(1)
    expect(readFileSync(join(dir, asides()[0]!), 'utf8')).toBe(original)
    // Repaired once: the next start reads it as it is.
    expect(await createFileProfileStore(file).load()).toEqual(expected)
    expect(asides()).toHaveLength(1)
  })

  it('opens a file from a newer version read-only: reads what it can, never rewrites it', async () => {
    const original = `${JSON.stringify({
      version: 2,
      activeId: 'p-work',
      profiles: [
        { id: 'p-home', name: 'Personal', unverified: false, colour: 'blue' },
        { id: 'p-work', name: 'Work', unverified: false, kind: 'org' },
      ],
      groups: [{ id: 'g1' }],
    })}\n`
    writeFileSync(file, original)
    const store = createFileProfileStore(file)
    expect(await store.load()).toEqual({
      version: 1,
      activeId: 'p-work',
      profiles: [
        { id: 'p-home', name: 'Personal', unverified: false },
        { id: 'p-work', name: 'Work', unverified: false },
      ],
    })
    expect(store.readOnlyReason?.()).toMatch(/profiles\.json was written by a newer Model Deck \(format 2\)/)
    const err = await store
      .save({ version: 1, activeId: 'p-home', profiles: [{ id: 'p-home', name: 'x', unverified: false }] })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('store-read-only')
    expect((err as AppError).message).toMatch(/newer Model Deck/)
    expect(readFileSync(file, 'utf8')).toBe(original)
    expect(readdirSync(dir)).toEqual(['profiles.json'])
  })

  it.each([
    ['not JSON', '{"version":1,"activeId":'],
    ['no readable entry', '{"version":1,"activeId":"x","profiles":[{"name":"no id"}]}'],
    ['an empty list', '{"version":1,"activeId":"x","profiles":[]}'],
  ])('with %s, keeps a copy of the original and starts a fresh profile', async (_name, original) => {
    writeFileSync(file, original)
    const loaded = await createFileProfileStore(file).load()
    expect(loaded?.profiles).toEqual([{ id: loaded!.activeId, name: 'Personal', unverified: false }])
    expect(asides()).toHaveLength(1)
    expect(readFileSync(join(dir, asides()[0]!), 'utf8')).toBe(original)
  })
})
