import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn, spawnSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { STALE_TEMP_AGE_MS, writeExportFile } from '../../src/main/services/export/write-export'
import { cleanupTempDirs, tempDir } from './snapshots/helpers'

afterAll(cleanupTempDirs)

const ROOT = join(__dirname, '../..')
let bundle = ''
beforeAll(async () => {
  bundle = join(tempDir('export-bundle-'), 'write-export.mjs')
  await build({
    entryPoints: [join(ROOT, 'src/main/services/export/write-export.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    outfile: bundle,
    logLevel: 'error',
  })
})

const modeOf = (path: string) => statSync(path).mode & 0o777
/** The umask as the shell reports it: read outside this process, not through the code under test. */
const umask = () => parseInt(spawnSync('sh', ['-c', 'umask'], { encoding: 'utf8' }).stdout.trim(), 8)
const age = (path: string, ms: number) => {
  const then = new Date(Date.now() - ms)
  utimesSync(path, then, then)
}

describe.skipIf(process.platform === 'win32')('export file permissions', () => {
  it('keeps the mode of the file it replaces', async () => {
    const dir = tempDir('export-mode-')
    for (const mode of [0o640, 0o644, 0o600, 0o664]) {
      const path = join(dir, `kept-${mode.toString(8)}.csv`)
      writeFileSync(path, 'old\n')
      chmodSync(path, mode)
      expect(modeOf(path)).toBe(mode)
      await writeExportFile(path, 'new\n')
      expect(readFileSync(path, 'utf8')).toBe('new\n')
      expect(modeOf(path), mode.toString(8)).toBe(mode)
    }
  })

  it('gives a new file 0666 less the umask, as any program would', async () => {
    const dir = tempDir('export-mode-')
    const path = join(dir, 'new.csv')
    await writeExportFile(path, 'x\n')
    expect(modeOf(path)).toBe(0o666 & ~umask())
  })

  it.each([
    ['027', 0o027],
    ['077', 0o077],
    ['002', 0o002],
  ])('honours a umask of %s for a new file', (_label, mask) => {
    const path = join(tempDir('export-mode-'), 'new.csv')
    const script = `const { writeExportFile } = await import(${JSON.stringify(bundle)}); await writeExportFile(process.argv[1], 'x')`
    const run = spawnSync(
      'sh',
      [
        '-c',
        `umask ${mask.toString(8)} && exec "$0" --input-type=module -e "$1" "$2"`,
        process.execPath,
        script,
        path,
      ],
      { encoding: 'utf8' },
    )
    expect(run.status, run.stderr).toBe(0)
    expect(modeOf(path)).toBe(0o666 & ~mask)
  })
})

describe('sweeping temp files a killed export left', () => {
  const ours = (name: string, hex = '0123456789ab') => `.${name}.model-deck-${hex}.tmp`

  it('removes only stale temp files of our exact name', async () => {
    const dir = tempDir('export-sweep-')
    const stale = [ours('catalog.csv'), ours('other file.xlsx', 'abcdefabcdef')]
    const fresh = ours('catalog.csv', 'ffffffffffff')
    const lookAlikes = [
      '.catalog.csv.0123456789ab.tmp', // the app's data writes: same folder maybe, not an export
      'catalog.csv.model-deck-0123456789ab.tmp', // no leading dot
      '.catalog.csv.model-deck-0123456789AB.tmp', // upper-case hex
      '.catalog.csv.model-deck-0123456789a.tmp', // 11 hex digits
      '.catalog.csv.model-deck-0123456789ab.tmp.bak',
      '.catalog.csv.model-deck-0123456789ab.temp',
      '.model-deck-0123456789ab.tmp', // no file name
      'notes.txt',
    ]
    for (const name of [...stale, ...lookAlikes]) {
      writeFileSync(join(dir, name), 'leftover')
      age(join(dir, name), STALE_TEMP_AGE_MS + 60_000)
    }
    writeFileSync(join(dir, fresh), 'an export writing right now')
    // A folder with our name is not a file we made.
    const folder = ours('folder.csv', 'cccccccccccc')
    mkdirSync(join(dir, folder))
    age(join(dir, folder), STALE_TEMP_AGE_MS + 60_000)

    await writeExportFile(join(dir, 'catalog.csv'), 'id\n')
    expect(readdirSync(dir).sort()).toEqual([...lookAlikes, fresh, folder, 'catalog.csv'].sort())
  })

  describe('after a real kill', () => {
    /** Starts an export of a large file in a child and SIGKILLs it while its temp file exists. */
    async function killMidExport(target: string): Promise<boolean> {
      const script = `
        const { writeExportFile } = await import(${JSON.stringify(bundle)})
        const bytes = Buffer.alloc(256 * 1024 * 1024, 0x61)
        process.stdout.write('ready\\n')
        await writeExportFile(${JSON.stringify(target)}, bytes)
      `
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let exited = false
      const done = new Promise<NodeJS.Signals | null>((resolve) =>
        child.once('exit', (_code, signal) => {
          exited = true
          resolve(signal)
        }),
      )
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))
      const dir = join(target, '..')
      while (!exited && !readdirSync(dir).some((n) => n.endsWith('.tmp')))
        await new Promise((r) => setTimeout(r, 1))
      child.kill('SIGKILL')
      return (await done) === 'SIGKILL' && readdirSync(dir).some((n) => n.endsWith('.tmp'))
    }

    it('leaves a temp file that the next export sweeps once it is stale', async () => {
      const dir = tempDir('export-kill-')
      const target = join(dir, 'big.csv')
      writeFileSync(target, 'the old export\n')
      let killed = false
      // The kill must land while the temp file exists; a fast disk can win the race, so try again.
      for (let attempt = 0; attempt < 5 && !killed; attempt++) killed = await killMidExport(target)
      expect(killed).toBe(true)
      expect(readFileSync(target, 'utf8')).toBe('the old export\n')
      const [left] = readdirSync(dir).filter((n) => n.endsWith('.tmp'))
      expect(left).toMatch(/^\.big\.csv\.model-deck-[0-9a-f]{12}\.tmp$/)

      // Still fresh: it could belong to an export in progress, so it stays.
      await writeExportFile(join(dir, 'other.csv'), 'a\n')
      expect(existsSync(join(dir, left!))).toBe(true)

      age(join(dir, left!), STALE_TEMP_AGE_MS + 1000)
      await writeExportFile(target, 'the new export\n')
      expect(readdirSync(dir).sort()).toEqual(['big.csv', 'other.csv'])
      expect(readFileSync(target, 'utf8')).toBe('the new export\n')
    })
  })
})
