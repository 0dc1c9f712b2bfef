#!/usr/bin/env node
// `npm run dev | preview | dist`: make sure the Electron binary is there, then run the tool.
//
// Electron 42 and later no longer download their binary at `npm install`: the package fetches it
// lazily, and electron-vite (which only reads node_modules/electron/path.txt) never asks it to.
// So this runs Electron's own installer (node_modules/electron/install.js) on first use. That keeps
// everything Electron documents for it working: ELECTRON_MIRROR and the other mirror variables,
// electron_config_cache, proxies, the package's own checksums (or electron_use_remote_checksums),
// ELECTRON_OVERRIDE_DIST_PATH. Nothing calls this during `npm ci`, `npm test` or .ci/run.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { downloadFailure, electronBinary, electronDistDir } from './electron-install.mjs'

const root = resolve(import.meta.dirname, '..')
const [command, ...rest] = process.argv.slice(2)
const tools = {
  dev: { pkg: 'electron-vite', bin: 'bin/electron-vite.js', args: ['dev'] },
  preview: { pkg: 'electron-vite', bin: 'bin/electron-vite.js', args: ['preview'] },
  dist: { pkg: 'electron-builder', bin: 'cli.js', args: [] },
}
if (!tools[command]) {
  console.error(`usage: node scripts/with-electron.mjs ${Object.keys(tools).join('|')} [args…]`)
  process.exit(2)
}

const requireFromRoot = createRequire(join(root, 'package.json'))
const electronDir = dirname(requireFromRoot.resolve('electron/package.json'))
const { version } = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8'))

let binary = electronBinary(electronDir, process.env)
if (!binary) {
  const where = `${process.env.ELECTRON_INSTALL_PLATFORM ?? process.platform}-${process.env.ELECTRON_INSTALL_ARCH ?? process.arch}`
  console.log(`Downloading Electron ${version} for ${where} (once; about 100 MB, kept in Electron's cache)…`)
  const run = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    cwd: root,
    env: process.env,
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
  })
  binary = run.status === 0 ? electronBinary(electronDir, process.env) : null
  if (!binary) {
    // The installer prints a stack trace; a newcomer needs the cause and the way out, so the
    // trace goes to a log file and the terminal gets one clear message.
    const log = join(mkdtempSync(join(tmpdir(), 'model-deck-electron-')), 'install.log')
    writeFileSync(log, `${run.stderr ?? ''}${run.error ? String(run.error.stack) : ''}`)
    console.error(downloadFailure({ version, where, stderr: run.stderr ?? String(run.error ?? ''), log }))
    process.exit(1)
  }
}

const tool = tools[command]
const args = [...tool.args]
// electron-builder packs the very binary the installer fetched (instead of downloading its own copy).
if (command === 'dist') args.push(`-c.electronDist=${electronDistDir(electronDir, process.env)}`)
args.push(...rest)

const child = spawn(
  process.execPath,
  [join(dirname(requireFromRoot.resolve(`${tool.pkg}/package.json`)), tool.bin), ...args],
  {
    cwd: root,
    stdio: 'inherit',
    // electron-vite honours ELECTRON_EXEC_PATH before its own path.txt lookup: both name one binary.
    env: { ...process.env, ELECTRON_EXEC_PATH: binary },
  },
)
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal))
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
