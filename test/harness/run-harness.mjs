#!/usr/bin/env node
// Bundles the TypeScript harness with esbuild and runs it (Node cannot import extensionless TS).
import { build } from 'esbuild'
import { join } from 'node:path'
import { pathToFileURL, fileURLToPath } from 'node:url'
import { existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'

const root = fileURLToPath(new URL('../..', import.meta.url))
if (!existsSync(join(root, 'out/renderer/index.html'))) {
  console.log('Building the renderer first…')
  spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' })
}
// Inside the project so the bundle's bare imports resolve from node_modules.
const outfile = join(root, 'node_modules/.cache/model-deck-harness/harness.mjs')
await build({
  entryPoints: [join(root, 'test/harness/cli.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  outfile,
  // The bundle lives elsewhere: keep import.meta.url pointing into test/ so fixtures are found.
  define: {
    'import.meta.url': JSON.stringify(pathToFileURL(join(root, 'test/harness/harness-server.ts')).href),
  },
})
process.chdir(root)
await import(pathToFileURL(outfile).href)
