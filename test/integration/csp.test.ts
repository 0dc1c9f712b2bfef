import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { resolveAppRequest } from '../../src/main/protocol'
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_META } from '../../src/shared/csp'

const root = resolve(import.meta.dirname, '../..')

describe('the one Content-Security-Policy', () => {
  it('is what the built index.html carries in its <meta>, and what app:// sends as the header', async () => {
    const out = mkdtempSync(join(tmpdir(), 'md-csp-'))
    try {
      const vite = join(root, 'node_modules/vite/bin/vite.js')
      const built = spawnSync(
        process.execPath,
        [vite, 'build', '-c', 'vite.renderer.config.ts', '--outDir', out],
        {
          cwd: root,
          encoding: 'utf8',
        },
      )
      expect(built.status, built.stderr).toBe(0)
      const html = readFileSync(join(out, 'index.html'), 'utf8')
      const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
      expect(meta).toBe(CONTENT_SECURITY_POLICY_META)
      expect(html).not.toContain('%MODEL_DECK_CSP%')

      const res = await resolveAppRequest('app://model-deck/index.html', out)
      expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
      // The header holds every directive of the meta, plus what only a header can say.
      for (const directive of CONTENT_SECURITY_POLICY_META.split('; '))
        expect(CONTENT_SECURITY_POLICY).toContain(directive)
      expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'")
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })

  it('is written in exactly one place in the sources', () => {
    const html = readFileSync(join(root, 'src/renderer/index.html'), 'utf8')
    expect(html).not.toMatch(/default-src/)
    expect(readFileSync(join(root, 'src/main/protocol.ts'), 'utf8')).not.toMatch(/default-src/)
    expect(existsSync(join(root, 'src/shared/csp.ts'))).toBe(true)
  })
})
