#!/usr/bin/env node
// Bundles the headless commands (src/cli/main.ts) into one executable ES module, out/cli/model-deck.js.
// Runtime dependencies stay external: they are installed next to it (package.json "dependencies"),
// and the native keychain module cannot be bundled at all.
import { build } from 'esbuild'
import { chmodSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const outfile = join(root, 'out/cli/model-deck.js')
const external = [...new Set(['@github/keytar', ...Object.keys(pkg.dependencies ?? {})])]

await build({
  entryPoints: [join(root, 'src/cli/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  // Deep imports such as `exceljs/...` must stay external too, not just the bare names.
  external: external.flatMap((name) => [name, `${name}/*`]),
  banner: { js: '#!/usr/bin/env node' },
  define: { __MODEL_DECK_VERSION__: JSON.stringify(pkg.version) },
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
})
chmodSync(outfile, 0o755)
console.log(`built ${outfile.slice(root.length + 1)}`)
