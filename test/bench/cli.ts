import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import startKeyring from '../setup/keyring'
import { projectRoot } from './bundle'
import { toMarkdown } from './report'
import { FULL, SMOKE, runBench, type BenchOptions, type Size } from './run-bench'

/**
 * `npm run bench` (through scripts/bench.mjs): the full benchmark, written to bench-results/.
 * `--smoke` runs the tiny version; `--medium=N --large=N` change the synthetic sizes; `--renderer`
 * keeps only the catalog screen figures (Model Deck beside its floor page included) and `--sizes=real,large` only those catalogs; `--out=DIR`
 * writes the report somewhere other than bench-results/; `--renderer-dir=DIR` serves a renderer built elsewhere
 * (an earlier build kept aside, to measure before and after in one sitting).
 */
const args = process.argv.slice(2)
const sizeArg = (name: string) => {
  const hit = args.find((a) => a.startsWith(`--${name}=`))
  return hit ? Number(hit.split('=')[1]) : undefined
}
const base = args.includes('--smoke') ? SMOKE : FULL
const options: BenchOptions = {
  ...base,
  medium: sizeArg('medium') ?? base.medium,
  large: sizeArg('large') ?? base.large,
  rendererOnly: args.includes('--renderer'),
  ...(args.find((a) => a.startsWith('--renderer-dir='))
    ? { rendererDir: args.find((a) => a.startsWith('--renderer-dir='))!.slice('--renderer-dir='.length) }
    : {}),
  log: (line) => console.log(`… ${line}`),
}
const history = args.find((a) => a.startsWith('--history='))
if (history)
  options.history = history
    .split('=')[1]!
    .split(',')
    .map(Number)
    .filter((n) => n > 0)
const sizes = args.find((a) => a.startsWith('--sizes='))
if (sizes) options.sizes = sizes.split('=')[1]!.split(',') as Size[]

if (!existsSync(join(projectRoot, 'out/renderer/index.html'))) {
  console.log('Building the app first…')
  const built = spawnSync('npm', ['run', '--silent', 'build'], { cwd: projectRoot, stdio: 'inherit' })
  if (built.status !== 0) process.exit(1)
}

// The harness runs main's real services, keychain included: give it the same private keyring as the tests.
const stopKeyring = await startKeyring().catch((err: unknown) => {
  console.log(
    `No private keyring (${(err as Error).message}); the key status will read "keychain unavailable".`,
  )
  return () => undefined
})
try {
  const report = await runBench(options)
  const dir =
    args.find((a) => a.startsWith('--out='))?.slice('--out='.length) ?? join(projectRoot, 'bench-results')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`)
  const markdown = toMarkdown(report)
  writeFileSync(join(dir, 'report.md'), markdown)
  console.log(`\n${markdown}`)
  const missed = report.figures.filter((f) => f.pass === false)
  console.log(
    `\nWrote ${join(dir, 'report.md')} and report.json: ${missed.length} of ${report.figures.filter((f) => f.pass !== undefined).length} targets missed.`,
  )
} finally {
  stopKeyring()
}
