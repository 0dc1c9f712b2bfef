import { it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { launchBrowser } from './browser'
import { realModels, syntheticModels, allowedSubset } from '../bench/catalogs'
import { startHarness } from '../harness/harness-server'
import { TEST_KEYS, startFakeOpenRouter } from '../fake-openrouter/server'

function installProbes(): void {
  const probe: any = { firstRowAt: null, firstRowFrameAt: null, key: null }
  ;(window as any).__bench = probe
  const inResults = (r: MutationRecord) => {
    const el = r.target instanceof Element ? r.target : r.target.parentElement
    return el?.closest('[data-testid="catalog-table"],[data-testid="catalog-count"]') != null
  }
  new MutationObserver((records) => {
    if (probe.firstRowAt === null && document.querySelector('[data-testid="catalog-row"]')) {
      probe.firstRowAt = performance.now()
      requestAnimationFrame(() => (probe.firstRowFrameAt = performance.now()))
    }
    const key = probe.key
    if (key && key.domAt === null && records.some(inResults)) {
      key.domAt = performance.now()
      requestAnimationFrame(() => (key.frameAt = performance.now()))
    }
  }).observe(document, { childList: true, subtree: true, characterData: true })
  window.addEventListener('keydown', (event) => {
    if ((event.target as HTMLElement | null)?.dataset?.testid === 'catalog-search') probe.key = { at: event.timeStamp, domAt: null, frameAt: null }
  }, true)
}

it('scratch bench', async () => {
  const browser = await launchBrowser()
  const real = realModels()
  const sizes = (process.env.SIZES ?? '549,100000').split(',').map(Number)
  for (const size of sizes) {
    const models = size === real.length ? real : syntheticModels(real, size)
    const dataDir = mkdtempSync(join(tmpdir(), 'md-scratch-bench-'))
    const fake = await startFakeOpenRouter({ models, userSubset: allowedSubset(models).map((m) => m.id) })
    const harness = await startHarness({ dataDir, apiBase: fake.url, rendererDir: '/tmp/md-renderer-catalog' })
    await harness.services.keys.set(await harness.services.keys.activeId(), TEST_KEYS.personal)
    const t0 = Date.now()
    const r = await harness.services.catalog.refresh({})
    console.log('SEEDED', size, Date.now() - t0, r.results.map((x) => x.ok))
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 } })
    await context.addInitScript(installProbes)
    const page = await context.newPage()
    const loads: number[] = []
    const cdp0 = await context.newCDPSession(page)
    await cdp0.send('Profiler.enable')
    await cdp0.send('Profiler.setSamplingInterval', { interval: 100 })
    await cdp0.send('Profiler.start')
    for (let i = 0; i < 1; i++) {
      await page.goto(`${harness.url}#/catalog`, { waitUntil: 'commit' })
      await page.waitForFunction(() => (window as any).__bench.firstRowFrameAt !== null, null, { timeout: 120_000, polling: 'raf' })
      loads.push(await page.evaluate(() => (window as any).__bench.firstRowFrameAt))
    }
    {
      const { profile } = await cdp0.send('Profiler.stop')
      const self = new Map<string, number>()
      const dt = profile.timeDeltas ?? []
      const byId = new Map(profile.nodes.map((n: any) => [n.id, n]))
      ;(profile.samples ?? []).forEach((id: number, i: number) => {
        const n: any = byId.get(id)
        const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`
        self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000)
      })
      console.log('LOADPROFILE', [...self].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => `${Math.round(v)}ms ${k}`).join('\n'))
    }
    console.log('RESOURCES', JSON.stringify(await page.evaluate(() => [
      ...performance.getEntriesByType('resource').map((e: any) => [e.name.split('/').pop(), Math.round(e.startTime), Math.round(e.responseEnd), e.transferSize]),
      ['first-row', Math.round((window as any).__bench.firstRowAt), Math.round((window as any).__bench.firstRowFrameAt)],
      ['dcl', Math.round((performance.getEntriesByType('navigation')[0] as any).domContentLoadedEventEnd)],
    ])))
    const search = page.getByTestId('catalog-search')
    await search.click()
    const keys: number[] = []
    const detail: any[] = []
    for (const char of size < 1000 ? 'claude\bgpt-4o\bqwen' : 'claude\bgpt-4o') {
      await page.evaluate(() => ((window as any).__bench.key = null))
      if (char === '\b') { await search.selectText(); await page.keyboard.press('Backspace') } else await page.keyboard.type(char)
      try {
        await page.waitForFunction(() => (window as any).__bench.key?.frameAt != null, null, { timeout: 3000, polling: 'raf' })
        const k = await page.evaluate(() => (window as any).__bench.key)
        keys.push(Math.round(k.frameAt - k.at)); detail.push(Math.round(k.domAt - k.at))
      } catch { keys.push(-1) }
      await page.waitForTimeout(60)
    }
    const cdp = await context.newCDPSession(page)
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
    await cdp.send('Profiler.start')
    const events: any[] = []
    cdp.on('Tracing.dataCollected', (d: any) => events.push(...d.value))
    const traceDone = new Promise((r) => cdp.once('Tracing.tracingComplete', r))
    await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' })
    const frames: number[] = await page.evaluate(async (duration) => {
      const el = document.querySelector<HTMLElement>('[data-testid="catalog-table"]')!
      el.scrollTop = 0
      const frames: number[] = []
      await new Promise<void>((resolve) => {
        let last = 0, start = 0
        const step = (t: number) => {
          if (start === 0) start = t; else frames.push(t - last)
          last = t
          el.scrollTop = el.scrollTop + el.clientHeight >= el.scrollHeight - 1 ? 0 : el.scrollTop + 240
          if (t - start < duration) requestAnimationFrame(step); else resolve()
        }
        requestAnimationFrame(step)
      })
      return frames
    }, 3000)
    await cdp.send('Tracing.end')
    await traceDone
    const sums = new Map<string, number>()
    for (const e of events) if (e.ph === 'X' && e.dur) sums.set(e.name, (sums.get(e.name) ?? 0) + e.dur / 1000)
    const ev = new Map<string, number>()
    for (const e of events) if (e.ph === 'X' && e.dur && e.name === 'EventDispatch') ev.set(e.args?.data?.type, (ev.get(e.args?.data?.type) ?? 0) + e.dur / 1000)
    console.log('EVENTS', JSON.stringify([...ev]))
    console.log('TRACE', [...sums].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => `${Math.round(v)}ms ${k}`).join('\n'))
    const { profile } = await cdp.send('Profiler.stop')
    const self = new Map<string, number>()
    const dt = profile.timeDeltas ?? []
    const byId = new Map(profile.nodes.map((n: any) => [n.id, n]))
    ;(profile.samples ?? []).forEach((id: number, i: number) => {
      const n: any = byId.get(id)
      const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`
      self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000)
    })
    console.log('PROFILE', [...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${Math.round(v)}ms ${k}`).join('\n'))
    const total = frames.reduce((a, b) => a + b, 0)
    console.log('BENCH', size, JSON.stringify({ loads: loads.map(Math.round), keys, domKeys: detail, fps: Math.round(frames.length / total * 1000), p95: frames.sort((a, b) => a - b)[Math.floor(frames.length * 0.95)] }))
    await context.close(); await harness.close(); await fake.close(); rmSync(dataDir, { recursive: true, force: true })
  }
  await browser.close()
}, 900_000)
