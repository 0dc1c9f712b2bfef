#!/usr/bin/env node
// `npm run test:electron`: the smoke suite in real Electron (test/electron/), run wherever an
// Electron binary is present (the one `npm run dev` downloads, or ELECTRON_OVERRIDE_DIST_PATH).
// Without one it says so in one sentence and exits 0: it never downloads anything itself, so it
// is safe on machines that cannot reach Electron's downloads. It is not part of `npm test`.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { electronBinary } from './electron-install.mjs'

const root = resolve(import.meta.dirname, '..')
const requireFromRoot = createRequire(join(root, 'package.json'))
const electronDir = dirname(requireFromRoot.resolve('electron/package.json'))
const binary = electronBinary(electronDir, process.env)
if (!binary) {
  console.log(
    'Skipped the real-Electron suite: no Electron binary here (run `npm run dev` once online, or set ELECTRON_OVERRIDE_DIST_PATH).',
  )
  process.exit(0)
}
console.log(`Real-Electron suite with ${binary}`)
const run = spawnSync(
  process.execPath,
  [
    requireFromRoot.resolve('vitest/vitest.mjs'),
    'run',
    '-c',
    'vitest.electron.config.ts',
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, MODEL_DECK_ELECTRON_BINARY: binary } },
)
process.exit(run.status ?? 1)
