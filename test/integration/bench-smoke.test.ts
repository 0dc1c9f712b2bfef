import { beforeAll, describe, expect, it } from 'vitest'
import { runBench, SMOKE } from '../bench/run-bench'
import { toMarkdown, type BenchReport } from '../bench/report'

/**
 * `npm run bench` at toy sizes, so the benchmark cannot rot between runs: every figure must still
 * be measured and come out a finite number. No timing is asserted here; bench-results/ has those.
 */

const SIZES = ['real', 'medium', 'large'] as const
const RENDERED = ['real', 'large'] as const
const EXPECTED = [
  ...SIZES.flatMap((s) =>
    ['parse-normalise', 'index', 'keystroke-median', 'keystroke-p95', 'filter', 'sort'].map(
      (f) => `logic.${s}.${f}`,
    ),
  ),
  ...SIZES.flatMap((s) =>
    [
      'save-first',
      'first-bytes',
      'gzip9-bytes',
      'unchanged-bytes',
      'changed-bytes',
      'open-latest',
      'diff',
      'load-and-diff',
    ].map((f) => `snapshots.${s}.${f}`),
  ),
  ...RENDERED.flatMap((s) => [
    ...[
      'first-rows-cold',
      'first-rows',
      'keystroke-median',
      'keystroke-p95',
      'keystroke-frame-median',
      'keystroke-frame-p95',
      'keystrokes',
      'idle-fps',
      'scroll-fps',
      'scroll-p95-frame',
      'heap',
    ].map((f) => `renderer.${s}.${f}`),
    ...['idle-rss', 'peak-rss', 'heap', 'wire'].map((f) => `main.${s}.${f}`),
  ]),
  // Model Deck beside its floor page, at every size (issue 17), and main's half of catalog:get.
  ...SIZES.flatMap((s) => [
    ...['app', 'floor', 'ratio'].flatMap((page) =>
      [
        'first-rows',
        'dom-content-loaded',
        'keystroke-median',
        'keystroke-p95',
        ...(page === 'ratio' ? [] : ['keystrokes']),
        'scroll-fps',
        'whole-list-fps',
        'whole-list-p95-frame',
        'heap',
      ].map((f) => `floor.${s}.${page}.${f}`),
    ),
    ...['load-ms', 'json-bytes', 'clone-bytes', 'clone-ms'].map((f) => `ipc.${s}.${f}`),
  ]),
  ...SMOKE.history.flatMap((n) =>
    [
      'total',
      'per-snapshot',
      'added',
      'list-open-store',
      'open-and-list',
      'diff',
      'open-latest',
      'model-history',
    ].map((f) => `history.${n}.${f}`),
  ),
  ...SMOKE.history.flatMap((n) =>
    ['cold', 'warm', 'warm-open-store', 'query', 'file-bytes', 'events'].map((f) => `changes.${n}.${f}`),
  ),
]

describe('the benchmark, at smoke sizes', () => {
  let report: BenchReport
  beforeAll(async () => {
    report = await runBench(SMOKE)
  }, 300_000)

  it('measures every figure as a finite number', () => {
    const byId = new Map(report.figures.map((f) => [f.id, f]))
    expect([...byId.keys()].sort()).toEqual([...EXPECTED].sort())
    for (const id of EXPECTED) {
      const value = byId.get(id)!.value
      expect(Number.isFinite(value), `${id} = ${value}`).toBe(true)
      expect(value, id).toBeGreaterThanOrEqual(0)
    }
    expect(report.sizes).toEqual({ real: 549, medium: SMOKE.medium, large: SMOKE.large })
  })

  it('judges each target it states, and states the targets of the brief', () => {
    const targeted = report.figures.filter((f) => f.target)
    for (const f of targeted) expect(typeof f.pass, f.id).toBe('boolean')
    const target = (id: string) => report.figures.find((f) => f.id === id)?.target
    expect(target('renderer.real.first-rows')).toEqual({ op: '<=', value: 300 })
    expect(target('renderer.real.keystroke-p95')).toEqual({ op: '<=', value: 16 })
    expect(target('renderer.large.keystroke-p95')).toEqual({ op: '<=', value: 50 })
    expect(target('renderer.large.scroll-fps')).toEqual({ op: '>=', value: 55 })
    expect(target('snapshots.medium.diff')).toEqual({ op: '<', value: 100 })
    expect(target('snapshots.real.open-latest')).toEqual({ op: '<', value: 50 })
    expect(target('snapshots.real.unchanged-bytes')).toEqual({ op: '<', value: 1024 })
    expect(target('floor.real.ratio.first-rows')).toEqual({ op: '<=', value: 2 })
    expect(target('floor.large.ratio.first-rows')).toEqual({ op: '<=', value: 1.5 })
    expect(target('floor.medium.ratio.dom-content-loaded')).toEqual({ op: '<=', value: 2 })
    expect(target('floor.real.app.keystroke-p95')).toEqual({ op: '<=', value: 16 })
    expect(target('floor.medium.ratio.keystroke-median')).toEqual({ op: '<=', value: 1.5 })
    expect(target('floor.large.app.whole-list-fps')).toEqual({ op: '>=', value: 55 })
    expect(target('floor.large.app.whole-list-p95-frame')).toEqual({ op: '<=', value: 20 })
    expect(target('floor.large.ratio.heap')).toEqual({ op: '<=', value: 3 })
    expect(target('snapshots.real.first-bytes')).toEqual({
      op: '<=',
      value: report.figures.find((f) => f.id === 'snapshots.real.gzip9-bytes')!.value,
    })
  })

  it('describes the machine and prints every figure beside its target', () => {
    const m = report.machine
    expect(m.cpu).not.toBe('')
    expect(m.cores).toBeGreaterThan(0)
    expect(m.ramGiB).toBeGreaterThan(0)
    expect(m.node).toBe(process.version)
    expect(m.chromium).toMatch(/^\d+\./)
    const markdown = toMarkdown(report)
    expect(markdown).toContain(m.cpu)
    for (const f of report.figures) expect(markdown).toContain(`| ${f.label} |`)
    expect(markdown).toContain('| Figure | Measured | Target | |')
    // Issue 17's table: one column per size, Model Deck / floor with the ratio, and the load average.
    expect(markdown).toContain(
      `| figure | 549 Model Deck / floor | ${SMOKE.medium} Model Deck / floor | ${SMOKE.large} Model Deck / floor |`,
    )
    expect(markdown).toMatch(/\| navigation -> first rows painted \(ms\) \| [\d,]+ \/ [\d,]+ \(\d+\.\dx\) \|/)
    expect(markdown).toContain(`Load average (1 min) ${m.loadAtStart.toFixed(2)} at the start`)
  })
})
