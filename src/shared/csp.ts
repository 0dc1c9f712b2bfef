/**
 * The renderer's Content-Security-Policy, defined once: main sends it as a header with every page
 * from app:// (src/main/protocol.ts), and the build writes it into index.html's <meta> (the Vite
 * config), so the page is held to it even where no header arrives (the dev server, a saved file).
 */
const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
]

/** The header form: every directive. */
export const CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ')

/** The <meta> form: browsers ignore frame-ancestors there (and warn), so it is left to the header. */
export const CONTENT_SECURITY_POLICY_META = DIRECTIVES.filter((d) => !d.startsWith('frame-ancestors')).join(
  '; ',
)
