import { afterAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { runNpm } from '../helpers/run-npm'

/**
 * Every `npm run <script>` the README names is run by a test. The first round shipped a README
 * whose `npm run dev` failed on every machine while the suite was green: this file keeps a list
 * of where each command is run, fails when the README names one that no test runs, and runs here
 * the ones no other test does.
 */

const root = resolve(import.meta.dirname, '../..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const scripts = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts

/** Where each script is run by a test (this file runs the ones marked `here`). */
const RUN_BY: Record<string, string> = {
  dev: 'test/integration/start-path.test.ts',
  preview: 'test/integration/start-path.test.ts',
  dist: 'test/integration/start-path.test.ts',
  'test:electron': 'test/integration/start-path.test.ts',
  build: 'scripts/test.mjs', // npm test's own build step
  harness: 'here',
  bench: 'here',
  cli: 'here',
  'test:unit': 'here',
}

const named = [...new Set([...readme.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!))]

const npm = (args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 240_000) =>
  runNpm(root, args, { ...process.env, ...env }, timeoutMs)

describe('the commands the README names', () => {
  const temp: string[] = []
  afterAll(() => {
    for (const dir of temp) rmSync(dir, { recursive: true, force: true })
  })

  it('are all package scripts, and each is run by a test', () => {
    expect(named.length).toBeGreaterThanOrEqual(8)
    for (const name of named) {
      expect(scripts, `README names npm run ${name}, which package.json lacks`).toHaveProperty(name)
      expect(
        RUN_BY,
        `README names npm run ${name}, which no test runs: add it to RUN_BY and run it`,
      ).toHaveProperty(name)
      const where = RUN_BY[name]!
      if (where !== 'here') expect(readFileSync(join(root, where), 'utf8')).toContain(`'${name}'`)
    }
  })

  it('`npm run harness` serves the app against the fake OpenRouter, and stops on Ctrl+C', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'md-readme-harness-'))
    temp.push(dataDir)
    const child = spawn('npm', ['run', '--silent', 'harness'], {
      cwd: root,
      env: { ...process.env, PORT: '0', NO_BROWSER: '1', MODEL_DECK_HARNESS_DATA: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so Ctrl+C can be sent as a terminal sends it: to the whole group.
      detached: true,
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    const url = await new Promise<string>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`harness printed no address:\n${out}`)), 90_000)
      child.stdout.on('data', () => {
        const m = /Model Deck:\s+(http:\/\/127\.0\.0\.1:\d+\S*)/.exec(out)
        if (m) {
          clearTimeout(timer)
          done(m[1]!)
        }
      })
    })
    const page = await fetch(url)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<div id="app"')
    expect(out).toMatch(/A valid test key for Settings: sk-or-v1-test/)
    const exited = new Promise<string>((done) =>
      child.on('close', (code, signal) => done(signal ?? `exit ${code}`)),
    )
    // A terminal's Ctrl+C goes to the foreground group: npm, its shell and the harness, which closes
    // its servers and exits 0.
    process.kill(-child.pid!, 'SIGINT')
    // npm itself ends by the signal (or 0, by version); what the user sees is that everything stopped.
    expect(['SIGINT', 'exit 0']).toContain(await exited)
    await expect(fetch(url)).rejects.toThrow()
  }, 120_000)

  it('`npm run bench -- --smoke` measures every figure and writes its report', async () => {
    const out = mkdtempSync(join(tmpdir(), 'md-readme-bench-'))
    temp.push(out)
    const run = await npm(['run', '--silent', 'bench', '--', '--smoke', `--out=${out}`], {}, 400_000)
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(existsSync(join(out, 'report.json'))).toBe(true)
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      figures: { value: unknown }[]
    }
    expect(report.figures.length).toBeGreaterThan(5)
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('|')
  }, 420_000)

  it('`npm run test:unit` runs the unit project only (here on one folder)', async () => {
    const run = await npm(['run', '--silent', 'test:unit', '--', 'src/shared/pricing'], { NO_COLOR: '1' })
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(run.stdout).toMatch(/Tests\s+\d+ passed/)
    expect(run.stdout).toContain('unit')
    expect(run.stdout).not.toMatch(/\b(integration|e2e)\b/)
  })

  it('`npm run cli -- --help` runs the built headless commands', async () => {
    const run = await npm(['run', '--silent', 'cli', '--', '--help'])
    expect(run.code, run.stderr).toBe(0)
    for (const command of ['fetch', 'snapshot', 'diff', 'export', 'key'])
      expect(run.stdout).toContain(command)
  })
})
