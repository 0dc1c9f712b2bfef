import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { build } from 'esbuild'

const ROOT = resolve(__dirname, '../..')

/**
 * Bundles the CLI from source into `out/<name>/model-deck.js` and returns its path. Each test file
 * gets its own folder, so a build by another file (or `npm run build`'s out/cli) never races it.
 */
export async function buildCliBundle(name: string): Promise<string> {
  const outfile = join(ROOT, 'out', name, 'model-deck.js')
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    version: string
    dependencies?: Record<string, string>
  }
  const external = ['@github/keytar', ...Object.keys(pkg.dependencies ?? {})]
  await build({
    entryPoints: [join(ROOT, 'src/cli/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: external.flatMap((dep) => [dep, `${dep}/*`]),
    define: { __MODEL_DECK_VERSION__: JSON.stringify(pkg.version) },
    logLevel: 'warning',
  })
  return outfile
}
