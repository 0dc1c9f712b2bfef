#!/usr/bin/env node
// `npm test`: every check the project has, in order, failing on any failure. Each step still runs
// after an earlier one failed, so one run shows everything that is wrong.
import { spawnSync } from 'node:child_process'
import { readFileSync, existsSync, mkdirSync } from 'node:fs'

const steps = [
  ['typecheck (renderer)', 'npx', ['vue-tsc', '--noEmit', '-p', 'tsconfig.web.json']],
  ['typecheck (renderer store tests)', 'npx', ['vue-tsc', '--noEmit', '-p', 'tsconfig.web-test.json']],
  ['typecheck (main, preload, shared, cli, tests)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.node.json']],
  ['typecheck (tests)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.test.json']],
  ['lint', 'npx', ['eslint', '.', '--max-warnings=0']],
  ['format', 'npx', ['prettier', '--check', '.']],
  ['build', 'npm', ['run', '--silent', 'build']],
  [
    'unit, integration, end-to-end, packaging and bench smoke tests',
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json'],
  ],
]

const only = process.argv.slice(2)
mkdirSync('test-results', { recursive: true })
const failed = []
for (const [name, cmd, args] of steps) {
  if (only.length && !only.some((o) => name.startsWith(o))) continue
  console.log(`\n━━ ${name}`)
  const started = Date.now()
  const res = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' },
  })
  const secs = ((Date.now() - started) / 1000).toFixed(1)
  if (res.status === 0) console.log(`✔ ${name} (${secs}s)`)
  else {
    console.log(`✘ ${name} failed (exit ${res.status ?? res.signal}, ${secs}s)`)
    failed.push(name)
  }
}

let passed = 0
let testFailures = 0
let skipped = 0
if (existsSync('test-results/vitest.json')) {
  const report = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'))
  passed = report.numPassedTests ?? 0
  testFailures = report.numFailedTests ?? 0
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
}
console.log('\n━━ summary')
for (const name of failed) console.log(`✘ ${name}`)
if (!failed.length) console.log('✔ all checks passed')
console.log(
  `tests: ${passed} passed, ${testFailures + failed.filter((f) => !f.startsWith('unit')).length} failed, ${skipped} skipped`,
)
process.exit(failed.length ? 1 : 0)
