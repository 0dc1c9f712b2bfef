import { describe, expect, it } from 'vitest'
import { EventEmitter } from 'node:events'
import {
  createMainWindow,
  type BrowserWindowClass,
  installNavigationGuards,
  denyAllPermissions,
  createOriginCheck,
  visibleWindowState,
} from '../../src/main/window'
import { createSafeShell } from '../../src/main/safe-shell'
import type { BrowserWindowConstructorOptions } from 'electron'

/** The options a window was created with, through a stand-in for Electron's BrowserWindow class. */
function windowOptions(
  preload: string,
  saved: Parameters<typeof createMainWindow>[2],
): BrowserWindowConstructorOptions {
  let seen: BrowserWindowConstructorOptions | undefined
  const RecordingWindow = function (this: unknown, options: BrowserWindowConstructorOptions) {
    seen = options
  }
  createMainWindow(RecordingWindow as unknown as BrowserWindowClass, preload, saved)
  return seen!
}

describe('the hardened window', () => {
  it('has the options of Electron’s security checklist', () => {
    const prefs = windowOptions('/app/preload/index.cjs', null).webPreferences!
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    })
    expect(prefs).not.toHaveProperty('enableBlinkFeatures')
    expect(prefs.disableBlinkFeatures).toBe('Auxclick')
    expect(prefs.preload).toBe('/app/preload/index.cjs')
  })

  it('restores a remembered size and position', () => {
    const opts = windowOptions('/p', { x: 40, y: 50, width: 1000, height: 700, maximized: false })
    expect(opts).toMatchObject({ x: 40, y: 50, width: 1000, height: 700 })
  })

  it('drops a remembered position that is no longer on any display', () => {
    const displays = [{ x: 0, y: 0, width: 1920, height: 1080 }]
    expect(
      visibleWindowState({ x: 5000, y: 50, width: 1000, height: 700, maximized: false }, displays),
    ).toEqual({
      width: 1000,
      height: 700,
      maximized: false,
    })
    expect(
      visibleWindowState({ x: 10, y: 10, width: 1000, height: 700, maximized: true }, displays),
    ).toMatchObject({ x: 10 })
  })

  function fakeContents() {
    const emitter = new EventEmitter() as EventEmitter & {
      setWindowOpenHandler: (h: (d: { url: string }) => unknown) => void
      openHandler?: (d: { url: string }) => unknown
    }
    emitter.setWindowOpenHandler = (h) => {
      emitter.openHandler = h
    }
    return emitter
  }

  function guarded() {
    const contents = fakeContents()
    const opened: string[] = []
    const shell = createSafeShell(async (url) => {
      opened.push(url)
    })
    installNavigationGuards(contents as never, { isOwnPage: createOriginCheck(['app://model-deck']), shell })
    return { contents, opened }
  }

  it.each([
    ['https://evil.example/'],
    ['https://openrouter.ai/models'],
    ['file:///etc/passwd'],
    ['javascript:alert(1)'],
    ['app://model-deck.evil/index.html'],
  ])('blocks navigation of the window to %s', (url) => {
    const { contents } = guarded()
    let prevented = false
    contents.emit('will-navigate', { preventDefault: () => (prevented = true) }, url)
    expect(prevented).toBe(true)
  })

  it('lets the app navigate within its own origin', () => {
    const { contents } = guarded()
    let prevented = false
    contents.emit(
      'will-navigate',
      { preventDefault: () => (prevented = true) },
      'app://model-deck/index.html#/compare',
    )
    expect(prevented).toBe(false)
  })

  it('denies every window.open; OpenRouter https links go to the OS browser, others nowhere', async () => {
    const { contents, opened } = guarded()
    expect(contents.openHandler!({ url: 'https://openrouter.ai/settings/privacy' })).toEqual({
      action: 'deny',
    })
    expect(contents.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
    expect(contents.openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' })
    await new Promise((r) => setTimeout(r, 0))
    expect(opened).toEqual(['https://openrouter.ai/settings/privacy'])
  })

  it('denies every permission request and check', () => {
    let request: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | undefined
    let check: (() => boolean) | undefined
    denyAllPermissions({
      setPermissionRequestHandler: (h: never) => (request = h),
      setPermissionCheckHandler: (h: never) => (check = h),
    } as never)
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: boolean | undefined
      request!(null, permission, (g) => (granted = g))
      expect(granted).toBe(false)
    }
    expect(check!()).toBe(false)
  })
})
