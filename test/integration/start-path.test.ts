import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
import { copyProject, root } from '../helpers/project-copy'
import { runNpm, type NpmRun } from '../helpers/run-npm'
import {
  FUSE_SENTINEL,
  parseStandInLog,
  startElectronMirror,
  type ElectronMirror,
} from '../helpers/stand-in-electron'

/**
 * The README's way to start the app, on a clean copy of the project: `npm run dev` must fetch the
 * Electron binary through Electron's own installer (here from a loopback mirror serving a
 * stand-in) and launch it on the built main entry. `preview` and `dist` then use that binary, and
 * a download that cannot happen ends in one clear message. Only the real binary is out of reach
 * here; `npm run test:electron` checks the app inside it on a desktop.
 */

const electronVersion = (
  JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }
).version

type Run = NpmRun
const npm = runNpm

/** A user's environment, minus whatever this test run would otherwise leak into the child. */
function userEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const leaks =
    /^(ELECTRON_(EXEC_PATH|OVERRIDE_DIST_PATH|RUN_AS_NODE|SKIP_BINARY_DOWNLOAD|RENDERER_URL)|npm_)/i
  const kept = Object.entries(process.env).filter(([name]) => !leaks.test(name))
  return { ...Object.fromEntries(kept), ...extra }
}

describe.runIf(process.platform === 'linux')(
  'starting the app on a fresh machine (stand-in Electron)',
  () => {
    let project: string
    let mirror: ElectronMirror
    let cache: string
    let log: string
    let env: NodeJS.ProcessEnv
    const electronPkg = () => join(project, 'node_modules/electron')

    beforeAll(async () => {
      project = copyProject('md-start-')
      mirror = await startElectronMirror(electronVersion)
      cache = mkdtempSync(join(tmpdir(), 'md-electron-cache-'))
      log = join(project, 'stand-in-launch.log')
      env = userEnv({
        ELECTRON_MIRROR: mirror.url,
        electron_use_remote_checksums: '1',
        electron_config_cache: cache,
        MODEL_DECK_STANDIN_LOG: log,
      })
    })

    afterAll(async () => {
      await mirror?.close()
      for (const dir of [project, cache]) if (dir) rmSync(dir, { recursive: true, force: true })
    })

    it('the copy starts as a new user has it: no Electron binary, no path.txt, an empty cache', () => {
      expect(existsSync(join(electronPkg(), 'path.txt'))).toBe(false)
      expect(existsSync(join(electronPkg(), 'dist'))).toBe(false)
      expect(existsSync(join(electronPkg(), 'install.js'))).toBe(true)
    })

    it('`npm run dev` downloads Electron from the mirror, writes path.txt and launches it on the built main entry', async () => {
      const run = await npm(project, ['run', 'dev'], env)
      expect(run.code, run.stdout + run.stderr).toBe(0)
      expect(run.stdout).toContain(`Downloading Electron ${electronVersion}`)

      const zip = `/v${electronVersion}/electron-v${electronVersion}-${process.platform}-${process.arch}.zip`
      expect(mirror.requests).toContain(zip)
      expect(mirror.requests).toContain(`/v${electronVersion}/SHASUMS256.txt`)
      expect(readFileSync(join(electronPkg(), 'path.txt'), 'utf8')).toBe('electron')
      expect(readFileSync(join(electronPkg(), 'dist/electron'), 'latin1')).toContain(
        'Model Deck stand-in Electron',
      )
      expect(statSync(join(electronPkg(), 'dist/electron')).mode & 0o111).not.toBe(0)

      const launch = parseStandInLog(readFileSync(log, 'utf8'))
      // electron-vite starts Electron on the project folder; Electron then loads package.json "main".
      expect(launch.argv[0]).toBe('.')
      expect(launch.cwd).toBe(project)
      const main = (JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { main: string }).main
      expect(main).toBe('./out/main/index.js')
      expect(readFileSync(join(project, main), 'utf8')).toContain('registerSchemesAsPrivileged')
      expect(existsSync(join(project, 'out/preload/index.cjs'))).toBe(true)
      // The renderer comes from the dev server in development.
      expect(launch.envNames).toContain('ELECTRON_RENDERER_URL')
    })

    it('`npm run preview` uses the binary already there: nothing is downloaded again', async () => {
      const asked = mirror.requests.length
      rmSync(log, { force: true })
      const run = await npm(project, ['run', 'preview'], env)
      expect(run.code, run.stdout + run.stderr).toBe(0)
      expect(run.stdout).not.toContain('Downloading Electron')
      expect(mirror.requests.length).toBe(asked)
      const launch = parseStandInLog(readFileSync(log, 'utf8'))
      expect(launch.argv[0]).toBe('.')
      expect(launch.envNames).not.toContain('ELECTRON_RENDERER_URL')
    })

    it('`npm run dist` packs that same binary, with the fuses flipped', async () => {
      const asked = mirror.requests.length
      const run = await npm(project, ['run', 'dist', '--', '--linux', 'dir', '--publish', 'never'], env)
      expect(run.code, run.stdout + run.stderr).toBe(0)
      expect(mirror.requests.length).toBe(asked)
      const packed = join(project, 'dist/linux-unpacked/model-deck')
      expect(readFileSync(packed, 'latin1')).toContain('Model Deck stand-in Electron')
      expect(readFileSync(packed, 'latin1')).toContain(FUSE_SENTINEL)
      const wire = await getCurrentFuseWire(packed)
      expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE)
      expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE)
      expect(existsSync(join(project, 'dist/linux-unpacked/resources/app.asar'))).toBe(true)
    })
  },
)

describe.runIf(process.platform === 'linux')('when Electron cannot be downloaded', () => {
  let project: string
  let cache: string
  let mirror: ElectronMirror

  beforeAll(async () => {
    project = copyProject('md-start-refused-')
    cache = mkdtempSync(join(tmpdir(), 'md-electron-cache-'))
    mirror = await startElectronMirror(electronVersion, 'not-found')
  })

  afterAll(async () => {
    await mirror?.close()
    for (const dir of [project, cache]) if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('`npm run test:electron` without a binary says so in one sentence, exits 0 and downloads nothing', async () => {
    mirror.mode = 'ok'
    const asked = mirror.requests.length
    const run = await npm(
      project,
      ['run', '--silent', 'test:electron'],
      userEnv({
        ELECTRON_MIRROR: mirror.url,
        electron_use_remote_checksums: '1',
        electron_config_cache: cache,
      }),
    )
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(run.stdout.trim()).toBe(
      'Skipped the real-Electron suite: no Electron binary here (run `npm run dev` once online, or set ELECTRON_OVERRIDE_DIST_PATH).',
    )
    expect(mirror.requests.length).toBe(asked)
    expect(existsSync(join(project, 'node_modules/electron/path.txt'))).toBe(false)
  })

  const refusals: { mode: 'not-found' | 'bad-checksum' | 'offline'; cause: RegExp }[] = [
    { mode: 'not-found', cause: /the server answered HTTP 404/ },
    { mode: 'bad-checksum', cause: /did not match its checksum/ },
    { mode: 'offline', cause: /the network could not be reached/ },
  ]

  it.each(refusals)(
    '$mode: `npm run dev` exits non-zero with the cause and the two ways out',
    async ({ mode, cause }) => {
      let mirrorUrl = mirror.url
      if (mode === 'offline') {
        // A port nothing listens on: the connection is refused, as on a machine with no network.
        mirrorUrl = 'http://127.0.0.1:9/'
      } else {
        mirror.mode = mode
      }
      const launchLog = join(project, 'stand-in-launch.log')
      const run = await npm(
        project,
        ['run', 'dev'],
        userEnv({
          ELECTRON_MIRROR: mirrorUrl,
          electron_use_remote_checksums: '1',
          electron_config_cache: cache,
          MODEL_DECK_STANDIN_LOG: launchLog,
        }),
      )
      expect(run.code).not.toBe(0)
      expect(run.stderr).toContain(
        `Could not download Electron ${electronVersion} for ${process.platform}-${process.arch}`,
      )
      expect(run.stderr).toMatch(cause)
      expect(run.stderr).toContain('ELECTRON_MIRROR')
      expect(run.stderr).toContain('npx install-electron')
      // No stack trace: the trace is kept in a log file the message names.
      expect(run.stderr).not.toMatch(/^\s+at /m)
      const logFile = /full output is in (\S+)/.exec(run.stderr)?.[1]
      expect(logFile && readFileSync(logFile, 'utf8')).toMatch(/Error/)
      expect(existsSync(join(project, 'node_modules/electron/path.txt'))).toBe(false)
      expect(existsSync(launchLog)).toBe(false)
    },
  )
})

describe('a too-old Node at `npm install`', () => {
  let dir: string

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'md-old-node-'))
    for (const name of ['package-lock.json', '.npmrc'])
      writeFileSync(join(dir, name), readFileSync(join(root, name)))
  })

  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /** npm stops at once, before fetching anything, with its one engine message. */
  function expectOneEngineMessage(run: Run, required: string) {
    expect(run.code).not.toBe(0)
    expect(run.stderr).toContain('EBADENGINE')
    expect(run.stderr).toContain(`Required: {"node":"${required}"}`)
    // No wall of per-package warnings: only the project itself is named.
    expect(run.stderr.match(/Unsupported engine/g)?.length).toBe(1)
    expect(existsSync(join(dir, 'node_modules'))).toBe(false)
  }

  it('the project .npmrc makes npm refuse at once with one engine message (Node shown as too old)', async () => {
    // The running Node is new enough, so the project's own requirement is raised past it: the same
    // check a Node 20 user meets, with nothing downloaded.
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }
    pkg.engines.node = '>=99'
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg))
    const run = await npm(dir, ['install', '--no-audit', '--no-fund'], userEnv({}), 60_000)
    expectOneEngineMessage(run, '>=99')
  })

  /** The machine's own Node when it is older than the project needs (Debian's or the image's). */
  const oldNode = ['/usr/bin/node', '/usr/local/bin/node']
    .filter((p) => existsSync(p))
    .map((path) => ({ path, version: spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout.trim() }))
    .find(({ version }) => Number(/^v(\d+)/.exec(version)?.[1] ?? 99) < 22)

  it.runIf(oldNode !== undefined)(
    "with the machine's own older Node, the real requirement is the message",
    async () => {
      const { path, version } = oldNode!
      writeFileSync(join(dir, 'package.json'), readFileSync(join(root, 'package.json')))
      // npm itself is a Node script: with the old Node first on PATH it runs on that Node, as for the user.
      const run = await npm(
        dir,
        ['install', '--no-audit', '--no-fund'],
        userEnv({ PATH: `${dirname(path)}:/usr/bin:/bin` }),
        60_000,
      )
      expectOneEngineMessage(run, '>=22.12')
      expect(run.stderr).toContain(`"node":"${version}"`)
    },
  )
})
