// What the launcher (with-electron.mjs) and the real-Electron suite need to know about the Electron
// binary, read the way node_modules/electron/index.js and install.js read it.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** The folder the installer extracts into, or the one ELECTRON_OVERRIDE_DIST_PATH names. */
export function electronDistDir(electronDir, env) {
  return env.ELECTRON_OVERRIDE_DIST_PATH || join(electronDir, 'dist')
}

/** The executable, when a complete install of this package's version is there; otherwise null. */
export function electronBinary(electronDir, env) {
  const dist = electronDistDir(electronDir, env)
  let relative
  try {
    relative = readFileSync(join(electronDir, 'path.txt'), 'utf8').trim()
  } catch {
    // An override dist needs no path.txt: install.js would not have run for it.
    if (!env.ELECTRON_OVERRIDE_DIST_PATH) return null
    relative =
      { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' }[process.platform] ??
      'electron'
  }
  if (!env.ELECTRON_OVERRIDE_DIST_PATH) {
    // A dist left by another Electron version (after an upgrade) must be fetched again.
    const { version } = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8'))
    let installed
    try {
      installed = readFileSync(join(dist, 'version'), 'utf8').trim().replace(/^v/, '')
    } catch {
      return null
    }
    if (installed !== version) return null
  }
  const binary = join(dist, relative)
  return existsSync(binary) ? binary : null
}

/** The installer's failure, told as a cause and the two ways out, never as a stack trace. */
export function downloadFailure({ version, where, stderr, log }) {
  return [
    `Could not download Electron ${version} for ${where}: ${downloadCause(stderr)}.`,
    'Model Deck needs the Electron binary to open its window. Two ways out:',
    '  - set ELECTRON_MIRROR to an Electron mirror you can reach, e.g. ELECTRON_MIRROR=https://mirror.example/electron/ npm run dev',
    '  - or run `npx install-electron` once you are online, then run the command again.',
    `The installer's full output is in ${log}`,
  ].join('\n')
}

/** One line from the installer's stack trace that says what went wrong, in words a user can act on. */
export function downloadCause(stderr) {
  const text = String(stderr ?? '')
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at '))
  const first = lines[0] ?? 'the installer stopped without saying why'
  if (/checksum/i.test(text)) return `the download did not match its checksum (${strip(first)})`
  const status = /Response code (\d{3})/i.exec(text) ?? /\b(?:status|HTTP)\D{0,3}(\d{3})\b/i.exec(text)
  if (status) return `the server answered HTTP ${status[1]} (${strip(first)})`
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|fetch failed/i.test(text))
    return `the network could not be reached (${strip(first)})`
  return strip(first)
}

function strip(line) {
  return line.replace(/^(?:\w*Error|Error):\s*/, '').replace(/\.$/, '')
}
