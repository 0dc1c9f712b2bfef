import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resolveAppRequest } from '../../src/main/protocol'

describe('the app:// protocol', () => {
  let root: string
  let outside: string
  beforeAll(() => {
    const base = mkdtempSync(join(tmpdir(), 'md-proto-'))
    root = join(base, 'renderer')
    outside = join(base, 'secret.txt')
    mkdirSync(join(root, 'assets'), { recursive: true })
    writeFileSync(join(root, 'index.html'), '<html></html>')
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)')
    writeFileSync(outside, 'secret')
    symlinkSync(outside, join(root, 'assets', 'link.txt'))
  })
  afterAll(() => rmSync(join(root, '..'), { recursive: true, force: true }))

  it('serves the app with its CSP and MIME types', async () => {
    const page = await resolveAppRequest('app://model-deck/index.html', root)
    expect(page.status).toBe(200)
    expect(page.headers['content-security-policy']).toContain("script-src 'self'")
    const script = await resolveAppRequest('app://model-deck/assets/app.js', root)
    expect(script.headers['content-type']).toContain('javascript')
    expect((await resolveAppRequest('app://model-deck/', root)).status).toBe(200)
  })

  it.each([
    'app://model-deck/../secret.txt',
    'app://model-deck/%2e%2e/secret.txt',
    'app://model-deck/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://model-deck/assets/..%5c..%5csecret.txt',
    'app://model-deck/assets/link.txt',
    'app://model-deck/%00index.html',
    'app://model-deck/%E0%A4%A',
    'app://other-host/index.html',
    'file:///etc/passwd',
    'app://model-deck/missing.js',
  ])('refuses %s', async (url) => {
    const res = await resolveAppRequest(url, root)
    expect(res.status).toBe(404)
    expect(res.body).toBeNull()
  })
})
