import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const RESULTS_DIR = resolve('test-results')

/** Debian's Chromium (or CHROMIUM_PATH); a missing browser fails with what to install. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    Boolean,
  ) as string[]
  const found = candidates.find((p) => existsSync(p))
  if (!found)
    throw new Error('No Chromium found: install the Debian package "chromium" or set CHROMIUM_PATH.')
  return found
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // The machine has no network beyond loopback: keep Chromium from reaching out on its own.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  })
}

export interface Viewport {
  width: number
  height: number
  /** Device pixels per CSS pixel (a desktop at 125% is 1.25); 1 when absent. */
  scale?: number
}

export async function newAppPage(
  browser: Browser,
  url: string,
  theme: 'light' | 'dark' = 'light',
  viewport: Viewport = { width: 1360, height: 860 },
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const { scale = 1, ...size } = viewport
  const context = await browser.newContext({ colorScheme: theme, viewport: size, deviceScaleFactor: scale })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text())
  })
  await page.goto(url)
  return { context, page, errors }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true })
  const path = join(RESULTS_DIR, `${name}.png`)
  await page.screenshot({ path })
  return path
}
