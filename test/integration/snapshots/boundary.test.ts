import { afterAll, describe, expect, it } from 'vitest'
import {
  createSnapshotStore,
  type SaveInput,
  type SnapshotStore,
} from '../../../src/main/services/snapshots/snapshot-store'
import { cleanupTempDirs, clock, fingerprint, tempDir, userModels } from './helpers'

afterAll(cleanupTempDirs)

const good: SaveInput = { source: 'user', region: 'global', profile: 'p', models: [{ id: 'a/b' }] }

/**
 * Every argument a caller hands the store is checked once, at its boundary (store-input.ts), before
 * any write is queued: a bad one gets invalid-input with words that name the field, and the folder
 * is exactly as it was.
 */
const cases: [string, (store: SnapshotStore, id: string) => Promise<unknown>, RegExp][] = [
  ['save: unknown source', (s) => s.save({ ...good, source: 'both' as never }), /source/],
  ['save: unknown region', (s) => s.save({ ...good, region: 'mars' as never }), /region/],
  ['save: empty profile', (s) => s.save({ ...good, profile: '' }), /profile/],
  ['save: models not a list', (s) => s.save({ ...good, models: {} as never }), /models/],
  ['save: a model without an id', (s) => s.save({ ...good, models: [{ name: 'x' } as never] }), /id/],
  ['save: skipped not whole', (s) => s.save({ ...good, skipped: 1.5 }), /skipped/],
  ['save: unknown origin', (s) => s.save({ ...good, origin: 'guess' as never }), /origin/],
  ['save: takenAt not a date', (s) => s.save({ ...good, takenAt: 'yesterday-ish' }), /takenAt/],
  ['update: no patch', (s, id) => s.update(id, null as never), /change/],
  ['update: note not text', (s, id) => s.update(id, { note: 3 as never }), /note/],
  ['update: pinned not true/false', (s, id) => s.update(id, { pinned: 'yes' as never }), /pinned/],
  ['prune: negative keepLast', (s) => s.prune({ keepLast: -1 }), /keepLast/],
  ['prune: maxBytes not a number', (s) => s.prune({ maxBytes: Number.NaN }), /maxBytes/],
  ['saveEndpoints: empty model id', (s, id) => s.saveEndpoints(id, '', { data: 1 }), /modelId/],
  ['saveEndpoints: body not JSON', (s, id) => s.saveEndpoints(id, 'a/b', () => 1), /JSON/],
  ['importRaw: not bytes', (s) => s.importRaw('text' as never, { filename: 'x.json' }), /bytes/],
  [
    'importRaw: unknown source',
    (s) => s.importRaw(Buffer.from('{"data":[]}'), { filename: 'x.json', source: 'x' as never }),
    /source/,
  ],
  [
    'importRaw: takenAt not a date',
    (s) => s.importRaw(Buffer.from(JSON.stringify({ data: userModels() })), { filename: 'x', takenAt: 'no' }),
    /takenAt/,
  ],
]

describe('the store checks its input once, at the boundary', () => {
  it.each(cases)('%s: invalid-input naming the field, folder untouched', async (_name, call, words) => {
    const dir = tempDir()
    const store = await createSnapshotStore({ dir, appVersion: '0.1.0', now: clock() })
    const { meta } = await store.save({ ...good, models: userModels() })
    const before = fingerprint(dir)
    const err = (await call(store, meta.id).then(
      () => undefined,
      (e: unknown) => e,
    )) as { code?: string; message?: string } | undefined
    expect(err?.code).toBe('invalid-input')
    expect(err?.message).toMatch(words)
    expect(fingerprint(dir)).toEqual(before)
    // Nothing was left half-queued: the store still saves and reads.
    const next = await store.save({ ...good, models: userModels().slice(1) })
    expect(next.created).toBe(true)
    expect((await store.load(meta.id)).models).toEqual(userModels())
    await store.close()
  })
})
