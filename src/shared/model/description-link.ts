/** Where OpenRouter's model descriptions point their relative links (`/anthropic/claude-opus-4.7`). */
const OPENROUTER_SITE = 'https://openrouter.ai'

/**
 * The absolute URL a description link opens, or null when it must not be followed (javascript:, data:,
 * mailto:, protocol-relative hosts). Main still vets the host before anything opens.
 */
export function resolveDescriptionLink(href: string | null | undefined): string | null {
  const raw = (href ?? '').trim()
  if (raw === '' || raw.startsWith('//')) return null
  let url: URL
  try {
    url = new URL(raw, OPENROUTER_SITE + '/')
  } catch {
    return null
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null
  if (url.username || url.password) return null
  return url.href
}
