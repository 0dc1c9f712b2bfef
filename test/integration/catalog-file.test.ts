import { afterAll, describe, expect, it } from 'vitest'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { AppError } from '../../src/shared/ipc/result'
import { contract } from '../../src/shared/ipc/contract'
import { parseModelsBody } from '../../src/shared/model/parse'
import {
  decodeCatalogBytes,
  readCatalogFile,
  type CatalogFile,
} from '../../src/main/services/files/catalog-file'
import { createSnapshotStore } from '../../src/main/services/snapshots/snapshot-store'
import { cleanupTempDirs, tempDir, userModels } from './snapshots/helpers'

afterAll(cleanupTempDirs)

const bundle = (meta: Record<string, unknown>) =>
  gzipSync(
    Buffer.from(
      JSON.stringify({ format: 'model-deck-snapshot', version: 1, meta, body: { data: userModels() } }),
    ),
  )

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  expect((err as AppError).code).toBe('bad-file')
  return err as AppError
}

describe('the one catalog-file reader', () => {
  it('reads the bundle the store exports, and a raw body, and tells them apart', async () => {
    const store = await createSnapshotStore({
      dir: tempDir(),
      appVersion: 'test',
      parseModels: parseModelsBody,
    })
    const { meta } = await store.save({ source: 'user', region: 'eu', profile: 'p', models: userModels() })
    const dir = tempDir()
    writeFileSync(join(dir, 'exported.json.gz'), await store.exportBundle(meta.id))
    writeFileSync(join(dir, 'raw.json'), JSON.stringify({ data: userModels() }))
    await store.close()

    const read = await readCatalogFile(join(dir, 'exported.json.gz'), parseModelsBody)
    expect(read).toMatchObject({
      kind: 'bundle',
      meta: { takenAt: meta.takenAt, source: 'user', region: 'eu' },
    })
    expect(read.models.map((m) => m.id)).toEqual(userModels().map((m) => m.id))
    const raw: CatalogFile = await readCatalogFile(join(dir, 'raw.json'), parseModelsBody)
    expect(raw.kind).toBe('raw')
    expect(raw.models).toHaveLength(userModels().length)
  })

  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'a year past 9999',
      { takenAt: '+010000-01-01T00:00:00.000Z' },
      /"takenAt" \("\+010000-01-01T00:00:00\.000Z"\)/,
    ],
    ['year 10000 once in UTC', { takenAt: '9999-12-31T23:00:00-05:00' }, /"takenAt"/],
    ['a negative year', { takenAt: '-000001-01-01T00:00:00.000Z' }, /"takenAt"/],
    ['a date that is not ISO', { takenAt: 'Tue, 19 Aug 2026 10:00:00 GMT' }, /"takenAt"/],
    ['a number', { takenAt: 1_786_000_000_000 }, /"takenAt" \(1786000000000\)/],
    [
      'a note over the limit',
      { note: 'n'.repeat(2_001) },
      /"note" is 2001 characters long; a note holds at most 2000/,
    ],
    ['a note that is not text', { note: { html: '<b>' } }, /"note" is not text/],
    ['meta that is not an object', [] as unknown as Record<string, unknown>, /"meta" is not an object/],
  ])('refuses a bundle with %s, naming the field and the file', async (_name, meta, message) => {
    const err = await refusal(decodeCatalogBytes(bundle(meta), 'snap.json.gz', parseModelsBody))
    expect(err.message).toMatch(message)
    expect(err.message).toContain('snap.json.gz')
  })

  it.each([
    ['the year 0000', '0000-01-01T00:00:00Z'],
    ['the last instant of 9999', '9999-12-31T23:59:59.999Z'],
    ['an offset within range', '2026-08-19T10:00:00+02:00'],
  ])('accepts %s, as the window does', async (_name, takenAt) => {
    const read = await decodeCatalogBytes(bundle({ takenAt, note: 'n'.repeat(2_000) }), 'b', parseModelsBody)
    expect(read).toMatchObject({ kind: 'bundle', meta: { takenAt } })
    expect(contract['snapshots:import'].input.safeParse({ takenAt }).success).toBe(true)
  })

  it('holds the window to the same date rule', () => {
    const input = contract['snapshots:import'].input
    expect(input.safeParse({ takenAt: '9999-12-31T23:00:00-05:00' }).success).toBe(false)
    expect(contract['snapshots:update'].input.safeParse({ id: 'x', note: 'n'.repeat(2_001) }).success).toBe(
      false,
    )
  })

  it('refuses a gzip bomb while inflating, at the cap, without holding what lies past it', async () => {
    const member = gzipSync(Buffer.alloc(1024 * 1024, 0x20))
    // Concatenated gzip members inflate as one stream: 64 MiB of spaces from a small file.
    const bomb = Buffer.concat(Array.from({ length: 64 }, () => member))
    expect(bomb.length).toBeLessThan(200 * 1024)
    const err = await refusal(
      decodeCatalogBytes(bomb, 'bomb.json.gz', parseModelsBody, { maxInflatedBytes: 8 * 1024 * 1024 }),
    )
    expect(err.message).toBe(
      'bomb.json.gz is a gzip file, but it is too large: it inflates to more than 8 MiB, far more than any catalog (a damaged file or a gzip bomb).',
    )
  })

  it('refuses a file over the size cap, a folder, and a missing file, by name', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'big.json'), Buffer.alloc(2 * 1024 * 1024, 0x20))
    mkdirSync(join(dir, 'folder.json'))
    expect(
      (await refusal(readCatalogFile(join(dir, 'big.json'), parseModelsBody, { maxFileBytes: 1024 * 1024 })))
        .message,
    ).toBe('big.json is too large to be a catalog (more than 1 MiB).')
    expect((await refusal(readCatalogFile(join(dir, 'folder.json'), parseModelsBody))).message).toMatch(
      /folder\.json is not a file/,
    )
    expect((await refusal(readCatalogFile(join(dir, 'nope.json'), parseModelsBody))).message).toMatch(
      /There is no file .*nope\.json/,
    )
  })
})
