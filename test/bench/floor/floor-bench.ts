import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import type { RawModel } from '../../../src/shared/model/raw'
import { createHandlers } from '../../../src/main/ipc/handlers'
import { startHarness } from '../../harness/harness-server'
import { startFakeOpenRouter } from '../../fake-openrouter/server'
import { seedHarnessStore } from '../catalogs'
import { median, quantile } from '../measure'
import { fps, heapUsed } from '../renderer-bench'
import { startFloorServer } from './floor-server'
import { measureMainPayload, type MainPayload } from './main-payload'
import { installPageProbes, loadPage, scrollFrames, typeAndMeasure, wholeListFrames } from './page-probes'

/** One page's figures over every load of a size. */
export interface PageFigures {
  /** Navigation to the frame after the first row (median over loads, each in a fresh context). */
  firstRowsMs: number
  domContentLoadedMs: number
  domContentLoadedMinMs: number
  domContentLoadedMaxMs: number
  /** Key event to the last change of the results before 300 ms of quiet. */
  keystrokeMedianMs: number
  keystrokeP95Ms: number
  keystrokes: number
  /** 240 px a frame. */
  scrollFps: number
  /** The whole list, top to bottom, in WHOLE_LIST_FRAMES frames. */
  wholeListFps: number
  wholeListP95FrameMs: number
  /** JS heap after GC, after load, search and scroll (median over the rounds that measure it). */
  heapMb: number
}

export interface SideBySideFigures {
  models: number
  loads: number
  app: PageFigures
  floor: PageFigures
  main: MainPayload
}

export interface SideBySideOptions {
  browser: Browser
  models: RawModel[]
  /** Loads of each page, each in a fresh browser context, rounds interleaved. */
  loads: number
  /** The last this-many rounds also type, scroll and read the heap. */
  interactiveRounds: number
  typed: string
  scrollMs: number
  rendererDir?: string
}

const WHOLE_LIST_FRAMES = 180

interface Samples {
  first: number[]
  dcl: number[]
  keys: number[]
  scroll: number[]
  whole: number[]
  heap: number[]
}

const empty = (): Samples => ({ first: [], dcl: [], keys: [], scroll: [], whole: [], heap: [] })

function summarise(s: Samples): PageFigures {
  return {
    firstRowsMs: median(s.first),
    domContentLoadedMs: median(s.dcl),
    domContentLoadedMinMs: Math.min(...s.dcl),
    domContentLoadedMaxMs: Math.max(...s.dcl),
    keystrokeMedianMs: median(s.keys),
    keystrokeP95Ms: quantile(s.keys, 0.95),
    keystrokes: s.keys.length,
    scrollFps: fps(s.scroll),
    wholeListFps: fps(s.whole),
    wholeListP95FrameMs: quantile(s.whole, 0.95),
    heapMb: median(s.heap) / (1024 * 1024),
  }
}

/**
 * Model Deck (browser harness over the real handlers, store seeded with `models` and the usual
 * allowed subset) and the floor page (the same public `/models` records), measured in one run:
 * round by round, alternating which page goes first, so a busy moment on the machine costs both.
 */
export async function benchSideBySide(opts: SideBySideOptions): Promise<SideBySideFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'md-bench-floor-'))
  const fake = await startFakeOpenRouter()
  const floor = await startFloorServer(opts.models)
  try {
    const harness = await startHarness({
      dataDir,
      apiBase: fake.url,
      ...(opts.rendererDir ? { rendererDir: opts.rendererDir } : {}),
    })
    try {
      await seedHarnessStore(harness, opts.models)
      // The same handlers the harness dispatches to; before any page loads, so the browser does
      // not share the cores with it.
      const main = await measureMainPayload(createHandlers(harness.services), opts.loads)

      const pages = [
        { name: 'floor', url: floor.url, samples: empty() },
        { name: 'app', url: `${harness.url}#/catalog`, samples: empty() },
      ] as const
      const errors: string[] = []
      for (let round = 0; round < opts.loads; round++) {
        const interactive = round >= opts.loads - opts.interactiveRounds
        for (const p of round % 2 === 0 ? pages : [...pages].reverse()) {
          const context = await opts.browser.newContext({ viewport: { width: 1360, height: 860 } })
          try {
            await context.addInitScript(installPageProbes)
            const page = await context.newPage()
            page.on('pageerror', (err) => errors.push(`${p.name}: ${err.message}`))
            const t = await loadPage(page, p.url, errors)
            p.samples.first.push(t.firstRowsMs)
            p.samples.dcl.push(t.domContentLoadedMs)
            if (!interactive) continue
            p.samples.keys.push(...(await typeAndMeasure(page, opts.typed)))
            p.samples.scroll.push(...(await scrollFrames(page, opts.scrollMs)))
            p.samples.whole.push(...(await wholeListFrames(page, WHOLE_LIST_FRAMES)))
            p.samples.heap.push(await heapUsed(page))
          } finally {
            await context.close()
          }
        }
      }
      return {
        models: opts.models.length,
        loads: opts.loads,
        floor: summarise(pages[0].samples),
        app: summarise(pages[1].samples),
        main,
      }
    } finally {
      await harness.close()
    }
  } finally {
    await floor.close()
    await fake.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
