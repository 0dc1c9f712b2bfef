#!/usr/bin/env node
// `npm run bench`: bundles the TypeScript benchmark (test/bench/) with esbuild and runs it.
// Writes bench-results/report.md and report.json. Pass --smoke for the tiny version, or
// --medium=N / --large=N for other synthetic catalog sizes.
import { build } from 'esbuild'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

// Same plugin as test/bench/bundle.ts: every module keeps its own import.meta, so the harness and
// the fake server still find the renderer and the fixtures from inside a bundle.
const keepImportMeta = {
  name: 'keep-import-meta',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8')
      const contents = source
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
      return { contents, loader: 'ts' }
    })
  },
}

// Inside the project so the bundle's bare imports resolve from node_modules.
const outfile = join(root, 'node_modules/.cache/model-deck-bench/bench.mjs')
await build({
  entryPoints: [join(root, 'test/bench/cli.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  outfile,
  plugins: [keepImportMeta],
  logLevel: 'error',
})
process.chdir(root)
await import(pathToFileURL(outfile).href)
