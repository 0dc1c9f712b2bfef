import { build } from 'esbuild'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { RawModel } from '../../../src/shared/model/raw'

const FIXTURES = join(__dirname, '../../fixtures/openrouter')

export function fixtureBody(name: string): { data: RawModel[] } & Record<string, unknown> {
  return JSON.parse(gunzipSync(readFileSync(join(FIXTURES, name))).toString('utf8'))
}

/** The public catalog of 2026-08-19 (549 models). */
export const allModels = (): RawModel[] => fixtureBody('models-all-2026-08-19.json.gz').data
/** An allowed catalog of 2026-05-16 (356 models). */
export const userModels = (): RawModel[] => fixtureBody('models-2026-05-16.json.gz').data

const made: string[] = []

export function tempDir(prefix = 'snapshots-'): string {
  const dir = mkdtempSync(join(tmpdir(), `model-deck-${prefix}`))
  made.push(dir)
  return dir
}

export function cleanupTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
}

/** Every file under dir with the sha256 of its bytes: equal maps mean the folder was not touched. */
export function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = join(d, name)
      if (statSync(full).isDirectory()) walk(full)
      else out[relative(dir, full)] = createHash('sha256').update(readFileSync(full)).digest('hex')
    }
  }
  walk(dir)
  return out
}

/** Sum of file sizes (apparent bytes) under dir. */
export function bytesOnDisk(dir: string, skip: (rel: string) => boolean = () => false): number {
  let total = 0
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = join(d, name)
      const st = statSync(full)
      if (st.isDirectory()) walk(full)
      else if (!skip(relative(dir, full))) total += st.size
    }
  }
  walk(dir)
  return total
}

/** A catalog where `count` models got a new prompt price, as a routine price change would look. */
export function withPriceChanges(models: RawModel[], count: number, seed = 1): RawModel[] {
  const copy = structuredClone(models)
  for (let i = 0; i < count; i++) {
    const m = copy[(i * 37 + seed * 11) % copy.length]!
    const pricing = (m.pricing ?? {}) as Record<string, unknown>
    m.pricing = { ...pricing, prompt: `0.00000${seed}${i}` }
  }
  return copy
}

export const clock = (start = Date.parse('2026-08-19T10:00:00Z')) => {
  let t = start
  return () => new Date((t += 60_000))
}

/**
 * The snapshot store bundled into one .mjs file, for child processes (killed writers, racing
 * writers) that must run the real store code without a TypeScript loader.
 */
export async function bundleSnapshotStore(prefix: string): Promise<string> {
  const outfile = join(tempDir(prefix), 'snapshot-store.mjs')
  await build({
    entryPoints: [join(__dirname, '../../../src/main/services/snapshots/snapshot-store.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    outfile,
    logLevel: 'error',
  })
  return outfile
}
