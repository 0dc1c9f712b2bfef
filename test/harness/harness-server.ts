import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import keytar from '@github/keytar'
import { build } from 'esbuild'
import { createAppServices, type AppServices } from '../../src/main/app-services'
import { dispatch } from '../../src/main/ipc/dispatch'
import { CONTENT_SECURITY_POLICY } from '../../src/main/protocol'
import type { Dialogs } from '../../src/main/dialogs'
import { createHandlers } from '../../src/main/ipc/handlers'

const here = fileURLToPath(new URL('.', import.meta.url))
const projectRoot = resolve(here, '../..')

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

export interface HarnessOptions {
  dataDir: string
  /** MODEL_DECK_API_BASE for this harness: normally the fake OpenRouter server. */
  apiBase?: string
  rendererDir?: string
  port?: number
  appVersion?: string
}

export interface Harness {
  url: string
  services: AppServices
  /** Every IPC result the page received, for the key-leak check. */
  ipcLog: { channel: string; result: unknown }[]
  opened: string[]
  /** Every watch notification main showed, in order (a recording notifier stands in for the desktop's). */
  notifications: { title: string; body: string }[]
  /** Plays a click on notification `i`, as the user would on the desktop. */
  clickNotification(i: number): void
  setNextSavePath(path: string | null): void
  setNextOpenPath(path: string | null): void
  close(): Promise<void>
}

let bridgeBundle: Promise<string> | null = null
function bridgeScript(): Promise<string> {
  bridgeBundle ??= build({
    entryPoints: [join(here, 'bridge-client.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
  }).then((r) => r.outputFiles[0]!.text)
  return bridgeBundle
}

/**
 * Serves the built renderer on 127.0.0.1 with a `window.api` whose every call reaches main's real
 * dispatch (same contract, validation and services). Test code only: nothing here ships.
 */
export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const rendererDir = resolve(
    opts.rendererDir ?? process.env.MODEL_DECK_RENDERER_DIR ?? join(projectRoot, 'out/renderer'),
  )
  const sse = new Set<ServerResponse>()
  const opened: string[] = []
  const ipcLog: Harness['ipcLog'] = []
  const notifications: Harness['notifications'] = []
  const notificationClicks: (() => void)[] = []
  let nextSave: string | null = null
  let nextOpen: string | null = null
  const dialogs: Dialogs = {
    chooseSavePath: async () => nextSave,
    chooseOpenPath: async () => nextOpen,
  }
  const env: NodeJS.ProcessEnv = { ...process.env }
  if (opts.apiBase) env.MODEL_DECK_API_BASE = opts.apiBase
  const services = await createAppServices({
    dataDir: opts.dataDir,
    appVersion: opts.appVersion ?? '0.0.0-harness',
    env,
    keytar,
    dialogs,
    openExternal: async (url) => {
      opened.push(url)
    },
    emit: (event, payload) => {
      const line = `data: ${JSON.stringify({ event, payload })}\n\n`
      for (const res of sse) res.write(line)
    },
    notifier: {
      show: ({ title, body, onClick }) => {
        notifications.push({ title, body })
        notificationClicks.push(onClick)
      },
    },
  })
  // The same adapters Electron's main registers with ipcMain, here behind HTTP.
  const handlers = createHandlers(services)

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.statusCode = 500
      res.end(String(err))
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (req.method === 'POST' && url.pathname.startsWith('/__ipc/')) {
      const channel = decodeURIComponent(url.pathname.slice('/__ipc/'.length))
      const body = await readBody(req)
      let payload: unknown
      try {
        payload = JSON.parse(body)
      } catch {
        payload = body
      }
      const result = await dispatch(channel, payload, handlers)
      ipcLog.push({ channel, result })
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify(result))
      return
    }
    if (url.pathname === '/__harness/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      })
      res.write(': connected\n\n')
      sse.add(res)
      req.on('close', () => sse.delete(res))
      return
    }
    if (url.pathname === '/__harness/bridge.js') {
      res.setHeader('content-type', MIME['.js']!)
      res.end(await bridgeScript())
      return
    }
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)
    const file = resolve(join(rendererDir, rel))
    if (!file.startsWith(rendererDir + sep)) {
      res.statusCode = 404
      res.end()
      return
    }
    try {
      let body: Buffer | string = await readFile(file)
      if (extname(file) === '.html') {
        // Like Electron's preload, the bridge must exist before the app's module scripts run, and
        // should ask for the early answers as soon as it can. A blocking script at the end of <head>
        // does both: the parser has already seen (and started fetching) the deferred modules, and
        // they run only after the document, so after the bridge.
        body = body
          .toString('utf8')
          .replace('</head>', '  <script src="/__harness/bridge.js"></script>\n  </head>')
        res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY)
      }
      res.setHeader('content-type', MIME[extname(file)] ?? 'application/octet-stream')
      res.end(body)
    } catch {
      res.statusCode = 404
      res.end()
    }
  }

  // Bundle the stand-in preload before serving, so a first page load does not wait for esbuild.
  await bridgeScript()
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  services.start()
  return {
    url: `http://127.0.0.1:${port}/`,
    services,
    ipcLog,
    opened,
    notifications,
    clickNotification: (i) => {
      const click = notificationClicks[i]
      if (!click) throw new Error(`There is no notification ${i}; ${notifications.length} were shown.`)
      click()
    },
    setNextSavePath: (p) => {
      nextSave = p
    },
    setNextOpenPath: (p) => {
      nextOpen = p
    },
    async close() {
      services.stop()
      for (const res of sse) res.end()
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > 64 * 1024 * 1024) {
        reject(new Error('body too large'))
        req.destroy()
      } else chunks.push(c)
    })
    req.on('end', () => resolvePromise(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}
