import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '../..')

describe('the unit tests', () => {
  it('run on a machine without dbus or gnome-keyring (`npx vitest run src/shared`)', () => {
    // A PATH that holds node and nothing else: the keyring setup would fail at once if it ran.
    const bin = mkdtempSync(join(tmpdir(), 'md-bare-path-'))
    symlinkSync(process.execPath, join(bin, 'node'))
    try {
      const run = spawnSync(
        process.execPath,
        [join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'src/shared/pricing', '--reporter=dot'],
        {
          cwd: root,
          encoding: 'utf8',
          env: { HOME: process.env.HOME ?? '/tmp', PATH: bin, NO_COLOR: '1' },
          timeout: 120_000,
        },
      )
      expect(run.status, run.stdout + run.stderr).toBe(0)
      expect(run.stdout).toMatch(/Tests\s+\d+ passed/)
      expect(run.stdout + run.stderr).not.toContain('gnome-keyring')
    } finally {
      rmSync(bin, { recursive: true, force: true })
    }
  })
})
