import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { createSnapshotStore } from '../../../src/main/services/snapshots/snapshot-store'
import { bundleSnapshotStore, cleanupTempDirs, tempDir } from './helpers'

afterAll(cleanupTempDirs)

const FIXTURE = join(__dirname, '../../fixtures/openrouter/models-2026-05-16.json.gz')
const CHILD = join(__dirname, 'race-child.mjs')
// Writers per round, rounds: the race needs a waiter's lock attempt to meet the holder's sweep.
const WRITERS = Number(process.env.RACE_WRITERS ?? 24)
const ROUNDS = Number(process.env.RACE_ROUNDS ?? 2)

type Outcome = { code: number | null; stdout: string; stderr: string }

function runChild(bundle: string, dir: string, n: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, bundle, dir, FIXTURE, String(n)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('error', reject)
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('many processes writing one store at once', () => {
  let bundle = ''
  beforeAll(async () => {
    bundle = await bundleSnapshotStore('race-bundle-')
  })

  it(
    `${WRITERS} concurrent writers x ${ROUNDS} rounds: every save succeeds, one after the other`,
    { timeout: 120_000 },
    async () => {
      const dir = tempDir('race-')
      const saved = new Map<string, string>()
      const failures: string[] = []
      for (let round = 0; round < ROUNDS; round++) {
        const outcomes = await Promise.all(
          Array.from({ length: WRITERS }, (_, i) => runChild(bundle, dir, round * WRITERS + i)),
        )
        outcomes.forEach((o, i) => {
          if (o.code !== 0) failures.push(`writer ${round * WRITERS + i}: exit ${o.code}: ${o.stderr.trim()}`)
          else {
            const r = JSON.parse(o.stdout) as { id: string; created: boolean; contentHash: string }
            expect(r.created).toBe(true)
            saved.set(r.id, r.contentHash)
          }
        })
      }
      expect(failures).toEqual([])
      expect(saved.size).toBe(WRITERS * ROUNDS)
      const store = await createSnapshotStore({ dir, appVersion: 'check' })
      expect(store.problems()).toEqual([])
      expect(await store.verify()).toEqual([])
      const listed = new Map((await store.list()).map((m) => [m.id, m.contentHash]))
      expect(listed).toEqual(saved)
      for (const id of saved.keys()) expect((await store.load(id)).models).toHaveLength(40)
      expect(readdirSync(dir).filter((n) => n.includes('write.lock') || n.endsWith('.tmp'))).toEqual([])
    },
  )
})
