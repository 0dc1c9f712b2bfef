import { loadavg } from 'node:os'
import { launchBrowser } from '../e2e/browser'
import { realModels, syntheticModels } from './catalogs'
import { benchLogic } from './logic-bench'
import { benchRenderer, type RendererFigures } from './renderer-bench'
import { describeMachine, FigureBook, type BenchReport } from './report'
import { benchSnapshots } from './snapshot-bench'
import { mib } from './measure'

export interface BenchOptions {
  /** The synthetic catalog sizes; the real one is always the recorded 549 models. */
  medium: number
  large: number
  /** Timed runs per pure-logic and store figure (after warm-up). */
  repeats: number
  /** Page reloads timed after the first load. */
  reloads: number
  typed: { real: string; large: string }
  scrollMs: number
  rendererDir?: string
  log?: (line: string) => void
}

export const FULL: BenchOptions = {
  medium: 10_000,
  large: 100_000,
  repeats: 7,
  reloads: 5,
  typed: { real: 'claude\bgpt-4o\bqwen', large: 'claude\bgpt-4o' },
  scrollMs: 3_000,
}

/** Everything `npm test` needs to prove the bench still runs end to end: tiny and quick. */
export const SMOKE: BenchOptions = {
  medium: 200,
  large: 300,
  repeats: 1,
  reloads: 1,
  typed: { real: 'cl\b', large: 'gp' },
  scrollMs: 300,
}

const TARGETS = {
  firstRows: { op: '<=', value: 300 },
  keystrokeReal: { op: '<=', value: 16 },
  keystrokeLarge: { op: '<=', value: 50 },
  scrollFps: { op: '>=', value: 55 },
  diffMedium: { op: '<', value: 100 },
  openLatest: { op: '<', value: 50 },
  unchangedBytes: { op: '<', value: 1024 },
} as const

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const log = options.log ?? (() => undefined)
  const loadAtStart = loadavg()[0]!
  const real = realModels()
  const catalogs = {
    real,
    medium: syntheticModels(real, options.medium),
    large: syntheticModels(real, options.large),
  }
  const n = (k: keyof typeof catalogs) => catalogs[k].length.toLocaleString('en')
  // The large catalog takes seconds per run: fewer runs keep the whole bench within minutes.
  const repeatsFor = (size: keyof typeof catalogs) =>
    size === 'large' ? Math.max(1, Math.ceil(options.repeats / 3)) : options.repeats
  const book = new FigureBook()
  const notes: string[] = []

  for (const size of ['real', 'medium', 'large'] as const) {
    log(`catalog logic, ${n(size)} models`)
    const f = benchLogic(catalogs[size], repeatsFor(size))
    const s = `Catalog logic (src/shared/model), ${n(size)} models`
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
    book.add(
      s,
      `logic.${size}.filter`,
      'Filter (image input, ≥100k context, ≤ $5/1M, tools)',
      f.filterMs,
      'ms',
    )
    book.add(s, `logic.${size}.sort`, 'Sort by prompt price, then name', f.sortMs, 'ms')
  }

  for (const size of ['real', 'medium', 'large'] as const) {
    log(`snapshots, ${n(size)} models`)
    const f = await benchSnapshots(catalogs[size], repeatsFor(size))
    const s = `Snapshots (snapshot store and diff), ${n(size)} models`
    book.add(s, `snapshots.${size}.save-first`, 'Save the first snapshot', f.saveFirstMs, 'ms')
    book.add(s, `snapshots.${size}.first-bytes`, 'Disk added by the first snapshot', f.firstBytes, 'bytes', {
      op: '<=',
      value: f.gzip9Bytes,
    })
    book.add(
      s,
      `snapshots.${size}.gzip9-bytes`,
      'gzip -9 of the same records as compact JSON',
      f.gzip9Bytes,
      'bytes',
    )
    book.add(
      s,
      `snapshots.${size}.unchanged-bytes`,
      'Disk added by an unchanged fetch',
      f.unchangedBytes,
      'bytes',
      TARGETS.unchangedBytes,
    )
    book.add(
      s,
      `snapshots.${size}.changed-bytes`,
      'Disk added by a fetch with 5% of models changed',
      f.changedBytes,
      'bytes',
    )
    book.add(
      s,
      `snapshots.${size}.open-latest`,
      'Open the store and load the latest snapshot (fresh process state)',
      f.openLatestMs,
      'ms',
      size === 'real' ? TARGETS.openLatest : undefined,
    )
    book.add(
      s,
      `snapshots.${size}.diff`,
      'Diff two snapshots (5% changed), records in memory',
      f.diffMs,
      'ms',
      size === 'medium' ? TARGETS.diffMedium : undefined,
    )
    book.add(
      s,
      `snapshots.${size}.load-and-diff`,
      'Load both snapshots and diff (snapshots:diff)',
      f.loadAndDiffMs,
      'ms',
    )
  }

  log('renderer: launching Chromium')
  const browser = await launchBrowser()
  const chromium = browser.version()
  try {
    for (const size of ['real', 'large'] as const) {
      log(`renderer, ${n(size)} models`)
      const f: RendererFigures = await benchRenderer({
        browser,
        models: catalogs[size],
        reloads: options.reloads,
        typed: options.typed[size],
        scrollMs: options.scrollMs,
        ...(options.rendererDir ? { rendererDir: options.rendererDir } : {}),
      })
      const s = `Catalog screen in headless Chromium (harness), ${n(size)} public + ${f.main.models - f.models} allowed models`
      book.add(
        s,
        `renderer.${size}.first-rows-cold`,
        'Navigation to first rows painted, first load',
        f.firstRowsColdMs,
        'ms',
        TARGETS.firstRows,
      )
      book.add(
        s,
        `renderer.${size}.first-rows`,
        'Navigation to first rows painted, reload (median)',
        f.firstRowsMs,
        'ms',
        TARGETS.firstRows,
      )
      const keyTarget = size === 'real' ? TARGETS.keystrokeReal : TARGETS.keystrokeLarge
      book.add(
        s,
        `renderer.${size}.keystroke-median`,
        'Search keystroke to rows updated and painted (median)',
        f.keystrokeMedianMs,
        'ms',
        keyTarget,
      )
      book.add(
        s,
        `renderer.${size}.keystroke-p95`,
        'Search keystroke to rows updated and painted (95th pct.)',
        f.keystrokeP95Ms,
        'ms',
        keyTarget,
      )
      book.add(
        s,
        `renderer.${size}.keystrokes`,
        'Keystrokes that changed the rows (measured)',
        f.keystrokes,
        'count',
      )
      book.add(
        s,
        `renderer.${size}.scroll-fps`,
        'Scrolling a screenful per frame',
        f.scrollFps,
        'fps',
        size === 'large' ? TARGETS.scrollFps : undefined,
      )
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
        'Renderer JS heap, peak of samples (CDP JSHeapUsedSize)',
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
      book.add(
        s,
        `main.${size}.heap`,
        'Main process JS heap after catalog:get',
        mib(f.main.loadedHeap),
        'MiB',
      )
      book.add(
        s,
        `main.${size}.wire`,
        'catalog:get answer on the IPC wire (V8 serializer)',
        mib(f.main.wireBytes),
        'MiB',
      )
    }
  } finally {
    await browser.close()
  }

  notes.push(
    'Renderer figures go through the browser harness: IPC is HTTP + JSON to the same dispatch and services as in Electron, so the transport differs from Electron IPC; everything after it (store, Vue, layout) is the app.',
    'Keystroke times run from the keydown event (as the page saw it) to the animation frame after the rows changed; a keystroke that left the rows unchanged is not counted.',
    'Scrolling moves the table 240 px per animation frame; fps is frames per second of requestAnimationFrame during the scroll.',
    'Main process memory is measured in a separate Node process that opens the store and answers catalog:get, so the bench itself is not counted.',
  )
  return {
    generatedAt: new Date().toISOString(),
    sizes: { real: catalogs.real.length, medium: options.medium, large: options.large },
    machine: describeMachine(chromium, loadAtStart),
    figures: book.figures,
    notes,
  }
}
