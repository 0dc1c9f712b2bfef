import type {
  BrowserWindow,
  BrowserWindowConstructorOptions,
  WebContents,
  Session,
  Rectangle,
} from 'electron'
import type { Settings } from '../shared/settings'
import type { SafeShell } from './safe-shell'
import { log } from './log'

/** Electron's BrowserWindow class, passed in so unit tests can record what the window is given. */
export type BrowserWindowClass = new (options: BrowserWindowConstructorOptions) => BrowserWindow

/**
 * Our one window, hardened. The webPreferences stay an object literal at this `new BrowserWindow`
 * call on purpose: that is where Electronegativity (and a reviewer) reads them, so the scan proves
 * isolation and sandboxing itself instead of needing a waiver. A unit test holds every option to
 * Electron's security checklist.
 */
export function createMainWindow(
  BrowserWindow: BrowserWindowClass,
  preloadPath: string,
  saved: Settings['window'],
): BrowserWindow {
  return new BrowserWindow({
    width: saved?.width ?? 1360,
    height: saved?.height ?? 860,
    ...(saved?.x !== undefined && saved?.y !== undefined ? { x: saved.x, y: saved.y } : {}),
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Model Deck',
    backgroundColor: '#101418',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // A middle click would otherwise try to open a new window (which the open handler refuses anyway).
      disableBlinkFeatures: 'Auxclick',
    },
  })
}

/** True when `url` is a page of our own app (the app:// origin, or the dev server in development). */
export function createOriginCheck(allowedOrigins: string[]) {
  return (raw: string): boolean => {
    try {
      const url = new URL(raw)
      const origin = url.protocol === 'app:' ? `app://${url.host}` : url.origin
      return allowedOrigins.includes(origin)
    } catch {
      return false
    }
  }
}

/**
 * Nothing navigates the window away from the app and nothing opens a new window; https links to
 * OpenRouter go to the OS browser through the safe shell, everything else is dropped.
 */
export function installNavigationGuards(
  contents: WebContents,
  opts: { isOwnPage: (url: string) => boolean; shell: SafeShell },
): void {
  contents.on('will-navigate', (event, url) => {
    if (opts.isOwnPage(url)) return
    event.preventDefault()
    void opts.shell.open(url)
  })
  contents.on('will-redirect', (event, url) => {
    if (!opts.isOwnPage(url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    void opts.shell.open(url).then((opened) => {
      if (!opened) log.warn('Refused to open a link that is not an https OpenRouter page')
    })
    return { action: 'deny' }
  })
}

/** Electron grants every permission by default; the app needs none of them. */
export function denyAllPermissions(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

/** Keep a saved position only if it is still on one of the displays (a monitor may have gone). */
export function visibleWindowState(saved: Settings['window'], displays: Rectangle[]): Settings['window'] {
  if (!saved) return null
  if (saved.x === undefined || saved.y === undefined) return saved
  const { x, y } = saved
  const onScreen = displays.some(
    (d) => x + 100 > d.x && x < d.x + d.width - 100 && y >= d.y && y < d.y + d.height - 50,
  )
  return onScreen ? saved : { width: saved.width, height: saved.height, maximized: saved.maximized }
}
