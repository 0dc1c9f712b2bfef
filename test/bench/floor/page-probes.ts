import type { Page } from 'playwright-core'
import { screenshot } from '../../e2e/browser'

/**
 * One set of probes for Model Deck and its floor, so both are measured the same way. Both pages
 * carry the same test ids: catalog-search (the box), catalog-table (the scroller holding the rows),
 * catalog-row (a row) and catalog-count (the result count).
 */
interface PageProbe {
  firstRowFrameAt: number | null
  key: { at: number; lastChangeAt: number | null } | null
}
type ProbeWindow = Window & { __side: PageProbe }

/**
 * Runs in the page before its own scripts. The first row: the animation frame after the first row
 * element enters the DOM. A keystroke: from the key event's timeStamp to the last change of the
 * results, each change laid out at once (a size is read), so a page that updates in steps (a
 * debounce, a second pass) is timed to its final rows, not its first.
 */
export function installPageProbes(): void {
  const probe: PageProbe = { firstRowFrameAt: null, key: null }
  ;(window as unknown as ProbeWindow).__side = probe
  const inResults = (r: MutationRecord) => {
    const el = r.target instanceof Element ? r.target : r.target.parentElement
    return el?.closest('[data-testid="catalog-table"],[data-testid="catalog-count"]') != null
  }
  let firstSeen = false
  new MutationObserver((records) => {
    if (!firstSeen && document.querySelector('[data-testid="catalog-row"]')) {
      firstSeen = true
      requestAnimationFrame(() => (probe.firstRowFrameAt = performance.now()))
    }
    const key = probe.key
    if (key && records.some(inResults)) {
      void document.querySelector<HTMLElement>('[data-testid="catalog-table"]')?.offsetHeight
      key.lastChangeAt = performance.now()
    }
  }).observe(document, { childList: true, subtree: true, characterData: true })
  window.addEventListener(
    'keydown',
    (event) => {
      if ((event.target as HTMLElement | null)?.dataset?.testid === 'catalog-search') {
        probe.key = { at: event.timeStamp, lastChangeAt: null }
      }
    },
    true,
  )
}

export interface LoadTimes {
  /** Navigation start to the frame after the first row is in the DOM. */
  firstRowsMs: number
  /** Navigation start to DOMContentLoaded: the page's own code, before any data. */
  domContentLoadedMs: number
}

export async function loadPage(page: Page, url: string, errors: string[]): Promise<LoadTimes> {
  await page.goto(url, { waitUntil: 'commit' })
  try {
    await page.waitForFunction(
      () => (window as unknown as ProbeWindow).__side.firstRowFrameAt !== null,
      null,
      {
        timeout: 180_000,
        polling: 'raf',
      },
    )
  } catch {
    const shot = await screenshot(page, 'bench-side-by-side-no-rows')
    throw new Error(`No row appeared at ${url} (see ${shot}). Page errors: ${errors.join(' | ') || 'none'}`)
  }
  await page.waitForFunction(() => document.readyState !== 'loading')
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
    return {
      firstRowsMs: (window as unknown as ProbeWindow).__side.firstRowFrameAt!,
      domContentLoadedMs: nav.domContentLoadedEventStart,
    }
  })
}

/** Quiet time after the last change before a keystroke counts as settled. */
const QUIET_MS = 300

/**
 * Each character typed on its own ("\b" clears the box); the time from its key event to the last
 * change of the results before 300 ms of quiet. A keystroke that changed nothing is not counted.
 */
export async function typeAndMeasure(page: Page, typed: string): Promise<number[]> {
  const search = page.getByTestId('catalog-search')
  await search.click()
  const times: number[] = []
  for (const char of typed) {
    await page.evaluate(() => ((window as unknown as ProbeWindow).__side.key = null))
    if (char === '\b') {
      await search.selectText()
      await page.keyboard.press('Backspace')
    } else {
      await page.keyboard.type(char)
    }
    await page.waitForFunction(
      (quiet) => {
        const k = (window as unknown as ProbeWindow).__side.key
        return k !== null && performance.now() - (k.lastChangeAt ?? k.at) >= quiet
      },
      QUIET_MS,
      { timeout: 60_000, polling: 50 },
    )
    const key = await page.evaluate(() => (window as unknown as ProbeWindow).__side.key!)
    if (key.lastChangeAt !== null) times.push(key.lastChangeAt - key.at)
  }
  return times
}

/** requestAnimationFrame intervals while the list moves 240 px a frame (back to the top at the end). */
export function scrollFrames(page: Page, ms: number): Promise<number[]> {
  return page.evaluate(async (duration) => {
    const el = document.querySelector<HTMLElement>('[data-testid="catalog-table"]')!
    el.scrollTop = 0
    const frames: number[] = []
    await new Promise<void>((resolve) => {
      let last = 0
      let start = 0
      const step = (t: number) => {
        if (start === 0) start = t
        else frames.push(t - last)
        last = t
        el.scrollTop = el.scrollTop + el.clientHeight >= el.scrollHeight - 1 ? 0 : el.scrollTop + 240
        if (t - start < duration) requestAnimationFrame(step)
        else resolve()
      }
      requestAnimationFrame(step)
    })
    return frames
  }, ms)
}

/** requestAnimationFrame intervals while the whole list goes from top to bottom in `steps` frames. */
export function wholeListFrames(page: Page, steps: number): Promise<number[]> {
  return page.evaluate(async (count) => {
    const el = document.querySelector<HTMLElement>('[data-testid="catalog-table"]')!
    el.scrollTop = 0
    const frames: number[] = []
    await new Promise<void>((resolve) => {
      let last = 0
      let i = 0
      const step = (t: number) => {
        if (i > 0) frames.push(t - last)
        last = t
        if (i === count) return resolve()
        i++
        el.scrollTop = ((el.scrollHeight - el.clientHeight) * i) / count
        requestAnimationFrame(step)
      }
      requestAnimationFrame(step)
    })
    el.scrollTop = 0
    return frames
  }, steps)
}
