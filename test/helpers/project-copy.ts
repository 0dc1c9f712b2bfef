import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const root = resolve(import.meta.dirname, '../..')

/** What a fresh clone has that `npm run dev`, `preview` and `dist` read. */
const PROJECT_FILES = [
  'package.json',
  'package-lock.json',
  '.npmrc',
  'electron.vite.config.ts',
  'vite.renderer.config.ts',
  'electron-builder.yml',
  'vitest.electron.config.ts',
  'test',
  'tsconfig.json',
  'tsconfig.node.json',
  'tsconfig.web.json',
  'tsconfig.test.json',
  'src',
  'scripts',
  'resources',
]

/**
 * A copy of the project in a temp folder, as a new user has it after `npm install`: the sources,
 * and node_modules whose `electron` package is a real copy without a downloaded binary (no dist/,
 * no path.txt). Every other package is a link to this checkout's, so nothing is installed twice, and
 * whatever the Electron installer writes lands in the copy, never in this checkout.
 */
export function copyProject(prefix = 'md-project-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  for (const name of PROJECT_FILES) {
    if (existsSync(join(root, name))) cpSync(join(root, name), join(dir, name), { recursive: true })
  }
  const modules = join(dir, 'node_modules')
  mkdirSync(modules)
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry === 'electron') continue
    symlinkSync(join(root, 'node_modules', entry), join(modules, entry))
  }
  cpSync(join(root, 'node_modules/electron'), join(modules, 'electron'), {
    recursive: true,
    filter: (src) => !/node_modules[/\\]electron[/\\](dist|path\.txt)$/.test(src),
  })
  return dir
}
