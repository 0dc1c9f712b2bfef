import { describe, expect } from 'vitest'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join, relative, resolve } from 'node:path'
import { brotliDecompressSync, gunzipSync, inflateRawSync } from 'node:zlib'
import keytar from '@github/keytar'
import type { Page } from 'playwright-core'
import { TEST_KEYS, WRONG_KEY } from '../fake-openrouter/server'
import { newAppPage } from './browser'
import { appTest, KEYCHAIN_SERVICE } from './fixture'
import { addLogSink } from '../../src/main/log'
import type { Input } from '../../src/shared/ipc/contract'
import { unpackCatalogState } from '../../src/shared/catalog-wire'

/**
 * The key goes in once, through the Settings form, and must never come back out: not in an IPC
 * reply, a log line, an error, a file in the data folder or an export, nor in the page (DOM, input
 * values, storage, or the JavaScript heap). The fake server echoes the key back in errors on
 * purpose, as some proxies do, so scrubbing is exercised as well as plain good behaviour.
 */

const SECRETS = [TEST_KEYS.personal, WRONG_KEY]

/** The full key and every 12-character window of its secret part (after `sk-or-v1-`). */
function needlesOf(key: string): string[] {
  const secret = key.replace(/^sk-or-v1-/, '')
  const windows = new Set<string>([key])
  for (let i = 0; i + 12 <= secret.length; i++) windows.add(secret.slice(i, i + 12))
  return [...windows]
}
const NEEDLES = SECRETS.flatMap(needlesOf)

interface Evidence {
  where: string
  text: string
}

function leaksIn(evidence: Evidence[], needles = NEEDLES): string[] {
  const found: string[] = []
  for (const { where, text } of evidence) {
    const hit = needles.find((n) => text.includes(n))
    if (hit) found.push(`${where}: contains "${hit}"`)
  }
  return found
}

/** Text of a file as the app would read it back: brotli packs and gzip files are opened too. */
function fileTexts(path: string): string[] {
  const bytes = readFileSync(path)
  const texts = [bytes.toString('latin1')]
  if (path.endsWith('.br')) texts.push(brotliDecompressSync(bytes).toString('utf8'))
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) texts.push(gunzipSync(bytes).toString('utf8'))
  if (bytes.readUInt32LE(0) === 0x04034b50) texts.push(...zipEntries(bytes))
  return texts
}

/** The inflated entries of a zip (an .xlsx export), read from its central directory. */
function zipEntries(zip: Buffer): string[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  const count = zip.readUInt16LE(end + 10)
  let at = zip.readUInt32LE(end + 16)
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10)
    const size = zip.readUInt32LE(at + 20)
    const nameLength = zip.readUInt16LE(at + 28)
    const extra = zip.readUInt16LE(at + 30)
    const comment = zip.readUInt16LE(at + 32)
    const local = zip.readUInt32LE(at + 42)
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
    const data = zip.subarray(dataStart, dataStart + size)
    out.push((method === 8 ? inflateRawSync(data) : data).toString('utf8'))
    at += 46 + nameLength + extra + comment
  }
  return out
}

/** The renderer build the harness serves (see startHarness). */
function rendererDir(): string {
  return process.env.MODEL_DECK_RENDERER_DIR ?? resolve('out/renderer')
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((p) => statSync(p).isFile())
}

// What the story gathers as it goes, for the later tests to scan.
const logLines: string[] = []
const consoleLines: string[] = []
const pageEvidence: Evidence[] = []
/** A model id from the refreshed catalog: proves the scanners really read the packs and the exports. */
let sampleModelId = ''

// One window and one profile of this file's own for the whole story; main's log is read from before
// the harness starts.
const it = appTest({
  name: 'leak',
  ownProfile: 'e2e-leak',
  beforeHarness: () => addLogSink((level, line) => logLines.push(`${level}: ${line}`)),
})
  // eslint-disable-next-line no-empty-pattern
  .extend('exportDir', { scope: 'file' }, ({}, { onCleanup }) => {
    const dir = mkdtempSync(join(tmpdir(), 'md-e2e-leak-export-'))
    onCleanup(() => rmSync(dir, { recursive: true, force: true }))
    return dir
  })
  .extend('window', { scope: 'file' }, async ({ browser, app }, { onCleanup }) => {
    const opened = await newAppPage(browser, app.harness.url)
    onCleanup(() => opened.context.close())
    opened.page.on('console', (msg) => consoleLines.push(msg.text()))
    opened.page.on('pageerror', (err) => consoleLines.push(`${err.name}: ${err.message}\n${err.stack ?? ''}`))
    return opened
  })

/** Everything the page holds that a script or a screenshot could read. */
async function capturePage(page: Page, moment: string): Promise<void> {
  const state = await page.evaluate(() => {
    const storage = (s: Storage) => Object.entries(s).map(([k, v]) => `${k}=${v}`)
    return {
      html: document.documentElement.outerHTML,
      text: document.body.innerText,
      values: [...document.querySelectorAll('input, textarea, select')].map(
        (el) => (el as HTMLInputElement).value,
      ),
      local: storage(window.localStorage),
      session: storage(window.sessionStorage),
      url: location.href,
      title: document.title,
    }
  })
  pageEvidence.push(
    { where: `DOM html (${moment})`, text: state.html },
    { where: `DOM text (${moment})`, text: state.text },
    { where: `input values (${moment})`, text: state.values.join('\n') },
    { where: `localStorage (${moment})`, text: state.local.join('\n') },
    { where: `sessionStorage (${moment})`, text: state.session.join('\n') },
    { where: `location and title (${moment})`, text: `${state.url}\n${state.title}` },
  )
}

async function submitKey(page: Page, key: string): Promise<void> {
  await page.fill('[data-testid="key-input"]', key)
  await page.click('[data-testid="key-submit"]')
  await page.waitForSelector('[data-testid="key-submit"]:not([disabled])')
  await capturePage(page, `after submitting ${key === WRONG_KEY ? 'the wrong key' : 'the key'}`)
}

describe('the API key never leaks', () => {
  it('drives a full flow: set key, refresh, endpoints, export, wrong key, offline, clear', async ({
    window: { page },
    fake,
    harness,
    exportDir,
    profileId,
  }) => {
    await page.click('nav a[href="#/settings"]')
    await page.waitForSelector('[data-testid="key-none"]')

    // A proxy that echoes the Authorization header back in its 401.
    fake.setFault('/key', 'echo-key', { times: 1 })
    await submitKey(page, TEST_KEYS.personal)
    await expect.poll(() => page.locator('[data-testid="key-error"]').count()).toBe(1)

    await submitKey(page, TEST_KEYS.personal)
    await page.waitForSelector('[data-testid="key-badge-verified"]')

    fake.setFault('/models/user', 'echo-key', { times: 1 })
    await page.click('[data-testid="key-refresh-catalog"]')
    await page.waitForSelector('[data-testid="key-refresh-catalog"]:not([disabled])')
    await page.click('[data-testid="key-refresh-catalog"]')
    await page.waitForSelector('[data-testid="key-refreshed"]')
    await capturePage(page, 'after the catalog refresh')

    const catalog = await page.evaluate(async () => window.api.catalog.get({}))
    expect(catalog.ok).toBe(true)
    const user = catalog.ok ? unpackCatalogState(catalog.data).user : null
    expect(user?.models.length).toBeGreaterThan(100)
    const snapshotId = user!.meta.id
    sampleModelId = user!.models[0]!.id
    fake.setFault(/\/endpoints$/, 'echo-key', { times: 1 })
    for (const model of user!.models.slice(0, 4)) {
      await page.evaluate(async (input) => window.api.catalog.endpoints(input), {
        snapshotId,
        modelId: model.id,
        refresh: true,
      })
    }

    harness.setNextSavePath(join(exportDir, 'bundle.json.gz'))
    const bundle = await page.evaluate(async (id) => window.api.snapshots.exportBundle({ id }), snapshotId)
    expect(bundle).toMatchObject({ ok: true, data: { cancelled: false } })
    const formats: Input<'export:save'>['format'][] = ['csv', 'json', 'md', 'xlsx']
    for (const format of formats) {
      harness.setNextSavePath(join(exportDir, `catalog.${format}`))
      const saved = await page.evaluate(async (input) => window.api.export.save(input), {
        what: 'catalog' as const,
        format,
        snapshotId,
        raw: true,
      })
      expect(saved).toMatchObject({ ok: true, data: { cancelled: false } })
    }

    await page.click('[data-testid="test-connection"]')
    await page.waitForSelector('[data-testid="test-connection-result"]')
    fake.setFault('/key', 'echo-key', { times: 1 })
    await page.click('button:has-text("Check now")')
    await page.waitForSelector('[data-testid="key-badge-rejected"]')
    await capturePage(page, 'after a rejected re-check')

    await submitKey(page, WRONG_KEY)
    await page.waitForSelector('[data-testid="key-error"]')

    await fake.offline()
    await submitKey(page, TEST_KEYS.personal)
    await page.waitForSelector('[data-testid="key-prompt"]')
    await page.click('[data-testid="key-prompt"] button:has-text("Cancel")')
    await fake.online()

    await page.click('button:has-text("Remove key")')
    await page.click('[role="alertdialog"] button:has-text("Remove key")')
    await page.waitForSelector('[data-testid="key-none"]')
    await capturePage(page, 'after clearing the key')
    expect(await keytar.getPassword(KEYCHAIN_SERVICE, profileId)).toBeNull()

    const keyed = fake.requests.filter((r) => r.headers.authorization?.includes(TEST_KEYS.personal))
    // The flow really used the key, so the checks below are not vacuous.
    expect(keyed.length).toBeGreaterThan(3)
    expect(harness.ipcLog.some((e) => e.channel === 'key:set')).toBe(true)
  })

  it('finds the key in no IPC reply, log line or page error', ({ harness }) => {
    expect(harness.ipcLog.length).toBeGreaterThan(20)
    const evidence: Evidence[] = [
      ...harness.ipcLog.map((e, i) => ({
        where: `IPC reply #${i} ${e.channel}`,
        text: JSON.stringify(e.result),
      })),
      ...logLines.map((line, i) => ({ where: `log line #${i}`, text: line })),
      ...consoleLines.map((line, i) => ({ where: `page console #${i}`, text: line })),
    ]
    const errors = harness.ipcLog.filter((e) => !(e.result as { ok: boolean }).ok)
    // Rejections, echoed 401s and the offline attempt all produced error replies that were scanned.
    expect(errors.length).toBeGreaterThanOrEqual(3)
    expect(leaksIn(evidence)).toEqual([])
  })

  it('finds the key in no file of the data folder and no export', ({ dataDir, exportDir }) => {
    const files = [...filesUnder(dataDir), ...filesUnder(exportDir)]
    expect(files.some((f) => f.endsWith('.br'))).toBe(true)
    for (const name of ['bundle.json.gz', 'catalog.csv', 'catalog.json', 'catalog.md', 'catalog.xlsx']) {
      expect(files.map((f) => basename(f))).toContain(name)
    }
    const readable = (name: string) =>
      files.filter((f) => f.endsWith(name)).some((f) => fileTexts(f).some((t) => t.includes(sampleModelId)))
    for (const name of ['.br', 'bundle.json.gz', 'catalog.csv', 'catalog.xlsx'])
      expect(readable(name), name).toBe(true)
    const evidence = files.flatMap((file) =>
      fileTexts(file).map((text) => ({ where: relative(tmpdir(), file), text })),
    )
    expect(leaksIn(evidence)).toEqual([])
  })

  it('finds the key nowhere in the page: DOM, input values, storage or the JavaScript heap', async ({
    window: { context, page },
  }) => {
    expect(pageEvidence.length).toBeGreaterThan(20)
    expect(leaksIn(pageEvidence)).toEqual([])

    const cdp = await context.newCDPSession(page)
    await cdp.send('HeapProfiler.enable')
    await cdp.send('HeapProfiler.collectGarbage')
    const chunks: string[] = []
    cdp.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => chunks.push(chunk))
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
    const heap = chunks.join('')
    expect(heap.length).toBeGreaterThan(100_000)
    // The heap holds the app's own code too: decimal.js spells out "0123456789abcdef", which the fake
    // keys happen to contain. A window found in the shipped bundle is no evidence of a leak.
    const bundle = filesUnder(rendererDir())
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n')
    const meaningful = NEEDLES.filter((n) => !bundle.includes(n))
    expect(meaningful).toContain(TEST_KEYS.personal)
    expect(meaningful.length).toBeGreaterThan(NEEDLES.length / 2)
    expect(leaksIn([{ where: 'renderer heap', text: heap }], meaningful)).toEqual([])
  })
})
