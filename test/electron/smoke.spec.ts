import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import keytar from '@github/keytar'
import { _electron, chromium, type Browser, type ElectronApplication, type Page } from 'playwright-core'
import { startHarness } from '../harness/harness-server'
import { startFakeOpenRouter, TEST_KEYS, type FakeOpenRouter } from '../fake-openrouter/server'

/**
 * The app inside real Electron: `npm run test:electron` runs this wherever a binary is present
 * (scripts/test-electron.mjs passes it in MODEL_DECK_ELECTRON_BINARY) and skips in one sentence
 * otherwise. It is the only place the Electron glue runs for real: the window and its isolation,
 * the preload's assertions, the sender check, app:// with its CSP, keytar, and a packaged build.
 */

const root = resolve(import.meta.dirname, '../..')
const binary = process.env.MODEL_DECK_ELECTRON_BINARY ?? ''
const SERVICE = 'Model Deck'
const ROWS = '[data-testid="catalog-row"]'

/** The app's userData on Linux is $XDG_CONFIG_HOME/<productName>; HOME covers macOS. */
function appEnv(home: string, fake: FakeOpenRouter): Record<string, string> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
  )
  delete env.ELECTRON_RUN_AS_NODE
  return { ...env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), MODEL_DECK_API_BASE: fake.url }
}

function dataDirOf(home: string): string {
  return process.platform === 'darwin'
    ? join(home, 'Library/Application Support/Model Deck')
    : join(home, '.config/Model Deck')
}

/** A data folder with the personal test key in the keychain and one snapshot of each catalog. */
async function seed(home: string, fake: FakeOpenRouter): Promise<string> {
  const dataDir = dataDirOf(home)
  mkdirSync(dataDir, { recursive: true })
  const harness = await startHarness({ dataDir, apiBase: fake.url })
  const profile = await harness.services.keys.activeId()
  await harness.services.keys.set(profile, TEST_KEYS.personal)
  await harness.services.catalog.refresh({})
  await harness.close()
  return profile
}

describe.runIf(binary !== '')('Model Deck in real Electron', () => {
  let fake: FakeOpenRouter
  let home: string
  let profile: string
  let app: ElectronApplication
  let page: Page

  beforeAll(async () => {
    if (!existsSync(join(root, 'out/main/index.js'))) {
      const built = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' })
      if (built.status !== 0) throw new Error('npm run build failed')
    }
    fake = await startFakeOpenRouter()
    home = mkdtempSync(join(tmpdir(), 'md-electron-home-'))
    profile = await seed(home, fake)
    app = await _electron.launch({ executablePath: binary, args: [root], cwd: root, env: appEnv(home, fake) })
    page = await app.firstWindow()
    await page.waitForSelector(ROWS, { timeout: 30_000 })
  }, 120_000)

  afterAll(async () => {
    await app?.close()
    await fake?.close()
    if (profile) await keytar.deletePassword(SERVICE, profile).catch(() => undefined)
    if (home) rmSync(home, { recursive: true, force: true })
  })

  it('opens the window on the catalog, from app://', async () => {
    expect(page.url()).toMatch(/^app:\/\/model-deck\//)
    expect(await page.locator(ROWS).count()).toBeGreaterThan(10)
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1)
  })

  it('gives the page no Node: process, require and ipcRenderer are absent, window.api is frozen', async () => {
    const shape = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>
      return {
        process: typeof w.process,
        require: typeof w.require,
        ipcRenderer: typeof w.ipcRenderer,
        electron: typeof w.electron,
        frozen: Object.isFrozen(window.api) && Object.values(window.api).every((v) => Object.isFrozen(v)),
      }
    })
    expect(shape).toEqual({
      process: 'undefined',
      require: 'undefined',
      ipcRenderer: 'undefined',
      electron: 'undefined',
      frozen: true,
    })
  })

  it("holds the preload's assertions: the real window passes them, a weakened one is refused", async () => {
    // Our window got its bridge, so process.contextIsolated and process.sandboxed held in its preload.
    expect(await page.evaluate(() => typeof window.api.catalog.get)).toBe('function')
    // The same preload in a window with isolation or the sandbox turned off must refuse to run.
    const preload = join(root, 'out/preload/index.cjs')
    const errors = await app.evaluate(async ({ BrowserWindow }, preloadPath) => {
      const tryWith = (webPreferences: Record<string, unknown>) =>
        new Promise<string>((done) => {
          const w = new BrowserWindow({
            show: false,
            webPreferences: { preload: preloadPath, ...webPreferences },
          })
          w.webContents.on('preload-error', (_e, _path, error) => {
            done(error.message)
            w.destroy()
          })
          w.webContents.on('did-finish-load', () => setTimeout(() => done('no error'), 1000))
          void w.loadURL('about:blank')
        })
      return {
        isolationOff: await tryWith({ contextIsolation: false, sandbox: true }),
        sandboxOff: await tryWith({ contextIsolation: true, sandbox: false }),
      }
    }, preload)
    expect(errors.isolationOff).toContain('requires contextIsolation')
    expect(errors.sandboxOff).toContain('requires the renderer sandbox')
  })

  it('refuses a call from a second, foreign frame', async () => {
    await page.evaluate(() => {
      const frame = document.createElement('iframe')
      frame.id = 'foreign'
      frame.srcdoc = '<p>foreign</p>'
      document.body.append(frame)
      return new Promise((r) => frame.addEventListener('load', r))
    })
    const frame = page.frames().find((f) => f !== page.mainFrame())!
    // The preload runs in the main frame only, so a sub-frame gets no bridge at all.
    expect(await frame.evaluate(() => typeof (window as unknown as { api?: unknown }).api)).toBe('undefined')
    // And main's sender check refuses a message that claims to come from that frame.
    const answers = await app.evaluate(async ({ BrowserWindow, ipcMain }) => {
      const wc = BrowserWindow.getAllWindows()[0]!.webContents
      type Handler = (event: unknown, payload: unknown) => Promise<{ ok: boolean; error?: { code: string } }>
      const handlers = (ipcMain as unknown as { _invokeHandlers: Map<string, Handler> })._invokeHandlers
      const handler = handlers.get('settings:get')!
      const from = async (frame: unknown) => {
        const r = await handler({ sender: wc, senderFrame: frame }, {})
        return r.ok ? 'answered' : (r.error?.code ?? 'refused')
      }
      return { own: await from(wc.mainFrame), foreign: await from(wc.mainFrame.frames[0]) }
    })
    expect(answers).toEqual({ own: 'answered', foreign: 'forbidden-sender' })
    await page.evaluate(() => document.getElementById('foreign')?.remove())
  })

  it('serves app:// with the CSP header and refuses paths that climb out of the renderer', async () => {
    const res = await page.evaluate(async () => {
      const index = await fetch('app://model-deck/index.html')
      const climb = await fetch('app://model-deck/%2e%2e/%2e%2e/package.json').catch(() => null)
      return { csp: index.headers.get('content-security-policy'), climb: climb?.status ?? 0 }
    })
    expect(res.csp).toContain("default-src 'self'")
    expect(res.csp).toContain("object-src 'none'")
    expect([0, 400, 403, 404]).toContain(res.climb)
  })

  it('reads the key from the OS keychain, and stores a new one there', async () => {
    await page.click('nav a[href="#/settings"]')
    await page.waitForSelector('[data-testid="key-label"]', { timeout: 20_000 })
    await page.fill('[data-testid="key-input"]', TEST_KEYS.work)
    await page.click('[data-testid="key-submit"]')
    await page.waitForSelector('[data-testid="key-saved"]', { timeout: 20_000 })
    expect(await keytar.getPassword(SERVICE, profile)).toBe(TEST_KEYS.work)
  })
})

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolvePort(port))
    })
  })
}

describe.runIf(binary !== '' && process.platform === 'linux')(
  'the packaged app (electron-builder --dir)',
  () => {
    let fake: FakeOpenRouter
    let home: string
    let profile: string
    let child: ChildProcess
    let browser: Browser
    let out: string

    beforeAll(async () => {
      out = mkdtempSync(join(tmpdir(), 'md-electron-dist-'))
      const built = spawnSync(
        process.execPath,
        [
          join(root, 'node_modules/electron-builder/cli.js'),
          '--linux',
          'dir',
          '--publish',
          'never',
          `-c.electronDist=${dirname(binary)}`,
          `-c.directories.output=${out}`,
        ],
        { cwd: root, stdio: 'inherit' },
      )
      if (built.status !== 0) throw new Error('electron-builder --dir failed')
      fake = await startFakeOpenRouter()
      home = mkdtempSync(join(tmpdir(), 'md-electron-home-'))
      profile = await seed(home, fake)
      // The fuses turn off Node's inspector in a packaged build, so Playwright's Electron launcher
      // cannot attach: the page is reached through Chromium's own remote debugging port instead.
      const port = await freePort()
      child = spawn(join(out, 'linux-unpacked/model-deck'), [`--remote-debugging-port=${port}`], {
        env: appEnv(home, fake),
        stdio: 'ignore',
      })
      const deadline = Date.now() + 30_000
      for (;;) {
        try {
          browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`)
          break
        } catch (err) {
          if (Date.now() > deadline) throw err
          await new Promise((r) => setTimeout(r, 300))
        }
      }
    }, 300_000)

    afterAll(async () => {
      await browser?.close().catch(() => undefined)
      child?.kill()
      await fake?.close()
      if (profile) await keytar.deletePassword(SERVICE, profile).catch(() => undefined)
      for (const dir of [home, out]) if (dir) rmSync(dir, { recursive: true, force: true })
    })

    it('starts, shows the catalog, and loads keytar from app.asar.unpacked', async () => {
      const page = await (async () => {
        for (let i = 0; i < 100; i++) {
          const found = browser.contexts().flatMap((c) => c.pages())[0]
          if (found) return found
          await new Promise((r) => setTimeout(r, 200))
        }
        throw new Error('the packaged app opened no window')
      })()
      await page.waitForSelector(ROWS, { timeout: 30_000 })
      await page.click('nav a[href="#/settings"]')
      await page.waitForSelector('[data-testid="key-label"]', { timeout: 20_000 })
      const maps = readFileSync(`/proc/${child.pid}/maps`, 'utf8')
      expect(maps).toMatch(/app\.asar\.unpacked\/node_modules\/@github\/keytar\/.+\.node/)
    })
  },
)
