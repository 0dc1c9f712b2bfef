import { AppError } from '../../../shared/ipc/result'
import { REGIONS, isRegion, regionApiBase, type Region } from '../../../shared/catalog-options'

export const API_BASES: Readonly<Record<Region, string>> = Object.freeze(
  Object.fromEntries(REGIONS.map((region) => [region, regionApiBase(region)])) as Record<Region, string>,
)

const API_BASE_ENV = 'MODEL_DECK_API_BASE'

const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/

/**
 * Decide on the parsed hostname, never on the raw string: `http://127.0.0.1.evil.com`,
 * `http://localhost@evil.com` and friends all start like a loopback URL.
 */
function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true
  return IPV4_LOOPBACK.test(hostname)
}

/**
 * The API base for a region. `MODEL_DECK_API_BASE` exists so tests and the harness can point the
 * app at a fake server; it must not become a way to send the user's key over plain HTTP to the network.
 */
export function resolveApiBase({
  region,
  env = {},
}: {
  region: Region
  env?: Record<string, string | undefined>
}): string {
  const override = env[API_BASE_ENV]?.trim()
  if (override) return validateOverride(override)
  if (!isRegion(region)) {
    throw new AppError('invalid-input', `Unknown region "${String(region)}": expected global, eu or us.`)
  }
  return API_BASES[region]
}

function validateOverride(raw: string): string {
  const rule = `${API_BASE_ENV} must be an https:// URL, or http:// on a loopback address (127.0.0.0/8, localhost, [::1])`
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new AppError('invalid-input', `${rule}; the value is not a valid absolute URL.`)
  }
  // Never echo the value itself: a URL with userinfo may carry a password.
  if (url.username || url.password) {
    throw new AppError('invalid-input', `${rule}; it must not contain a user name or password.`)
  }
  if (url.search || url.hash) {
    throw new AppError('invalid-input', `${rule}; it must not contain a query string or fragment.`)
  }
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) {
      throw new AppError('invalid-input', `${rule}; plain http is refused for host "${url.hostname}".`)
    }
  } else if (url.protocol !== 'https:') {
    throw new AppError('invalid-input', `${rule}; the scheme "${url.protocol}" is not allowed.`)
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}
