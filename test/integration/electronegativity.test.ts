import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/**
 * Electronegativity (Doyensec's Electron scanner) over the main and preload sources and the built
 * app. It runs in a child process with its network client replaced by one that fails at once: the
 * scanner otherwise fetches translations and Electron's release list, and crashes offline after
 * writing its results. Its release-list check is the one excluded (Electron's currency is
 * package.json's business); every other check runs.
 */

const root = resolve(import.meta.dirname, '../..')
const BLOCKING = new Set(['HIGH', 'MEDIUM'])
const RESULT_MARK = '@@electronegativity@@'
const electronVersion = (
  JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }
).version

const CHILD = `
const Module = require('node:module')
const path = require('node:path')
const enegDir = path.dirname(require.resolve('@doyensec/electronegativity/package.json'))
const gotPath = require.resolve('got', { paths: [enegDir] })
const offline = () => Promise.reject(new Error('no network in this scan'))
offline.head = offline
const stub = new Module(gotPath)
Object.assign(stub, { filename: gotPath, loaded: true, exports: offline })
require.cache[gotPath] = stub
const run = require('@doyensec/electronegativity')
const [input, electronVersion] = process.argv.slice(1)
run({
  input,
  isRelative: true,
  isVerbose: false,
  customScan: [],
  excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
  electronVersionOverride: electronVersion,
  parserPlugins: [],
}, false).then(
  (r) => {
    process.stdout.write('\\n${RESULT_MARK}' + JSON.stringify(r) + '\\n')
    process.exit(0)
  },
  (e) => {
    console.error(e && e.stack || e)
    process.exit(1)
  },
)
`

interface Issue {
  id: string
  file: string
  sample?: string
  location: { line: number; column: number }
  severity: { name: string }
  confidence: { name: string }
  manualReview: boolean
}
interface ScanResult {
  globalChecks: number
  atomicChecks: number
  errors: { file: string; message: string; tolerable: boolean }[]
  issues: Issue[]
}
interface Waiver {
  check: string
  files: string[]
  line: string
  reason: string
}

function scan(input: string): ScanResult {
  const r = spawnSync(process.execPath, ['-e', CHILD, input, electronVersion], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LANG: 'en-US' },
    timeout: 60_000,
  })
  const line = r.stdout.split('\n').find((l) => l.startsWith(RESULT_MARK))
  if (!line)
    throw new Error(`Electronegativity printed no result (exit ${r.status}):\n${r.stdout}\n${r.stderr}`)
  return JSON.parse(line.slice(RESULT_MARK.length)) as ScanResult
}

const waivers = (
  JSON.parse(readFileSync(join(root, '.electronegativity-waivers.json'), 'utf8')) as { waivers: Waiver[] }
).waivers

const matches = (w: Waiver, i: Issue) =>
  w.check === i.id && w.files.includes(i.file) && (i.sample ?? '').includes(w.line)
const blocking = (issues: Issue[]) => issues.filter((i) => BLOCKING.has(i.severity.name))
const describeIssue = (i: Issue) =>
  `${i.id} ${i.severity.name}/${i.confidence.name} ${i.file}:${i.location.line} ${(i.sample ?? '').trim().slice(0, 120)}`

describe('Electronegativity security scan', () => {
  let work: string
  const results: Record<'sources' | 'built', ScanResult> = {} as never

  beforeAll(() => {
    if (!existsSync(join(root, 'out/main/index.js'))) {
      const built = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' })
      if (built.status !== 0) throw new Error('npm run build failed')
    }
    // One folder for main and preload together, so the global checks (navigation limits, permission
    // handler, CSP) see the whole app rather than reporting the preload alone as missing them.
    work = mkdtempSync(join(tmpdir(), 'md-eneg-'))
    const sources = join(work, 'sources')
    mkdirSync(sources)
    cpSync(join(root, 'src/main'), join(sources, 'main'), { recursive: true })
    cpSync(join(root, 'src/preload'), join(sources, 'preload'), { recursive: true })
    cpSync(join(root, 'package.json'), join(sources, 'package.json'))
    results.sources = scan(sources)
    // The built app without the renderer's JS chunks: that page runs sandboxed and isolated, so no
    // Electron API is reachable from it (test/e2e/shell.e2e.test.ts proves window.api is all it has),
    // its chunks are mostly third-party code whose ES2022 syntax the scanner cannot parse, and its
    // only matches are our own bridge's names (api.shell.openExternal). index.html stays for the CSP checks.
    const built = join(work, 'built')
    cpSync(join(root, 'out'), built, {
      recursive: true,
      filter: (path) => !/[\\/]renderer[\\/]assets[\\/].+\.js$/.test(path),
    })
    cpSync(join(root, 'package.json'), join(built, 'package.json'))
    results.built = scan(built)
  }, 120_000)

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true })
  })

  it.each(['sources', 'built'] as const)('ran every check over the %s without parse failures', (which) => {
    const r = results[which]
    expect(r.atomicChecks).toBeGreaterThan(30)
    expect(r.globalChecks).toBeGreaterThanOrEqual(4)
    expect(r.errors.filter((e) => !e.tolerable)).toEqual([])
  })

  it.each(['sources', 'built'] as const)(
    'leaves no unexplained HIGH or MEDIUM finding in the %s',
    (which) => {
      const open = blocking(results[which].issues).filter((i) => !waivers.some((w) => matches(w, i)))
      expect(open.map(describeIssue)).toEqual([])
    },
  )

  it('keeps no waiver that matches nothing any more, and explains each one', () => {
    const all = [...results.sources.issues, ...results.built.issues]
    for (const w of waivers) {
      expect(w.reason.length, `${w.check} needs a reason`).toBeGreaterThan(40)
      expect(
        all.some((i) => matches(w, i)),
        `stale waiver ${w.check} ${w.line}`,
      ).toBe(true)
    }
  })

  it('would catch a window without isolation or sandbox, and an app without navigation limits', () => {
    const planted = join(work, 'planted')
    mkdirSync(join(planted, 'main'), { recursive: true })
    writeFileSync(
      join(planted, 'main/index.ts'),
      `import { BrowserWindow } from 'electron'
new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } })
`,
    )
    const found = blocking(scan(planted).issues)
    const ids = found.map((i) => i.id)
    expect(ids).toContain('CONTEXT_ISOLATION_JS_CHECK')
    expect(ids).toContain('SANDBOX_JS_CHECK')
    // No will-navigate handler anywhere in this app: the global check notices.
    expect(ids).toContain('LIMIT_NAVIGATION_GLOBAL_CHECK')
    expect(found.filter((i) => !waivers.some((w) => matches(w, i))).length).toBeGreaterThan(0)
  })
})
