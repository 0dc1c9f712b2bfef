import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, posix, resolve } from 'node:path'
import { extractFile, listPackage, statFile } from '@electron/asar'
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
import { standInElectronBinary } from '../helpers/stand-in-electron'

/**
 * Packs the app with electron-builder's real code path and electron-builder.yml, then opens what a
 * user would install. No Electron binary can be downloaded here, so a stand-in takes its place: a
 * file holding the fuse sentinel and a fuse wire in Electron's default states, which electron-builder
 * flips exactly as it would in the real binary. What a stand-in cannot show (that Electron starts and
 * honours the fuses, signing, the AppImage/deb/nsis/dmg wrappers) needs a desktop build.
 */

const root = resolve(import.meta.dirname, '../..')
/** The stand-in binary (test/helpers/stand-in-electron.ts): a script with Electron's fuse sentinel and default wire. */
function makeStandInElectron(dir: string): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'electron'), standInElectronBinary())
  chmodSync(join(dir, 'electron'), 0o755)
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string
  dependencies: Record<string, string>
}
const electronVersion = (
  JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }
).version

describe('the packaged app (electron-builder --dir with a stand-in Electron)', () => {
  let work: string
  let appDir: string
  let asarPath: string
  let files: string[]

  beforeAll(() => {
    // `npm test` builds first; a lone run of this file builds only when there is nothing to pack.
    if (!existsSync(join(root, 'out/main/index.js'))) {
      const built = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' })
      if (built.status !== 0) throw new Error('npm run build failed')
    }
    work = mkdtempSync(join(tmpdir(), 'md-packaging-'))
    const dist = join(work, 'electron-dist')
    makeStandInElectron(dist)
    const run = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules/electron-builder/cli.js'),
        '--linux',
        'dir',
        '--publish',
        'never',
        '--config',
        'electron-builder.yml',
        `-c.electronDist=${dist}`,
        `-c.electronVersion=${electronVersion}`,
        `-c.directories.output=${join(work, 'dist')}`,
      ],
      { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 80_000 },
    )
    if (run.status !== 0) throw new Error(`electron-builder failed:\n${run.stdout}\n${run.stderr}`)
    appDir = join(work, 'dist/linux-unpacked')
    asarPath = join(appDir, 'resources/app.asar')
    files = listPackage(asarPath, { isPack: false }).map((f) => f.replaceAll('\\', '/').replace(/^\//, ''))
  }, 90_000)

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true })
  })

  it('ships the built main, preload and renderer inside app.asar', () => {
    expect(files).toContain('out/main/index.js')
    expect(files).toContain('out/preload/index.cjs')
    expect(files).toContain('out/renderer/index.html')
    expect(files.some((f) => /^out\/renderer\/assets\/.+\.js$/.test(f))).toBe(true)
    expect(files).toContain('package.json')
  })

  it("starts from package.json's main, which is inside the archive", () => {
    const packed = JSON.parse(extractFile(asarPath, 'package.json').toString('utf8')) as { main: string }
    const main = posix.normalize(packed.main)
    expect(main).toBe(posix.normalize(pkg.main))
    expect(files).toContain(main)
    expect(extractFile(asarPath, main).length).toBeGreaterThan(1000)
  })

  it('ships every production dependency and no development one', () => {
    for (const dep of Object.keys(pkg.dependencies))
      expect(files).toContain(`node_modules/${dep}/package.json`)
    for (const dev of [
      'electron',
      'vitest',
      'vue',
      'electron-builder',
      'playwright-core',
      'typescript',
      'esbuild',
    ]) {
      expect(files.filter((f) => f.startsWith(`node_modules/${dev}/`))).toEqual([])
    }
  })

  it("keeps keytar's native module outside the archive, where it can be loaded", () => {
    const native = 'node_modules/@github/keytar/prebuilds/linux-x64/keytar.node'
    expect(existsSync(join(appDir, 'resources/app.asar.unpacked', native))).toBe(true)
    expect(statFile(asarPath, native)).toMatchObject({ unpacked: true })
    const packedNatives = files.filter(
      (f) => f.endsWith('.node') && !(statFile(asarPath, f) as { unpacked?: boolean }).unpacked,
    )
    expect(packedNatives).toEqual([])
  })

  it('ships no sources, tests, fixtures or source maps', () => {
    const ours = files.filter((f) => !f.startsWith('node_modules/'))
    expect(ours.filter((f) => /^(src|test|scripts|resources|docs)\//.test(f))).toEqual([])
    expect(files.filter((f) => /(^|\/)fixtures\//.test(f) || f.endsWith('.json.gz'))).toEqual([])
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([])
    expect(files.filter((f) => /\.(ts|mts|cts|tsx|vue)$/.test(f))).toEqual([])
    expect(
      ours.filter((f) => /^(electron-builder\.yml|tsconfig.*|vitest\.config\.ts|\.env.*)$/.test(f)),
    ).toEqual([])
  })

  it('names the Linux executable model-deck and flips every security fuse in it', async () => {
    const executable = join(appDir, 'model-deck')
    expect(existsSync(executable)).toBe(true)
    const wire = await getCurrentFuseWire(executable)
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE)
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE)
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE)
  })
})
