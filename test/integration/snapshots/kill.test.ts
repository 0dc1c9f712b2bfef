import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { join } from 'node:path'
import { createSnapshotStore } from '../../../src/main/services/snapshots/snapshot-store'
import { bundleSnapshotStore, cleanupTempDirs, tempDir } from './helpers'

afterAll(cleanupTempDirs)

// KILL_ITERATIONS=1000 for a longer soak; 100 keeps the suite under ~15 s on 2 cores.
const ITERATIONS = Number(process.env.KILL_ITERATIONS ?? 100)
const FIXTURE = join(__dirname, '../../fixtures/openrouter/models-2026-05-16.json.gz')
const CHILD = join(__dirname, 'kill-child.mjs')

/** Every file name under dir, for spotting leftovers of interrupted writes. */
function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
}

describe('a writer killed at any moment never loses or corrupts an earlier snapshot', () => {
  let bundle = ''
  beforeAll(async () => {
    bundle = await bundleSnapshotStore('bundle-')
  })

  it(`survives ${ITERATIONS} SIGKILLs mid-write`, { timeout: 60_000 + ITERATIONS * 1000 }, () =>
    killLoop(ITERATIONS, 1),
  )

  // Two writers at once (the app and a CLI from cron): they take turns through the lock, one may
  // be killed while waiting for it, and the integrity check is the same.
  const TWO = Math.ceil(ITERATIONS / 2)
  it(`survives ${TWO} SIGKILLs of two concurrent writers`, { timeout: 60_000 + TWO * 2000 }, () =>
    killLoop(TWO, 2),
  )

  async function killLoop(iterations: number, writers: number): Promise<void> {
    const ITERATIONS = iterations
    const dir = tempDir('kill-')
    // An earlier snapshot to protect from the first kill on.
    const seed = await createSnapshotStore({ dir, appVersion: 'seed' })
    const base = JSON.parse(gunzipSync(readFileSync(FIXTURE)).toString('utf8')).data.slice(0, 150)
    await seed.save({ source: 'user', region: 'global', profile: 'main', models: base })
    /** contentHash of every kept snapshot seen so far; they must all survive every later kill. */
    const kept = new Map<string, string>()
    /** Manifest revision last fully loaded, to load again only what changed between full checks. */
    const loadedAt = new Map<string, string>()
    let killedBeforeReady = 0
    const evidence = { lockLeft: 0, tempLeft: 0, twoRevisions: 0 }
    let opsSeen = 0
    const started = Date.now()

    for (let i = 0; i < ITERATIONS; i++) {
      const children = Array.from({ length: writers }, (_, w) => {
        const args = [CHILD, bundle, dir, FIXTURE, String(i * 7919 + 1 + w * 104729)]
        const child = spawn(process.execPath, writers > 1 ? [...args, 'concurrent'] : args, {
          stdio: ['ignore', 'pipe', 'pipe'],
        })
        const state = {
          child,
          stderr: '',
          sawReady: false,
          exited: undefined as unknown as Promise<number | null>,
        }
        child.stderr.on('data', (c: Buffer) => (state.stderr += c.toString()))
        state.exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
        const ready = new Promise<boolean>((resolve) => {
          child.stdout.on('data', (c: Buffer) => {
            if (c.toString().includes('ready')) resolve((state.sawReady = true))
          })
          void state.exited.then(() => resolve(false))
        })
        return { ...state, state, ready }
      })
      // Most kills land 0-50 ms into the write loop; some during start-up and the repairs of open.
      const early = i % 5 === 0
      for (const c of children)
        if (!early) expect(await c.ready, `child ${i} failed to start: ${c.state.stderr}`).toBe(true)
      for (const c of children) {
        // Each writer is killed at its own moment, so one often runs on alone with the lock.
        await new Promise((r) => setTimeout(r, Math.random() * (early ? 150 : 50)))
        c.child.kill('SIGKILL')
      }
      for (const c of children) {
        const code = await c.exited
        expect(code, `child ${i} died on its own: ${c.state.stderr}`).toBeNull()
        if (!c.state.sawReady) killedBeforeReady++
      }
      // What the kill interrupted, seen from the files it left (open is about to repair them).
      const files = allFiles(dir)
      if (files.includes('write.lock')) evidence.lockLeft++
      if (files.some((n) => n.endsWith('.tmp'))) evidence.tempLeft++
      const revs = files
        .filter((n) => n.startsWith('manifests/') && n.endsWith('.json'))
        .map((n) => n.split('.')[0])
      if (new Set(revs).size < revs.length) evidence.twoRevisions++

      // The integrity check, as the app would see the store after a crash.
      const store = await createSnapshotStore({ dir, appVersion: 'check' })
      expect(store.problems(), `iteration ${i}`).toEqual([])
      expect(await store.verify(), `iteration ${i}`).toEqual([])
      const listed = await store.list()
      const full = i % 10 === 9 || i === ITERATIONS - 1
      for (const meta of listed) {
        expect(meta.unavailable).toBeUndefined()
        const stamp = `${meta.contentHash}/${meta.note}/${meta.pinned}/${meta.checkedAt}`
        if (full || loadedAt.get(meta.id) !== stamp) {
          const { models } = await store.load(meta.id)
          expect(models).toHaveLength(meta.modelCount)
          expect(createHash('sha256').update(JSON.stringify(models)).digest('hex')).toBe(meta.contentHash)
          loadedAt.set(meta.id, stamp)
        }
      }
      const now = new Map(listed.map((m) => [m.id, m.contentHash]))
      for (const [id, hash] of kept) expect(now.get(id), `snapshot ${id} lost at iteration ${i}`).toBe(hash)
      for (const m of listed) if (m.profile === 'main') kept.set(m.id, m.contentHash)
      opsSeen = listed.length
      // Open repaired what the kill left behind: no temp files, no stale lock.
      expect(allFiles(dir).filter((n) => n.endsWith('.tmp') || n.includes('write.lock'))).toEqual([])
    }
    const seconds = (Date.now() - started) / 1000
    console.log(
      `kill test (${writers} writer${writers > 1 ? 's' : ''}): ${ITERATIONS * writers} kills in ${seconds.toFixed(1)} s, ${kept.size} snapshots kept, ${opsSeen} listed at the end,`,
      `${killedBeforeReady} killed while starting, interrupted writes: ${JSON.stringify(evidence)}`,
    )
    // The kills must really have landed inside writes, or the test proves nothing.
    expect(kept.size).toBeGreaterThan(10)
    expect(evidence.lockLeft).toBeGreaterThan(10)
  }
})
