import { app, BrowserWindow, protocol, session, shell, dialog, screen } from 'electron'
import { join } from 'node:path'
import {
  createMainWindow,
  installNavigationGuards,
  denyAllPermissions,
  createOriginCheck,
  visibleWindowState,
} from './window'
import { APP_SCHEME, APP_ORIGIN, resolveAppRequest } from './protocol'
import { registerIpc, createSenderCheck } from './ipc/register-ipc'
import { createAppServices } from './app-services'
import { createElectronDialogs } from './dialogs'
import { log } from './log'
import { createHandlers } from './ipc/handlers'
import { createElectronNotifier } from './notifier'

/**
 * Lifecycle only: the services are plain Node modules (tested without Electron); this file wires
 * them to the window, the protocol and IPC.
 */
protocol.registerSchemesAsPrivileged([
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
  },
])

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  let win: BrowserWindow | null = null
  const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
  const allowedOrigins = [APP_ORIGIN, ...(devUrl ? [new URL(devUrl).origin] : [])]

  app.on('second-instance', () => {
    if (!win) return
    if (win.isMinimized()) win.restore()
    win.focus()
  })

  app.on('web-contents-created', (_event, contents) => {
    // Belt and braces: no web contents, ours or any other, may attach a <webview>.
    contents.on('will-attach-webview', (e) => e.preventDefault())
  })

  void app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      // Without this a failed start leaves a process with no window that holds the single-instance
      // lock, so launching again does nothing. Say what went wrong, then really quit.
      log.error('Model Deck could not start:', err)
      const message = err instanceof Error ? err.message : String(err)
      dialog.showErrorBox(
        'Model Deck could not start',
        `${message}\n\nData folder: ${app.getPath('userData')}`,
      )
      app.exit(1)
    })

  async function start(): Promise<void> {
    const rendererRoot = join(import.meta.dirname, '../renderer')
    protocol.handle(APP_SCHEME, async (request) => {
      const res = await resolveAppRequest(request.url, rendererRoot)
      return new Response(res.body ? new Uint8Array(res.body) : null, {
        status: res.status,
        headers: res.headers,
      })
    })
    denyAllPermissions(session.defaultSession)

    const services = await createAppServices({
      dataDir: app.getPath('userData'),
      appVersion: app.getVersion(),
      env: process.env,
      // Loaded lazily: a missing libsecret must become a message in Settings, not a crash at start.
      keytar: () => import('@github/keytar').then((m) => m.default),
      dialogs: createElectronDialogs(dialog, () => win),
      openExternal: (url) => shell.openExternal(url),
      emit: (event, payload) => win?.webContents.send(event, payload),
      notifier: createElectronNotifier(() => win),
    })

    const saved = visibleWindowState(
      (await services.settings.get()).window,
      screen.getAllDisplays().map((d) => d.workArea),
    )
    win = createMainWindow(BrowserWindow, join(import.meta.dirname, '../preload/index.cjs'), saved)
    const contents = win.webContents
    installNavigationGuards(contents, { isOwnPage: createOriginCheck(allowedOrigins), shell: services.shell })
    registerIpc(
      createHandlers(services),
      createSenderCheck({ webContentsId: () => win?.webContents.id ?? null, allowedOrigins }),
    )
    rememberGeometry(win, services.settings.setWindow)
    if (saved?.maximized) win.maximize()
    win.once('ready-to-show', () => win?.show())
    win.on('closed', () => {
      win = null
    })
    await win.loadURL(devUrl ?? `${APP_ORIGIN}/index.html`)
    services.start()
    app.on('before-quit', () => services.stop())
  }

  app.on('window-all-closed', () => app.quit())
}

function rememberGeometry(
  win: BrowserWindow,
  save: (w: { x: number; y: number; width: number; height: number; maximized: boolean }) => Promise<unknown>,
): void {
  let timer: NodeJS.Timeout | null = null
  const persist = () => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      if (win.isDestroyed()) return
      const b = win.getNormalBounds()
      save({ x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() }).catch(
        (err: unknown) => log.warn('Could not save the window position:', err),
      )
    }, 500)
  }
  win.on('resize', persist)
  win.on('move', persist)
  win.on('maximize', persist)
  win.on('unmaximize', persist)
}
