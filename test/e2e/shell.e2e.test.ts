import { describe, expect } from 'vitest'
import { screenshot } from './browser'
import { appTest } from './fixture'
import { expectedApiKeys } from '../../src/shared/ipc/bridge'
import { channels, apiPathOf } from '../../src/shared/ipc/channels'
import { TEST_KEYS } from '../fake-openrouter/server'

const VIEWS = ['catalog', 'compare', 'snapshots', 'changes', 'settings'] as const

const it = appTest({
  name: 'shell',
  // Screenshots of every view show a real catalog: a key, the allowed and public lists, two snapshots.
  seed: async ({ harness }) => {
    const services = harness.services
    await services.keys.set(await services.keys.activeId(), TEST_KEYS.personal)
    await services.catalog.refresh({})
  },
})

describe('the app shell in a real browser', () => {
  it('exposes exactly the contract on window.api and nothing of Node', async ({ openPage }) => {
    const { context, page } = await openPage()
    const shape = await page.evaluate(() => ({
      keys: Object.keys(window.api).sort(),
      methods: Object.fromEntries(
        Object.entries(window.api).map(([k, v]) => [k, Object.keys(v as object).sort()]),
      ),
      frozen: Object.isFrozen(window.api),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }))
    expect(shape.keys).toEqual(expectedApiKeys())
    for (const channel of channels) {
      const [domain, method] = apiPathOf(channel)
      expect(shape.methods[domain]).toContain(method)
    }
    expect(shape.frozen).toBe(true)
    expect(shape.require).toBe('undefined')
    expect(shape.process).toBe('undefined')
    await context.close()
  })

  it('serves the page with a strict Content-Security-Policy', async ({ harness, openPage }) => {
    const { context, page } = await openPage()
    const response = await page.goto(harness.url)
    const header = response?.headers()['content-security-policy'] ?? ''
    const meta = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content')
    for (const csp of [header, meta ?? '']) {
      expect(csp).toContain("default-src 'self'")
      expect(csp).toContain("script-src 'self'")
      expect(csp).not.toContain('unsafe-eval')
      expect(csp).toMatch(/connect-src 'self'(;|$)/)
    }
    // An inline script is refused by the policy.
    const inlineRan = await page.evaluate(() => {
      const s = document.createElement('script')
      s.textContent = 'window.__inline = true'
      document.head.appendChild(s)
      return (window as unknown as { __inline?: boolean }).__inline === true
    })
    expect(inlineRan).toBe(false)
    await context.close()
  })

  for (const theme of ['light', 'dark'] as const) {
    it(`opens all five views in the ${theme} theme`, async ({ openPage }) => {
      const { context, page, errors } = await openPage('', theme)
      for (const view of VIEWS) {
        if (view === 'compare') {
          // Compare shows what was ticked in the catalog: three models, so its screenshot has content.
          await page.click('nav a[href="#/catalog"]')
          const boxes = page.locator('[data-testid="catalog-row"] input[type="checkbox"]')
          for (let i = 0; i < 3; i++) await boxes.nth(i).check()
          await page.click('[data-testid="catalog-compare"]')
        }
        await page.click(`nav a[href="#/${view}"]`)
        await page.waitForSelector(`section.view h1#${view}-title`)
        const themeAttr = await page.evaluate(() => document.documentElement.dataset.theme)
        expect(themeAttr).toBe(theme)
        await screenshot(page, `${view}-${theme}`)
      }
      expect(errors.filter((e) => !e.includes('net::ERR'))).toEqual([])
      await context.close()
    })
  }
})
