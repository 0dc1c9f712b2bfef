import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { chmodSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { createSnapshotStore, type SnapshotStore } from '../../../src/main/services/snapshots/snapshot-store'
import { allModels, cleanupTempDirs, clock, fingerprint, tempDir, userModels } from './helpers'
import { fillDisk, freeDisk, mountTmpfs, type Tmpfs } from './mounts'

afterAll(cleanupTempDirs)

const open = (dir: string, extra: { lockTimeoutMs?: number } = {}) =>
  createSnapshotStore({ dir, appVersion: '0.1.0', now: clock(), ...extra })

async function seedTwo(dir: string) {
  const store = await open(dir)
  const first = (await store.save({ source: 'user', region: 'global', profile: 'p', models: userModels() }))
    .meta
  const second = (await store.save({ source: 'all', region: 'global', profile: 'p', models: allModels() }))
    .meta
  await store.saveEndpoints(first.id, 'm/x', { data: 1 })
  await store.close()
  return { first, second }
}

/** Everything a user does offline works; every write is refused with the store's own reason. */
async function expectReadsWorkAndWritesRefused(
  store: SnapshotStore,
  first: { id: string },
  second: { id: string },
  reason: RegExp,
): Promise<void> {
  expect(store.readOnly).toBe(true)
  expect(store.readOnlyReason).toMatch(reason)
  expect((await store.list()).map((m) => m.id)).toEqual([second.id, first.id])
  expect((await store.latest({ source: 'all' }))?.id).toBe(second.id)
  expect((await store.load(second.id)).models).toEqual(allModels())
  expect(await store.loadEndpoints(first.id, 'm/x')).toEqual({ data: 1 })
  expect((await store.history(allModels()[0]!.id)).map((h) => h.id)).toEqual([second.id, first.id])
  expect((await store.exportBundle(first.id)).length).toBeGreaterThan(1000)
  expect(await store.verify()).toEqual([])
  expect(store.problems()).toEqual([])
  const writes: [string, () => Promise<unknown>][] = [
    ['save', () => store.save({ source: 'all', region: 'global', profile: 'p', models: userModels() })],
    ['update', () => store.update(first.id, { note: 'x' })],
    ['remove', () => store.remove(first.id)],
    ['prune', () => store.prune({ keepLast: 0 })],
    ['saveEndpoints', () => store.saveEndpoints(first.id, 'm/y', {})],
    [
      'importRaw',
      () => store.importRaw(Buffer.from(JSON.stringify({ data: userModels() })), { filename: 'a.json' }),
    ],
  ]
  for (const [name, run] of writes) {
    const err = await run().then(
      () => new Error(`${name} was allowed`),
      (e: unknown) => e,
    )
    expect(err, name).toMatchObject({ code: 'store-read-only', message: store.readOnlyReason })
  }
}

describe('a store on a disk that cannot be written opens read-only and reads everything', () => {
  let ro: Tmpfs
  let full: Tmpfs
  beforeAll(() => {
    ro = mountTmpfs('16m', 'ro-')
    full = mountTmpfs('1m', 'full-')
  })
  afterAll(() => {
    ro.unmount()
    full.unmount()
  })

  it('on a real read-only mount (or, without mount rights, a folder without write permission)', async () => {
    let dir: string
    let reason: RegExp
    if (ro.mounted) {
      dir = join(ro.dir, 'store')
      reason = /read-only file system \(EROFS in .*store\), so it is open read-only/
    } else {
      // Not root: a folder without write permission is just as real a refusal (EACCES).
      dir = join(tempDir('ro-fallback-'), 'store')
      reason = /no permission to write to the snapshot store \(EACCES/
    }
    console.log(
      `read-only case ran on ${ro.mounted ? 'a tmpfs remounted ro' : 'chmod 0555 (no mount rights)'}`,
    )
    const { first, second } = await seedTwo(dir)
    const before = fingerprint(dir)
    if (ro.mounted) expect(ro.remountReadOnly()).toBe(true)
    else for (const sub of ['', 'manifests', 'packs', 'blobs']) chmodSync(join(dir, sub), 0o555)
    try {
      const store = await open(dir)
      await expectReadsWorkAndWritesRefused(store, first, second, reason)
    } finally {
      if (ro.mounted) ro.remountWritable()
      else for (const sub of ['', 'manifests', 'packs', 'blobs']) chmodSync(join(dir, sub), 0o755)
    }
    expect(fingerprint(dir)).toEqual(before)
  })

  it('on a real full tmpfs, and writable again once space is freed', async () => {
    expect(full.mounted, 'mount -t tmpfs failed: this test needs root').toBe(true)
    const dir = join(full.dir, 'store')
    const { first, second } = await seedTwo(dir)
    const filler = fillDisk(full.dir)
    const before = fingerprint(dir)
    const store = await open(dir)
    await expectReadsWorkAndWritesRefused(
      store,
      first,
      second,
      /disk holding the snapshot store is full \(ENOSPC in .*store\), so it is open read-only.*until some space is freed/,
    )
    // Nothing was left behind by the refused lock attempts (a full disk creates empty files).
    expect(fingerprint(dir)).toEqual(before)
    freeDisk(filler)
    const third = await store.save({ source: 'all', region: 'eu', profile: 'p', models: userModels() })
    expect(third.created).toBe(true)
    expect(store.readOnly).toBe(false)
    expect(store.readOnlyReason).toBeNull()
    expect((await open(dir)).get(third.meta.id)).toBeDefined()
  })
})

describe('while another process holds the write lock', () => {
  let lockBundle = ''
  beforeAll(async () => {
    lockBundle = join(tempDir('lock-bundle-'), 'lock.mjs')
    await build({
      entryPoints: [join(__dirname, '../../../src/main/services/snapshots/lock.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      outfile: lockBundle,
      logLevel: 'error',
    })
  })

  it('open, list, load and export finish at once; a write waits, then says who holds it', async () => {
    const dir = tempDir()
    const { first, second } = await seedTwo(dir)
    // A real second process takes the lock with the store's own code and keeps it.
    const script = `const { acquireLock } = await import(${JSON.stringify(`file://${lockBundle}`)});
      await acquireLock(${JSON.stringify(join(dir, 'write.lock'))}); console.log('locked'); setInterval(() => {}, 1000)`
    const holder = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (c: Buffer) => c.toString().includes('locked') && resolve())
        holder.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)))
      })
      const started = Date.now()
      const store = await open(dir)
      expect(store.readOnly).toBe(false)
      expect((await store.list()).map((m) => m.id)).toEqual([second.id, first.id])
      expect((await store.load(second.id)).models).toHaveLength(549)
      expect((await store.exportBundle(first.id)).length).toBeGreaterThan(1000)
      expect(Date.now() - started).toBeLessThan(2000)
      const waiting = await open(dir, { lockTimeoutMs: 300 })
      await expect(
        waiting.save({ source: 'all', region: 'eu', profile: 'p', models: userModels() }),
      ).rejects.toMatchObject({
        code: 'store-read-only',
        message: expect.stringContaining(`Another Model Deck process (pid ${holder.pid}) is writing`),
      })
    } finally {
      holder.kill('SIGKILL')
      await new Promise((r) => holder.once('exit', r))
    }
    // The holder is gone: the next write takes over its lock and does the repairs open left for it.
    const store = await open(dir)
    expect(
      (await store.save({ source: 'all', region: 'eu', profile: 'p', models: userModels() })).created,
    ).toBe(true)
    expect(readdirSync(dir).filter((n) => n.includes('write.lock'))).toEqual([])
  })
})
