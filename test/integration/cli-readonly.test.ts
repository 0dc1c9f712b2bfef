import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import Papa from 'papaparse'
import { cleanupTempDirs, tempDir } from './snapshots/helpers'
import { fillDisk, mountTmpfs, type Tmpfs } from './snapshots/mounts'

const ROOT = resolve(__dirname, '../..')
const CLI = join(ROOT, 'out/cli/model-deck.js')
const MAY = join(ROOT, 'test/fixtures/openrouter/models-2026-05-16.json.gz')

type Run = { status: number | null; stdout: string; stderr: string }

function cli(args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    // No server is needed: nothing here goes to the network; a dead address proves it.
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, MODEL_DECK_API_BASE: 'http://127.0.0.1:9' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('error', fail)
    child.on('close', (status) => done({ status, stdout, stderr }))
  })
}

/**
 * The offline commands on a data folder whose disk refuses writes: `snapshot list` and `export`
 * work as on any disk, and a write says why it cannot be done in one line.
 */
describe('model-deck on a disk that cannot be written', () => {
  let ro: Tmpfs
  let full: Tmpfs
  beforeAll(() => {
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build-cli.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
    })
    expect(build.status, build.stderr).toBe(0)
    ro = mountTmpfs('16m', 'cli-ro-')
    full = mountTmpfs('4m', 'cli-full-')
  })
  afterAll(() => {
    if (ro?.mounted) ro.remountWritable()
    ro?.unmount()
    full?.unmount()
    cleanupTempDirs()
  })

  async function importOne(dataDir: string): Promise<string> {
    const run = await cli(['--data-dir', dataDir, 'snapshot', 'import', MAY, '--source', 'all'])
    expect(run.status, run.stderr).toBe(0)
    return run.stdout.trim()
  }

  async function expectOfflineCommandsWork(dataDir: string, id: string, reason: RegExp): Promise<void> {
    const list = await cli(['--data-dir', dataDir, 'snapshot', 'list', '--json'])
    expect(list.status, list.stderr).toBe(0)
    expect(
      (JSON.parse(list.stdout) as { id: string; modelCount: number }[]).map((m) => [m.id, m.modelCount]),
    ).toEqual([[id, 356]])
    const table = await cli(['--data-dir', dataDir, 'snapshot', 'list'])
    expect(table.status, table.stderr).toBe(0)
    expect(table.stdout).toContain(id)

    const out = join(tempDir('cli-ro-out-'), 'models.csv')
    const exported = await cli(['--data-dir', dataDir, 'export', id, '--format', 'csv', '--out', out])
    expect(exported.status, exported.stderr).toBe(0)
    const rows = Papa.parse(readFileSync(out, 'utf8'), { header: true, skipEmptyLines: true }).data
    expect(rows).toHaveLength(356)

    const write = await cli(['--data-dir', dataDir, 'snapshot', 'import', MAY, '--source', 'user'])
    expect(write.status).toBe(1)
    expect(write.stderr.trim().split('\n')).toHaveLength(1)
    expect(write.stderr).toMatch(reason)
  }

  it('a real read-only mount', async () => {
    expect(ro.mounted, 'mount -t tmpfs failed: this test needs root').toBe(true)
    const dataDir = join(ro.dir, 'data')
    const id = await importOne(dataDir)
    expect(ro.remountReadOnly()).toBe(true)
    try {
      await expectOfflineCommandsWork(dataDir, id, /read-only file system \(EROFS/)
    } finally {
      ro.remountWritable()
    }
  })

  it('a real full disk', async () => {
    expect(full.mounted, 'mount -t tmpfs failed: this test needs root').toBe(true)
    const dataDir = join(full.dir, 'data')
    const id = await importOne(dataDir)
    fillDisk(full.dir)
    await expectOfflineCommandsWork(dataDir, id, /disk holding the snapshot store is full \(ENOSPC/)
  })
})
