/**
 * The one way a URL leaves the app for the OS browser. URLs are parsed, never prefix-matched:
 * `https://openrouter.ai.evil.com` and `https://openrouter.ai@evil.com` are different hosts.
 */
const EXTERNAL_HOSTS = ['openrouter.ai'] as const

export function vetExternalUrl(raw: unknown): URL | null {
  if (typeof raw !== 'string' || raw.length > 2048) return null
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  if (url.protocol !== 'https:') return null
  if (url.username || url.password) return null
  if (url.port && url.port !== '443') return null
  const host = url.hostname.toLowerCase()
  const allowed = EXTERNAL_HOSTS.some((h) => host === h || host.endsWith(`.${h}`))
  return allowed ? url : null
}

export function createSafeShell(openExternal: (url: string) => Promise<void>) {
  return {
    async open(raw: unknown): Promise<boolean> {
      const url = vetExternalUrl(raw)
      if (!url) return false
      await openExternal(url.href)
      return true
    },
  }
}
export type SafeShell = ReturnType<typeof createSafeShell>
