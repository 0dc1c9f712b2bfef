import type { Figure, FigureBook, Target } from '../report'
import type { PageFigures, SideBySideFigures } from './floor-bench'

/** The sizes of issue 17's table, in its column order. */
export const SIDE_SIZES = ['real', 'medium', 'large'] as const
export type SideSize = (typeof SIDE_SIZES)[number]

const at = (op: Target['op'], value: number): Target => ({ op, value })

/** Issue 17's targets: ratios to the floor measured in the same run, plus three absolute ones. */
function targets(size: SideSize): Record<string, Target | undefined> {
  const synthetic = size !== 'real'
  return {
    'ratio.first-rows': at('<=', synthetic ? 1.5 : 2),
    'ratio.dom-content-loaded': at('<=', 2),
    'ratio.keystroke-median': at('<=', 1.5),
    'app.keystroke-p95': size === 'real' ? at('<=', 16) : undefined,
    'app.whole-list-fps': synthetic ? at('>=', 55) : undefined,
    'app.whole-list-p95-frame': synthetic ? at('<=', 20) : undefined,
    'ratio.heap': size === 'large' ? at('<=', 3) : undefined,
  }
}

const PAGE_FIGURES: [keyof PageFigures, string, string, 'ms' | 'fps' | 'MiB' | 'count'][] = [
  ['firstRowsMs', 'first-rows', 'navigation to first rows painted (median)', 'ms'],
  ['domContentLoadedMs', 'dom-content-loaded', 'navigation to DOMContentLoaded (median)', 'ms'],
  ['keystrokeMedianMs', 'keystroke-median', 'keystroke to the results settled (median)', 'ms'],
  ['keystrokeP95Ms', 'keystroke-p95', 'keystroke to the results settled (95th percentile)', 'ms'],
  ['keystrokes', 'keystrokes', 'keystrokes that changed the results (measured)', 'count'],
  ['scrollFps', 'scroll-fps', 'scrolling 240 px a frame', 'fps'],
  ['wholeListFps', 'whole-list-fps', 'the whole list top to bottom in 180 frames', 'fps'],
  ['wholeListP95FrameMs', 'whole-list-p95-frame', 'the whole list, 95th percentile frame', 'ms'],
  ['heapMb', 'heap', 'JS heap after GC, after load, search and scroll', 'MiB'],
]

/** Figures whose ratio Model Deck / floor is reported (the count of keystrokes is not a cost). */
const RATIOS = PAGE_FIGURES.filter(([, id]) => id !== 'keystrokes')

export function addSideBySide(book: FigureBook, size: SideSize, label: string, f: SideBySideFigures): void {
  const s = `Model Deck beside its floor page, ${label} models (${f.loads} loads each, interleaved)`
  const t = targets(size)
  for (const [key, id, text, unit] of PAGE_FIGURES) {
    book.add(s, `floor.${size}.app.${id}`, `Model Deck: ${text}`, f.app[key], unit, t[`app.${id}`])
    book.add(s, `floor.${size}.floor.${id}`, `Floor: ${text}`, f.floor[key], unit)
  }
  for (const [key, id, text] of RATIOS) {
    const ratio = f.app[key] / f.floor[key]
    book.add(s, `floor.${size}.ratio.${id}`, `Model Deck / floor: ${text}`, ratio, 'ratio', t[`ratio.${id}`])
  }
  const m = `Main side of catalog:get (the Electron IPC path), ${label} models`
  book.add(
    m,
    `ipc.${size}.load-ms`,
    'catalog:get dispatch, snapshot store to the Result (median)',
    f.main.loadMs,
    'ms',
  )
  book.add(
    m,
    `ipc.${size}.json-bytes`,
    'The Result as JSON (what the harness sends)',
    f.main.jsonBytes,
    'bytes',
  )
  book.add(
    m,
    `ipc.${size}.clone-bytes`,
    'The Result as V8 serializer bytes (structured clone)',
    f.main.cloneBytes,
    'bytes',
  )
  book.add(
    m,
    `ipc.${size}.clone-ms`,
    'v8.serialize + v8.deserialize round trip (median)',
    f.main.cloneMs,
    'ms',
  )
}

const n = (v: number, digits = 0) =>
  Number.isFinite(v)
    ? v.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a'
const x = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(1)}x` : 'n/a')
const mib = (bytes: number) => `${n(bytes / (1024 * 1024), 1)} MiB`

/** Issue 17's table: one column per size, "Model Deck / floor (ratio)" per cell. */
export function sideBySideTable(
  sides: Partial<Record<SideSize, SideBySideFigures>>,
  figures: readonly Figure[],
  load: { start: number; end: number },
): string[] {
  const sizes = SIDE_SIZES.filter((s) => sides[s])
  if (sizes.length === 0) return []
  const cols = sizes.map((s) => sides[s]!)
  const row = (title: string, cell: (f: SideBySideFigures) => string) =>
    `| ${title} | ${cols.map(cell).join(' | ')} |`
  const pair =
    (k: keyof PageFigures, digits = 0) =>
    (f: SideBySideFigures) =>
      `${n(f.app[k], digits)} / ${n(f.floor[k], digits)} (${x(f.app[k], f.floor[k])})`
  return [
    '## Model Deck and its floor, side by side',
    '',
    `Medians. Each cell: Model Deck / floor (ratio). The floor is a bare page over the same public \`/models\` records (test/bench/floor/). Load average (1 min) ${load.start.toFixed(2)} at the start of the run, ${load.end.toFixed(2)} at the end.`,
    '',
    `| figure | ${cols.map((f) => `${n(f.models)} Model Deck / floor`).join(' | ')} |`,
    `|---|${cols.map(() => '---').join('|')}|`,
    row('navigation -> first rows painted (ms)', pair('firstRowsMs')),
    row(
      'of which before any data: DOMContentLoaded (ms, median; range)',
      (f) =>
        `${n(f.app.domContentLoadedMs)} / ${n(f.floor.domContentLoadedMs)} (${x(f.app.domContentLoadedMs, f.floor.domContentLoadedMs)}); ${n(f.app.domContentLoadedMinMs)}-${n(f.app.domContentLoadedMaxMs)} / ${n(f.floor.domContentLoadedMinMs)}-${n(f.floor.domContentLoadedMaxMs)}`,
    ),
    row(
      'search keystroke -> results settled, median / p95 (ms)',
      (f) =>
        `${n(f.app.keystrokeMedianMs, 1)} / ${n(f.app.keystrokeP95Ms, 1)} vs ${n(f.floor.keystrokeMedianMs, 1)} / ${n(f.floor.keystrokeP95Ms, 1)} (${x(f.app.keystrokeMedianMs, f.floor.keystrokeMedianMs)}; ${x(f.app.keystrokeP95Ms, f.floor.keystrokeP95Ms)})`,
    ),
    row('scroll, 240 px a frame (fps)', pair('scrollFps')),
    row(
      'scroll, the whole list top to bottom in ~180 frames (fps; p95 frame)',
      (f) =>
        `${n(f.app.wholeListFps)} (${n(f.app.wholeListP95FrameMs)} ms) / ${n(f.floor.wholeListFps)} (${n(f.floor.wholeListP95FrameMs)} ms)`,
    ),
    row('JS heap after load, search and scroll (MiB)', pair('heapMb', 1)),
    row(
      'main side: catalog:get (ms; JSON; V8 clone bytes; clone round trip ms)',
      (f) =>
        `${n(f.main.loadMs)} ms; ${mib(f.main.jsonBytes)}; ${mib(f.main.cloneBytes)}; ${n(f.main.cloneMs)} ms`,
    ),
    '',
    'Targets of issue 17 (bench figures, never test assertions):',
    '',
    ...figures
      .filter((f) => f.id.startsWith('floor.') && f.target)
      .map((f) => {
        const value = f.unit === 'ratio' ? `${n(f.value, 2)}x` : `${n(f.value, 1)} ${f.unit}`
        const goal = f.unit === 'ratio' ? `${f.target!.value}x` : `${f.target!.value} ${f.unit}`
        const models = sides[f.id.split('.')[1] as SideSize]?.models ?? Number.NaN
        return `- ${n(models)} models, ${f.label}: ${value}, target ${f.target!.op} ${goal}: ${f.pass ? 'met' : '**missed**'}`
      }),
    '',
  ]
}
