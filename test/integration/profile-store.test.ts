import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createFileProfileStore } from '../../src/main/services/profile-store'

describe('the profile file', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'md-profiles-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('gives a new data folder its own profile id and keeps it across restarts', async () => {
    const a = await createFileProfileStore(join(dir, 'profiles.json')).load()
    const again = await createFileProfileStore(join(dir, 'profiles.json')).load()
    expect(a?.profiles).toHaveLength(1)
    expect(a?.profiles[0]?.name).toBe('Personal')
    expect(again).toEqual(a)
    const other = mkdtempSync(join(tmpdir(), 'md-profiles-'))
    const b = await createFileProfileStore(join(other, 'profiles.json')).load()
    rmSync(other, { recursive: true, force: true })
    expect(b?.activeId).not.toBe(a?.activeId)
  })

  it('round-trips what the key service saves', async () => {
    const store = createFileProfileStore(join(dir, 'profiles.json'))
    const state = {
      version: 1 as const,
      activeId: 'w',
      profiles: [
        { id: 'p', name: 'Personal', unverified: false },
        { id: 'w', name: 'Work org', unverified: true },
      ],
    }
    await store.save(state)
    expect(await createFileProfileStore(join(dir, 'profiles.json')).load()).toEqual(state)
  })

  it('moves a damaged file aside and starts a fresh profile', async () => {
    writeFileSync(join(dir, 'profiles.json'), '{"version":1,"activeId":"x","profiles":[]}')
    const loaded = await createFileProfileStore(join(dir, 'profiles.json')).load()
    expect(loaded?.profiles).toHaveLength(1)
    expect(readdirSync(dir).some((f) => f.startsWith('profiles.json.corrupt-'))).toBe(true)
  })
})
