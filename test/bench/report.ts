import { cpus, loadavg, release, totalmem } from 'node:os'
import type { SideBySideFigures } from './floor/floor-bench'
import { sideBySideTable, type SideSize } from './floor/floor-report'

export type Unit = 'ms' | 'bytes' | 'KiB' | 'MiB' | 'fps' | 'count' | 'ratio'
export interface Target {
  op: '<' | '<=' | '>='
  value: number
}
export interface Figure {
  id: string
  section: string
  label: string
  value: number
  unit: Unit
  target?: Target
  /** Undefined when the figure has no target. */
  pass?: boolean
}

export interface Machine {
  cpu: string
  cores: number
  ramGiB: number
  os: string
  node: string
  chromium: string | null
  /** 1-minute load average at start and end: other work on the machine skews every timing. */
  loadAtStart: number
  loadAtEnd: number
}

export interface BenchReport {
  generatedAt: string
  sizes: { real: number; medium: number; large: number }
  machine: Machine
  figures: Figure[]
  /** Model Deck and its floor page, per size measured (issue 17's table). */
  sideBySide?: Partial<Record<SideSize, SideBySideFigures>>
  notes: string[]
}

export function describeMachine(chromium: string | null, loadAtStart: number): Machine {
  const list = cpus()
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    ramGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${process.platform} ${release()}`,
    node: process.version,
    chromium,
    loadAtStart,
    loadAtEnd: loadavg()[0]!,
  }
}

export function judge(value: number, target: Target | undefined): boolean | undefined {
  if (!target || !Number.isFinite(value)) return undefined
  if (target.op === '<') return value < target.value
  if (target.op === '<=') return value <= target.value
  return value >= target.value
}

/** Collects figures in the order they are measured; each one judged against its target. */
export class FigureBook {
  readonly figures: Figure[] = []
  add(section: string, id: string, label: string, value: number, unit: Unit, target?: Target): void {
    const pass = judge(value, target)
    this.figures.push({
      section,
      id,
      label,
      value,
      unit,
      ...(target ? { target } : {}),
      ...(pass === undefined ? {} : { pass }),
    })
  }
}

function format(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return 'n/a'
  switch (unit) {
    case 'ms':
      return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`
    case 'bytes':
      return value >= 10_240 ? `${(value / 1024).toFixed(1)} KiB` : `${value.toFixed(0)} B`
    case 'KiB':
      return `${value.toFixed(1)} KiB`
    case 'MiB':
      return `${value.toFixed(0)} MiB`
    case 'fps':
      return `${value.toFixed(1)} fps`
    case 'count':
      return value.toFixed(0)
    case 'ratio':
      return `${value.toFixed(2)}x`
  }
}

const verdict = (f: Figure) => (f.pass === undefined ? '' : f.pass ? 'met' : '**missed**')

export function toMarkdown(report: BenchReport): string {
  const m = report.machine
  const lines = [
    '# Model Deck benchmarks',
    '',
    `Generated ${report.generatedAt} by \`npm run bench\`. Catalog sizes: real = ${report.sizes.real} models (recorded 2026-08-19), medium = ${report.sizes.medium}, large = ${report.sizes.large} (synthetic, cloned from the real records with new ids and jittered prices, contexts and dates; fixed seed).`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM, ${m.os}; Node ${m.node}; Chromium ${m.chromium ?? 'not run'} (headless, software rendering). Load average ${m.loadAtStart.toFixed(1)} at start, ${m.loadAtEnd.toFixed(1)} at end${m.loadAtStart > m.cores || m.loadAtEnd > m.cores ? ' — busier than its cores: timings are pessimistic' : ''}.`,
    '',
    ...sideBySideTable(report.sideBySide ?? {}, report.figures, { start: m.loadAtStart, end: m.loadAtEnd }),
  ]
  for (const section of [...new Set(report.figures.map((f) => f.section))]) {
    lines.push(`## ${section}`, '', '| Figure | Measured | Target | |', '|---|---:|---:|---|')
    for (const f of report.figures.filter((x) => x.section === section)) {
      const target = f.target ? `${f.target.op} ${format(f.target.value, f.unit)}` : ''
      lines.push(`| ${f.label} | ${format(f.value, f.unit)} | ${target} | ${verdict(f)} |`)
    }
    lines.push('')
  }
  if (report.notes.length) lines.push('## Notes', '', ...report.notes.map((n) => `- ${n}`), '')
  return lines.join('\n')
}
