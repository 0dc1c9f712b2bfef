import { readFile, realpath } from 'node:fs/promises'
import { extname, join, resolve, sep } from 'node:path'
import { CONTENT_SECURITY_POLICY } from '../shared/csp'

/**
 * Serves the built renderer at app://model-deck/ instead of file://, so the page has a real origin
 * (CSP 'self', sender checks) and cannot read arbitrary files. Pure request → response logic;
 * Electron's protocol.handle only forwards to it.
 */
export const APP_SCHEME = 'app'
const APP_HOST = 'model-deck'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
}

export { CONTENT_SECURITY_POLICY }

export interface ProtocolResponse {
  status: number
  headers: Record<string, string>
  body: Buffer | null
}

/** Resolve a request URL to a file under `root`, refusing other hosts, traversal and symlinks out. */
export async function resolveAppRequest(requestUrl: string, root: string): Promise<ProtocolResponse> {
  const notFound: ProtocolResponse = { status: 404, headers: {}, body: null }
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return notFound
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return notFound
  let pathname: string
  try {
    pathname = decodeURIComponent(url.pathname)
  } catch {
    return notFound
  }
  if (pathname.includes('\0') || pathname.split(/[\\/]/).includes('..')) return notFound
  const base = resolve(root)
  const target = resolve(join(base, pathname === '/' ? 'index.html' : pathname))
  if (target !== base && !target.startsWith(base + sep)) return notFound
  try {
    const real = await realpath(target)
    const realBase = await realpath(base)
    if (!real.startsWith(realBase + sep)) return notFound
    const body = await readFile(real)
    const headers: Record<string, string> = {
      'content-type': MIME[extname(real).toLowerCase()] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
    }
    if (extname(real) === '.html') headers['content-security-policy'] = CONTENT_SECURITY_POLICY
    return { status: 200, headers, body }
  } catch {
    return notFound
  }
}
