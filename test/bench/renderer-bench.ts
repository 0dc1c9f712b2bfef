import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import type { RawModel } from '../../src/shared/model/raw'
import { startHarness } from '../harness/harness-server'
import { startFakeOpenRouter } from '../fake-openrouter/server'
import { screenshot } from '../e2e/browser'
import { seedHarnessStore } from './catalogs'
import { measureMainMemory, type MainMemory } from './main-memory'
import { median, quantile } from './measure'

/** Shape of the probes the init script leaves on window. */
interface Probe {
  firstRowAt: number | null
  firstRowFrameAt: number | null
  key: { at: number; domAt: number | null; laidOutAt: number | null; frameAt: number | null } | null
}
type ProbeWindow = Window & { __bench: Probe }

/**
 * Runs in the page before the app: notes when the first catalog row enters the DOM and the frame
 * after it, and, per keystroke in the search box, when the table first changes, when that change is
 * laid out, and the frame after.
 */
function installProbes(): void {
  const probe: Probe = { firstRowAt: null, firstRowFrameAt: null, key: null }
  ;(window as unknown as ProbeWindow).__bench = probe
  // Only the table and its count answer a keystroke; the search box's own clear button does not.
  const inResults = (r: MutationRecord) => {
    const el = r.target instanceof Element ? r.target : r.target.parentElement
    return el?.closest('[data-testid="catalog-table"],[data-testid="catalog-count"]') != null
  }
  const onMutation = (records: MutationRecord[]) => {
    if (probe.firstRowAt === null && document.querySelector('[data-testid="catalog-row"]')) {
      probe.firstRowAt = performance.now()
      requestAnimationFrame(() => (probe.firstRowFrameAt = performance.now()))
    }
    const key = probe.key
    if (key && key.domAt === null && records.some(inResults)) {
      key.domAt = performance.now()
      // Reading a size makes the browser lay the new rows out now rather than at the next frame:
      // the same work, moved into the keystroke's own task so it can be timed.
      void document.querySelector<HTMLElement>('[data-testid="catalog-table"]')?.offsetHeight
      key.laidOutAt = performance.now()
      requestAnimationFrame(() => (key.frameAt = performance.now()))
    }
  }
  new MutationObserver(onMutation).observe(document, {
    childList: true,
    subtree: true,
    characterData: true,
  })
  // Capture phase on window: the earliest moment the page sees the key, before any handler runs.
  window.addEventListener(
    'keydown',
    (event) => {
      if ((event.target as HTMLElement | null)?.dataset?.testid === 'catalog-search') {
        probe.key = { at: event.timeStamp, domAt: null, laidOutAt: null, frameAt: null }
      }
    },
    true,
  )
}

export interface RendererFigures {
  models: number
  /**
   * Navigation start to the frame that shows the first rows: first loads (each in a fresh browser
   * context, so no HTTP or code cache and a new renderer process), then reloads; medians of each.
   */
  firstRowsColdMs: number
  firstRowsMs: number
  /** Keydown to the new rows in the DOM and laid out: the work a keystroke costs. */
  keystrokeMedianMs: number
  keystrokeP95Ms: number
  /** Keydown to the next animation frame after that: adds the wait for the display's next frame. */
  keystrokeFrameMedianMs: number
  keystrokeFrameP95Ms: number
  keystrokes: number
  /** requestAnimationFrame rate of the idle page: the ceiling for scrolling on this machine. */
  idleFps: number
  scrollFps: number
  scrollP95FrameMs: number
  heapPeakMb: number
  main: MainMemory
}

export interface RendererOptions {
  browser: Browser
  models: RawModel[]
  rendererDir?: string
  /** First loads, each in a fresh browser context. */
  coldLoads: number
  /** Page loads measured after the first (cold) one. */
  reloads: number
  /** Text typed into the search box, one measured keystroke per character; "\b" clears the box. */
  typed: string
  scrollMs: number
}

async function waitForProbe(page: Page, what: 'first-row' | 'key', timeoutMs: number): Promise<boolean> {
  try {
    await page.waitForFunction(
      (w) => {
        const p = (window as unknown as ProbeWindow).__bench
        return w === 'first-row' ? p.firstRowFrameAt !== null : p.key?.frameAt != null
      },
      what,
      { timeout: timeoutMs, polling: 'raf' },
    )
    return true
  } catch {
    return false
  }
}

async function firstRows(page: Page, url: string | null, errors: string[]): Promise<number> {
  // A reload, not a second goto: the same URL with a hash would not load the page again.
  if (url) await page.goto(url, { waitUntil: 'commit' })
  else await page.reload({ waitUntil: 'commit' })
  if (!(await waitForProbe(page, 'first-row', 120_000))) {
    const shot = await screenshot(page, 'bench-no-catalog-rows')
    throw new Error(
      `No catalog row appeared at ${url} (see ${shot}). Page errors: ${errors.join(' | ') || 'none'}`,
    )
  }
  return page.evaluate(() => (window as unknown as ProbeWindow).__bench.firstRowFrameAt!)
}

type KeyTimes = { laidOut: number; frame: number }

/** Each character typed separately; from its keydown to the rows laid out, and to the frame after. */
async function typeAndMeasure(page: Page, typed: string): Promise<KeyTimes[]> {
  const search = page.getByTestId('catalog-search')
  await search.click()
  const times: KeyTimes[] = []
  for (const char of typed) {
    await page.evaluate(() => ((window as unknown as ProbeWindow).__bench.key = null))
    if (char === '\b') {
      await search.selectText()
      await page.keyboard.press('Backspace')
    } else {
      await page.keyboard.type(char)
    }
    // A keystroke that changes nothing on screen (same rows) has no update to time.
    if (await waitForProbe(page, 'key', 3_000)) {
      const key = await page.evaluate(() => (window as unknown as ProbeWindow).__bench.key!)
      times.push({ laidOut: key.laidOutAt! - key.at, frame: key.frameAt! - key.at })
    }
    await page.waitForTimeout(60)
  }
  return times
}

/**
 * Frame intervals over `ms`: with `scroll`, the table moves 240 px (about 7 rows) every frame;
 * without, the page idles, which shows the frame rate this Chromium manages at all.
 */
function frameIntervals(page: Page, ms: number, scroll: boolean): Promise<number[]> {
  return page.evaluate(
    async ([duration, move]) => {
      const el = document.querySelector<HTMLElement>('[data-testid="catalog-table"]')!
      el.scrollTop = 0
      const frames: number[] = []
      await new Promise<void>((resolve) => {
        let last = 0
        let start = 0
        const step = (t: number) => {
          if (start === 0) start = t
          else frames.push(t - last)
          last = t
          if (move)
            el.scrollTop = el.scrollTop + el.clientHeight >= el.scrollHeight - 1 ? 0 : el.scrollTop + 240
          if (t - start < duration) requestAnimationFrame(step)
          else resolve()
        }
        requestAnimationFrame(step)
      })
      return frames
    },
    [ms, scroll] as const,
  )
}

export const fps = (frames: number[]) =>
  frames.length ? (frames.length / frames.reduce((a, b) => a + b, 0)) * 1000 : Number.NaN

/** The page's live JS heap: garbage (such as a parsed answer already unpacked) is collected first. */
export async function heapUsed(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('HeapProfiler.collectGarbage')
  await cdp.send('Performance.enable')
  const { metrics } = await cdp.send('Performance.getMetrics')
  await cdp.detach()
  return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN
}

/**
 * The catalog screen in headless Chromium, served by the harness over a store seeded with `models`
 * (public list) and the usual allowed subset (the key's list), as the app would show them after a fetch.
 */
export async function benchRenderer(opts: RendererOptions): Promise<RendererFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'md-bench-renderer-'))
  const fake = await startFakeOpenRouter()
  try {
    const harness = await startHarness({
      dataDir,
      apiBase: fake.url,
      ...(opts.rendererDir ? { rendererDir: opts.rendererDir } : {}),
    })
    try {
      const profile = await seedHarnessStore(harness, opts.models)
      const main = await measureMainMemory(dataDir, profile)
      const url = `${harness.url}#/catalog`
      const errors: string[] = []
      const openPage = async () => {
        const context = await opts.browser.newContext({ viewport: { width: 1360, height: 860 } })
        await context.addInitScript(installProbes)
        const page = await context.newPage()
        page.on('pageerror', (err) => errors.push(err.message))
        return { context, page }
      }
      // One first load alone is mostly noise on a shared machine: take several, each from scratch.
      const coldLoads: number[] = []
      for (let i = 1; i < opts.coldLoads; i++) {
        const fresh = await openPage()
        coldLoads.push(await firstRows(fresh.page, url, errors))
        await fresh.context.close()
      }
      const { context, page } = await openPage()
      try {
        const heap: number[] = []
        coldLoads.push(await firstRows(page, url, errors))
        const loads: number[] = []
        for (let i = 0; i < opts.reloads; i++) {
          harness.ipcLog.length = 0
          loads.push(await firstRows(page, null, errors))
        }
        heap.push(await heapUsed(page))
        const keys = await typeAndMeasure(page, opts.typed)
        heap.push(await heapUsed(page))
        const idle = await frameIntervals(page, Math.min(1_000, opts.scrollMs), false)
        const frames = await frameIntervals(page, opts.scrollMs, true)
        heap.push(await heapUsed(page))
        harness.ipcLog.length = 0

        return {
          models: opts.models.length,
          firstRowsColdMs: median(coldLoads),
          firstRowsMs: loads.length ? median(loads) : median(coldLoads),
          keystrokeMedianMs: median(keys.map((k) => k.laidOut)),
          keystrokeP95Ms: quantile(
            keys.map((k) => k.laidOut),
            0.95,
          ),
          keystrokeFrameMedianMs: median(keys.map((k) => k.frame)),
          keystrokeFrameP95Ms: quantile(
            keys.map((k) => k.frame),
            0.95,
          ),
          keystrokes: keys.length,
          idleFps: fps(idle),
          scrollFps: fps(frames),
          scrollP95FrameMs: quantile(frames, 0.95),
          heapPeakMb: Math.max(...heap) / (1024 * 1024),
          main,
        }
      } finally {
        await context.close()
      }
    } finally {
      await harness.close()
    }
  } finally {
    await fake.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
