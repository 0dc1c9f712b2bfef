import { readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build, type Plugin } from 'esbuild'

export const projectRoot = resolve(import.meta.dirname, '../..')

/**
 * Bundled modules would all see the bundle's own import.meta: each keeps its source file's instead,
 * so the harness and the fake server still find their fixtures and the renderer.
 * (scripts/bench.mjs carries a copy of this plugin: it has to bundle this file's importers first.)
 */
const keepImportMeta: Plugin = {
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

/** Bundles a TypeScript entry for plain `node`, inside the project so its bare imports resolve. */
export async function bundleForNode(entry: string, name: string): Promise<string> {
  const outfile = join(projectRoot, 'node_modules/.cache/model-deck-bench', `${name}.mjs`)
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    outfile,
    plugins: [keepImportMeta],
    logLevel: 'error',
  })
  return outfile
}
