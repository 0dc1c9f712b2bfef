import { loadavg } from 'node:os'
import type { Browser } from 'playwright-core'
import { launchBrowser } from '../e2e/browser'
import { realModels, syntheticModels } from './catalogs'
import { benchLogic, type LogicFigures } from './logic-bench'
import { benchRenderer, type RendererFigures } from './renderer-bench'
import { describeMachine, FigureBook, type BenchReport } from './report'
import { benchSnapshots, type SnapshotSeries } from './snapshot-bench'
import { benchSideBySide, type SideBySideFigures } from './floor/floor-bench'
import { addSideBySide } from './floor/floor-report'
import { mib } from './measure'
import { runHistoryBench } from './history-bench'
import { runChangesBench } from './changes-bench'

export interface BenchOptions {
  /** The synthetic catalog sizes; the real one is always the recorded 549 models. */
  medium: number
  large: number
  /** Timed runs per pure-logic and store figure (after warm-up). */
  repeats: number
  /** First loads timed, each in a fresh browser context. */
  coldLoads: number
  /** Page reloads timed after the first load. */
  reloads: number
  typed: { real: string; large: string }
  scrollMs: number
  /** Model Deck beside its floor page: loads of each per size, and how many of them also type and scroll. */
  sideBySide: { loads: number; interactiveRounds: number }
  rendererDir?: string
  /** Only the catalog screen figures (skips pure logic and snapshots), for quick work on the UI. */
  rendererOnly?: boolean
  /** Only these sizes; all three by default. */
  sizes?: readonly Size[]
  /** Snapshot counts at which the history of price changes is measured (issue 14): disk and read times. */
  history: number[]
  log?: (line: string) => void
}

export const FULL: BenchOptions = {
  medium: 10_000,
  large: 100_000,
  repeats: 7,
  coldLoads: 9,
  reloads: 5,
  typed: {
    real: 'claude\bgpt-4o\bqwen\bgemini flash\bllama 70b\bmistral',
    large: 'claude\bgpt-4o\bqwen\bgemini',
  },
  scrollMs: 3_000,
  sideBySide: { loads: 5, interactiveRounds: 2 },
  history: [1, 10, 100, 1000],
}

/** Everything `npm test` needs to prove the bench still runs end to end: tiny and quick. */
export const SMOKE: BenchOptions = {
  medium: 200,
  large: 300,
  repeats: 1,
  coldLoads: 1,
  reloads: 1,
  typed: { real: 'cl\b', large: 'gp' },
  scrollMs: 300,
  sideBySide: { loads: 1, interactiveRounds: 1 },
  history: [1, 3],
}

const TARGETS = {
  firstRows: { op: '<=', value: 300 },
  keystrokeReal: { op: '<=', value: 16 },
  keystrokeLarge: { op: '<=', value: 50 },
  scrollFps: { op: '>=', value: 55 },
  diffMedium: { op: '<', value: 100 },
  openLatest: { op: '<', value: 50 },
  unchangedBytes: { op: '<', value: 1024 },
  feedOpen: { op: '<', value: 500 },
  feedOpenWithStore: { op: '<', value: 1000 },
} as const

export type Size = 'real' | 'medium' | 'large'

function addLogic(book: FigureBook, size: Size, label: string, f: LogicFigures): void {
  const s = `Catalog logic (src/shared/model), ${label} models`
  book.add(s, `logic.${size}.parse-normalise`, 'Parse and normalise the catalog', f.parseNormaliseMs, 'ms')
  book.add(s, `logic.${size}.index`, 'Build the search index', f.indexMs, 'ms')
  book.add(s, `logic.${size}.keystroke-median`, 'Search, per keystroke (median)', f.keystrokeMedianMs, 'ms')
  book.add(
    s,
    `logic.${size}.keystroke-p95`,
    'Search, per keystroke (95th percentile)',
    f.keystrokeP95Ms,
    'ms',
  )
  book.add(s, `logic.${size}.filter`, 'Filter (image input, ≥100k context, ≤ $5/1M, tools)', f.filterMs, 'ms')
  book.add(s, `logic.${size}.sort`, 'Sort by prompt price, then name', f.sortMs, 'ms')
}

function addSnapshots(book: FigureBook, size: Size, label: string, f: SnapshotSeries): void {
  const s = `Snapshots (snapshot store and diff), ${label} models`
  const gzip = { op: '<=', value: f.gzip9Bytes } as const
  book.add(s, `snapshots.${size}.save-first`, 'Save the first snapshot', f.saveFirstMs, 'ms')
  book.add(
    s,
    `snapshots.${size}.first-bytes`,
    'Disk added by the first snapshot',
    f.firstBytes,
    'bytes',
    gzip,
  )
  book.add(
    s,
    `snapshots.${size}.gzip9-bytes`,
    'gzip -9 of the same records as compact JSON',
    f.gzip9Bytes,
    'bytes',
  )
  const unchanged = TARGETS.unchangedBytes
  book.add(
    s,
    `snapshots.${size}.unchanged-bytes`,
    'Disk added by an unchanged fetch',
    f.unchangedBytes,
    'bytes',
    unchanged,
  )
  book.add(
    s,
    `snapshots.${size}.changed-bytes`,
    'Disk added by a fetch with 5% changed',
    f.changedBytes,
    'bytes',
  )
  const open = size === 'real' ? TARGETS.openLatest : undefined
  book.add(
    s,
    `snapshots.${size}.open-latest`,
    'Open the store and load the latest snapshot',
    f.openLatestMs,
    'ms',
    open,
  )
  const diff = size === 'medium' ? TARGETS.diffMedium : undefined
  book.add(s, `snapshots.${size}.diff`, 'Diff two snapshots (5% changed), in memory', f.diffMs, 'ms', diff)
  book.add(s, `snapshots.${size}.load-and-diff`, 'Load both and diff (snapshots:diff)', f.loadAndDiffMs, 'ms')
}

function addRenderer(book: FigureBook, size: Size, label: string, f: RendererFigures): void {
  const s = `Catalog screen in headless Chromium, ${label} public + ${(f.main.models - f.models).toLocaleString('en')} allowed models`
  const keys = size === 'real' ? TARGETS.keystrokeReal : TARGETS.keystrokeLarge
  // The brief sets the first-rows target for the recorded catalog; at 100k it is measured, not judged.
  const first = size === 'real' ? TARGETS.firstRows : undefined
  book.add(
    s,
    `renderer.${size}.first-rows-cold`,
    'Navigation to first rows painted, first load in a fresh browser context (median)',
    f.firstRowsColdMs,
    'ms',
    first,
  )
  book.add(
    s,
    `renderer.${size}.first-rows`,
    'Navigation to first rows painted, reloads (median)',
    f.firstRowsMs,
    'ms',
    first,
  )
  book.add(
    s,
    `renderer.${size}.keystroke-median`,
    'Keystroke to rows updated and laid out (median)',
    f.keystrokeMedianMs,
    'ms',
    keys,
  )
  book.add(
    s,
    `renderer.${size}.keystroke-p95`,
    'Keystroke to rows updated and laid out (95th percentile)',
    f.keystrokeP95Ms,
    'ms',
    keys,
  )
  book.add(
    s,
    `renderer.${size}.keystroke-frame-median`,
    'Keystroke to the next frame after the update (median)',
    f.keystrokeFrameMedianMs,
    'ms',
  )
  book.add(
    s,
    `renderer.${size}.keystroke-frame-p95`,
    'Keystroke to the next frame after the update (95th percentile)',
    f.keystrokeFrameP95Ms,
    'ms',
  )
  book.add(
    s,
    `renderer.${size}.keystrokes`,
    'Keystrokes that changed the rows (measured)',
    f.keystrokes,
    'count',
  )
  book.add(s, `renderer.${size}.idle-fps`, 'Idle page frame rate (this machine’s ceiling)', f.idleFps, 'fps')
  const fps = size === 'large' ? TARGETS.scrollFps : undefined
  book.add(s, `renderer.${size}.scroll-fps`, 'Scrolling a screenful per frame', f.scrollFps, 'fps', fps)
  book.add(
    s,
    `renderer.${size}.scroll-p95-frame`,
    'Scrolling, 95th percentile frame time',
    f.scrollP95FrameMs,
    'ms',
  )
  book.add(
    s,
    `renderer.${size}.heap`,
    'Renderer JS heap after GC, peak (CDP JSHeapUsedSize)',
    f.heapPeakMb,
    'MiB',
  )
  book.add(s, `main.${size}.idle-rss`, 'Main process RSS, store open', mib(f.main.idleRss), 'MiB')
  book.add(
    s,
    `main.${size}.peak-rss`,
    'Main process peak RSS answering catalog:get',
    mib(f.main.peakRss),
    'MiB',
  )
  book.add(s, `main.${size}.heap`, 'Main process JS heap after catalog:get', mib(f.main.loadedHeap), 'MiB')
  book.add(
    s,
    `main.${size}.wire`,
    'catalog:get answer on the IPC wire (V8 serializer)',
    mib(f.main.wireBytes),
    'MiB',
  )
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const log = options.log ?? (() => undefined)
  const loadAtStart = loadavg()[0]!
  const real = realModels()
  const sizes: Record<Size, number> = { real: real.length, medium: options.medium, large: options.large }
  const book = new FigureBook()
  const sideBySide: Partial<Record<Size, SideBySideFigures>> = {}
  let browser: Browser | null = null
  let chromium: string | null = null
  try {
    // One size at a time, each catalog dropped before the next is made: a 100k catalog held in
    // memory would slow every other measurement with its garbage collection.
    for (const size of options.sizes ?? (['real', 'medium', 'large'] as const)) {
      const models = size === 'real' ? real : syntheticModels(real, sizes[size])
      const label = models.length.toLocaleString('en')
      // The large catalog takes seconds per run: fewer runs keep the whole bench within minutes.
      const repeats = size === 'large' ? Math.max(1, Math.ceil(options.repeats / 3)) : options.repeats
      if (!options.rendererOnly) {
        log(`catalog logic, ${label} models`)
        addLogic(book, size, label, benchLogic(models, repeats))
        log(`snapshots, ${label} models`)
        addSnapshots(book, size, label, await benchSnapshots(models, repeats))
      }
      browser ??= await launchBrowser()
      chromium = browser.version()
      log(`Model Deck beside its floor page, ${label} models`)
      const side = await benchSideBySide({
        browser,
        models,
        ...options.sideBySide,
        typed: size === 'real' ? options.typed.real : options.typed.large,
        scrollMs: options.scrollMs,
        ...(options.rendererDir ? { rendererDir: options.rendererDir } : {}),
      })
      sideBySide[size] = side
      addSideBySide(book, size, label, side)
      if (size === 'medium') continue
      log(`catalog screen, ${label} models`)
      const f = await benchRenderer({
        browser,
        models,
        coldLoads: options.coldLoads,
        reloads: options.reloads,
        typed: options.typed[size],
        scrollMs: options.scrollMs,
        ...(options.rendererDir ? { rendererDir: options.rendererDir } : {}),
      })
      addRenderer(book, size, label, f)
    }
    if (!options.rendererOnly && options.history.length) {
      log(`history: ${options.history.join(', ')} snapshots with 1% price changes`)
      const { figures } = await runHistoryBench({ sizes: options.history, log })
      const section = 'History (issue 14): the real catalog, each snapshot with 5-6 prompt prices changed'
      for (const f of figures) book.add(section, `history.${f.id}`, f.name, f.value, f.unit as 'ms' | 'bytes')
    }
    if (!options.rendererOnly && options.history.length) {
      log(`change feed: ${options.history.join(', ')} snapshots, cold and warm`)
      const { figures } = await runChangesBench({ sizes: options.history, log })
      const section =
        'Change feed (issue 14): the same history, opened as the CLI opens it (first 200 events)'
      for (const f of figures) {
        // The brief: "It opens in well under a second for 1,000 snapshots".
        // The window's store is already open; the CLI opens (and verifies) the store first.
        const target =
          f.id === '1000.warm-open-store'
            ? TARGETS.feedOpen
            : f.id === '1000.warm'
              ? TARGETS.feedOpenWithStore
              : undefined
        book.add(section, `changes.${f.id}`, f.name, f.value, f.unit as 'ms' | 'bytes' | 'count', target)
      }
    }
  } finally {
    await browser?.close()
  }
  return {
    generatedAt: new Date().toISOString(),
    sizes,
    machine: describeMachine(chromium, loadAtStart),
    figures: book.figures,
    sideBySide,
    notes: NOTES,
  }
}

const NOTES = [
  'Renderer figures go through the browser harness: IPC is HTTP + JSON to the same dispatch and services as in Electron, so the transport differs from Electron IPC; everything after it (store, Vue, layout) is the app.',
  'Keystroke times run from the keydown event (as the page saw it). "Updated and laid out" ends when the new rows are in the DOM and laid out (the probe reads a size to make the browser lay them out at once): the work a keystroke costs, held against the one-frame budget. "The next frame" ends at the animation frame after that, so it adds the wait for the display, up to a whole frame (16.7 ms) even for an update that cost nothing. A keystroke that left the rows unchanged is not counted.',
  'Scrolling moves the table 240 px per animation frame; fps counts requestAnimationFrame callbacks per second during the scroll.',
  'Main process memory is measured in a separate Node process that opens the store and answers catalog:get, so the bench itself is not counted.',
  'Store timings include fsync on every write and verify-on-open hashing, as the app does them.',
  'Side by side: the floor page (test/bench/floor/) and Model Deck load the same public records in one run, each load in a fresh browser context, rounds alternating which page goes first; the last rounds also type, scroll and read the heap. One probe module (page-probes.ts) measures both: first rows = the animation frame after the first row element enters the DOM; a keystroke runs from its key event to the last change of the results (each laid out at once) before 300 ms of quiet; fps and p95 frames from requestAnimationFrame intervals; heap = JSHeapUsedSize after HeapProfiler.collectGarbage.',
  'Main side of catalog:get: the real dispatch and handlers over the seeded store, timed in the bench process; its Result as JSON (the harness transport) and as V8 serializer bytes (Electron IPC copies it by structured clone), and the serialize + deserialize round trip.',
]
