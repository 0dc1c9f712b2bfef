import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { vetExternalUrl, createSafeShell } from '../../src/main/safe-shell'

describe('the safe shell', () => {
  it.each([
    ['https://openrouter.ai/settings/privacy', true],
    ['https://openrouter.ai/anthropic/claude-opus-4.7', true],
    ['https://eu.openrouter.ai/docs', true],
    ['HTTPS://OPENROUTER.AI/models', true],
    ['http://openrouter.ai/', false],
    ['javascript:alert(1)', false],
    ['file:///etc/passwd', false],
    ['data:text/html,<script>alert(1)</script>', false],
    ['https://openrouter.ai.evil.com/', false],
    ['https://evil.com/openrouter.ai', false],
    ['https://openrouter.ai@evil.com/', false],
    ['https://user:pass@openrouter.ai/', false],
    ['https://evilopenrouter.ai/', false],
    ['https://openrouter.ai:8443/', false],
    ['//openrouter.ai/', false],
    ['openrouter.ai', false],
    ['https://xn--openrouter-xyz.ai/', false],
    ['', false],
  ])('%s → %s', (url, allowed) => {
    expect(vetExternalUrl(url) !== null).toBe(allowed)
  })

  it('refuses non-strings', () => {
    for (const v of [null, undefined, 42, {}, ['https://openrouter.ai/']])
      expect(vetExternalUrl(v)).toBeNull()
  })

  it('never opens anything but https OpenRouter pages, whatever the input', async () => {
    const opened: string[] = []
    const shell = createSafeShell(async (u) => {
      opened.push(u)
    })
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.webUrl(), fc.string(), fc.constantFrom('javascript:x', 'file:///x')),
        async (url) => {
          await shell.open(url)
        },
      ),
      { numRuns: 300 },
    )
    for (const u of opened) {
      const host = new URL(u).hostname
      expect(new URL(u).protocol).toBe('https:')
      expect(host === 'openrouter.ai' || host.endsWith('.openrouter.ai')).toBe(true)
    }
  })
})
