#!/usr/bin/env node
// Renders resources/icon.svg, the one source of the app icon, into every file the installers need.
// The outputs are committed, so packaging never needs these tools; run this only after changing the SVG.
// Needs Debian's librsvg2-bin (rsvg-convert), icoutils (icotool) and icnsutils (png2icns):
//   apt-get install librsvg2-bin icoutils icnsutils
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
const res = join(root, 'resources')
const source = join(res, 'icon.svg')

/** Linux desktops pick from hicolor sizes; electron-builder installs each `NxN.png` of this folder. */
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
/** Windows shows 16–48 in lists and the taskbar, 256 in large views. */
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]
/** Finder's sizes; 1024 is the retina 512. */
const ICNS_SIZES = [16, 32, 48, 128, 256, 512, 1024]

function run(tool, args, pkg) {
  const r = spawnSync(tool, args, { stdio: ['ignore', 'inherit', 'inherit'] })
  if (r.error?.code === 'ENOENT') throw new Error(`${tool} is missing: apt-get install ${pkg}`)
  if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (exit ${r.status})`)
}

function render(size, out) {
  run(
    'rsvg-convert',
    ['--width', String(size), '--height', String(size), '--output', out, source],
    'librsvg2-bin',
  )
  return out
}

const linuxDir = join(res, 'icons')
rmSync(linuxDir, { recursive: true, force: true })
mkdirSync(linuxDir, { recursive: true })
const png = Object.fromEntries(LINUX_SIZES.map((s) => [s, render(s, join(linuxDir, `${s}x${s}.png`))]))

render(1024, join(res, 'icon.png'))

// Small sizes as BMP entries (NSIS and old shells cannot read PNG ones); 256 stays PNG (`-r`) to keep it small.
run(
  'icotool',
  ['-c', '-o', join(res, 'icon.ico'), ...ICO_SIZES.filter((s) => s < 256).map((s) => png[s]), '-r', png[256]],
  'icoutils',
)
run('png2icns', [join(res, 'icon.icns'), ...ICNS_SIZES.map((s) => png[s])], 'icnsutils')

for (const f of ['icon.png', 'icon.ico', 'icon.icns']) {
  console.log(`${f.padEnd(10)} ${(statSync(join(res, f)).size / 1024).toFixed(0)} KiB`)
}
console.log(`icons/     ${LINUX_SIZES.length} sizes`)
