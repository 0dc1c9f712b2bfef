import { afterAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { createSnapshotStore } from '../../../src/main/services/snapshots/snapshot-store'
import { AppError } from '../../../src/shared/ipc/result'
import { allModels, cleanupTempDirs, clock, fingerprint, tempDir, userModels } from './helpers'

afterAll(cleanupTempDirs)

const FIXTURES = join(__dirname, '../../fixtures/openrouter')
const open = (dir = tempDir(), extra = {}) =>
  createSnapshotStore({ dir, appVersion: '0.1.0', now: clock(), ...extra })

describe('import', () => {
  it('imports a raw /models body as .json.gz, detected by its bytes whatever the name', async () => {
    const store = await open()
    const gz = readFileSync(join(FIXTURES, 'models-all-2026-08-19.json.gz'))
    const { meta, created } = await store.importRaw(gz, {
      filename: 'catalog.json',
      takenAt: '2026-08-19T12:00:00Z',
    })
    expect(created).toBe(true)
    expect(meta).toMatchObject({
      origin: 'import',
      importedFrom: 'catalog.json',
      source: 'all',
      region: 'global',
      profile: 'default',
      modelCount: 549,
      takenAt: '2026-08-19T12:00:00.000Z',
    })
    expect((await store.load(meta.id)).models).toEqual(allModels())
  })

  it('imports plain JSON (with a BOM) and counts records without an id as skipped', async () => {
    const store = await open()
    const body = { data: [...userModels(), { name: 'no id' }, 42] }
    const bytes = Buffer.from(`\uFEFF${JSON.stringify(body)}`)
    const { meta } = await store.importRaw(bytes, {
      filename: 'models.json',
      source: 'user',
      region: 'eu',
      profile: 'work',
    })
    expect(meta).toMatchObject({ source: 'user', region: 'eu', profile: 'work', modelCount: 356, skipped: 2 })
    // The same file again is not a second snapshot.
    const again = await store.importRaw(bytes, {
      filename: 'models.json',
      source: 'user',
      region: 'eu',
      profile: 'work',
      takenAt: meta.takenAt,
    })
    expect(again).toMatchObject({ created: false, meta: { id: meta.id } })
  })

  it('exports a self-describing bundle and imports it back into another store losslessly', async () => {
    const a = await open()
    const { meta } = await a.save({
      source: 'user',
      region: 'us',
      profile: 'team',
      models: userModels(),
      skipped: 1,
    })
    await a.update(meta.id, { note: 'quarter end' })
    const bundle = await a.exportBundle(meta.id)
    const parsed = JSON.parse(gunzipSync(bundle).toString('utf8'))
    expect(parsed).toMatchObject({
      format: 'model-deck-snapshot',
      version: 1,
      meta: { id: meta.id, note: 'quarter end' },
    })
    expect(parsed.body.data).toEqual(userModels())

    const b = await open()
    const imported = await b.importRaw(bundle, { filename: 'snap.mdsnap' })
    expect(imported.created).toBe(true)
    expect(imported.meta).toMatchObject({
      source: 'user',
      region: 'us',
      profile: 'team',
      takenAt: meta.takenAt,
      contentHash: meta.contentHash,
      note: 'quarter end',
      origin: 'import',
      skipped: 1,
    })
    expect((await b.load(imported.meta.id)).models).toEqual(userModels())
    expect((await b.importRaw(bundle, { filename: 'snap.mdsnap' })).created).toBe(false)
  })

  it('passes imports through the injected parser', async () => {
    const seen: unknown[] = []
    const store = await open(tempDir(), {
      parseModels: (body: unknown) => {
        seen.push(body)
        return { models: [{ id: 'only/this' }], skipped: 7 }
      },
    })
    const { meta } = await store.importRaw(Buffer.from(JSON.stringify({ data: [] })), { filename: 'x.json' })
    expect(seen).toHaveLength(1)
    expect(meta).toMatchObject({ modelCount: 1, skipped: 7 })
  })

  const gz = gzipSync(Buffer.from(JSON.stringify({ data: userModels() })))
  const newerBundle = gzipSync(
    Buffer.from(
      JSON.stringify({ format: 'model-deck-snapshot', version: 99, meta: {}, body: { data: userModels() } }),
    ),
  )
  it.each([
    ['garbage bytes', Buffer.from([0, 1, 2, 3, 255, 254]), /not JSON/],
    ['an HTML page', Buffer.from('<!doctype html><html><body>Login</body></html>'), /HTML/],
    ['an empty object', Buffer.from('{}'), /no "data" array/],
    ['an empty data array', Buffer.from('{"data":[]}'), /no usable model records/],
    [
      'only records without ids',
      Buffer.from('{"data":[{"name":"x"},null]}'),
      /no usable model records \(2 skipped\)/,
    ],
    ['a bundle from a newer version', newerBundle, /newer Model Deck/],
    ['a truncated gzip', gz.subarray(0, Math.floor(gz.length / 2)), /truncated or damaged/],
    ['an empty file', Buffer.alloc(0), /not JSON/],
    ['a JSON array', Buffer.from('[1,2]'), /no "data" array/],
  ])('refuses %s with bad-file and leaves the store untouched', async (_name, bytes, message) => {
    const dir = tempDir()
    const store = await open(dir)
    await store.save({ source: 'all', region: 'global', profile: 'p', models: userModels() })
    const before = fingerprint(dir)
    const err = await store.importRaw(bytes, { filename: 'upload.json' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('bad-file')
    expect((err as AppError).message).toMatch(message)
    expect((err as AppError).message).toContain('upload.json')
    expect(fingerprint(dir)).toEqual(before)
    expect(await store.list()).toHaveLength(1)
  })
})
