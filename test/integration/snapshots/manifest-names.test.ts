import { afterAll, describe, expect, it } from 'vitest'
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createSnapshotStore } from '../../../src/main/services/snapshots/snapshot-store'
import { sealJson, unsealJson } from '../../../src/main/services/snapshots/hash'
import { cleanupTempDirs, clock, tempDir, userModels } from './helpers'

afterAll(cleanupTempDirs)

type Json = Record<string, unknown>
const readSealed = (path: string): Json => {
  const sealed = unsealJson(readFileSync(path))
  if (!sealed.ok) throw new Error(sealed.reason)
  return sealed.value as Json
}

/**
 * A store next to a file `outside.br` that a hand-made manifest or index names through `../../outside`
 * (packs/../../outside.br is the store's parent folder).
 */
async function storeBesideOutsideFile() {
  const dir = join(tempDir(), 'store')
  const outside = join(dirname(dir), 'outside.br')
  writeFileSync(outside, 'a file of the user, not of the store')
  const open = () => createSnapshotStore({ dir, appVersion: '0.1.0', now: clock() })
  const store = await open()
  const { meta } = await store.save({ source: 'all', region: 'global', profile: 'p', models: userModels() })
  await store.close()
  const manifestFile = join(dir, 'manifests', readdirSync(join(dir, 'manifests'))[0]!)
  return { dir, outside, open, meta, manifestFile }
}

describe('names taken from a manifest or the index are checked as hashes before they become paths', () => {
  it.each([
    ['a pack', (m: Json) => ((m.packs as Json[])[0]!.hash = '../../outside')],
    ['an endpoints file', (m: Json) => (m.endpoints = [['m/x', { hash: '../../outside', size: 3 }]])],
  ])('a hand-made manifest naming %s ../../outside', async (_what, edit) => {
    const { dir, outside, open, meta, manifestFile } = await storeBesideOutsideFile()
    const forged = readSealed(manifestFile)
    const forgedId = '20260101T000000000Z-abcdef'
    forged.meta = { ...(forged.meta as Json), id: forgedId }
    edit(forged)
    writeFileSync(join(dir, 'manifests', `${forgedId}.1.json`), sealJson(forged))

    const store = await open()
    expect(readFileSync(outside, 'utf8')).toBe('a file of the user, not of the store')
    expect(store.problems()).toEqual([
      expect.objectContaining({
        file: `manifests/${forgedId}.1.json`,
        reason: expect.stringMatching(/not a sha256 hash/),
      }),
    ])
    expect((await store.list()).map((m) => m.id)).toEqual([meta.id])
    expect(await store.verify()).toEqual([])
    expect(readFileSync(outside, 'utf8')).toBe('a file of the user, not of the store')
  })

  it('a hand-made index naming a pack ../../outside is rebuilt from the manifests', async () => {
    const { dir, outside, open, meta } = await storeBesideOutsideFile()
    const index = readSealed(join(dir, 'index.json'))
    const [entry] = index.entries as { packs: Json[] }[]
    entry!.packs[0]!.hash = '../../outside'
    writeFileSync(join(dir, 'index.json'), sealJson(index))

    const store = await open()
    expect(readFileSync(outside, 'utf8')).toBe('a file of the user, not of the store')
    expect(existsSync(join(dir, 'quarantine'))).toBe(false)
    expect(store.problems()).toEqual([])
    expect((await store.load(meta.id)).models).toEqual(userModels())
  })
})
