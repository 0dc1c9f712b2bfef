/**
 * The one logger of main and the CLI. Every line passes through `redact`, so an API key that
 * slipped into an error message or a URL never reaches a log file or the console.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogSink = (level: LogLevel, line: string) => void

const KEY_PATTERN = /sk-or-[A-Za-z0-9_-]{4,}/g
const BEARER_PATTERN = /(bearer\s+)[^\s"']+/gi
/** Shorter than this, a "secret" would also match ordinary words; no real key is that short. */
const MIN_SECRET_LENGTH = 4

/**
 * The keys main holds right now. The pattern only knows today's `sk-or-` shape; a key of any other
 * shape (an older or future format, a proxy's token) is removed because it is known exactly.
 */
const secrets = new Set<string>()

/** Main only: from now on `redact` removes this exact text, whatever its shape. */
export function rememberSecret(secret: string): void {
  if (secret.length >= MIN_SECRET_LENGTH) secrets.add(secret)
}

export function forgetSecret(secret: string): void {
  secrets.delete(secret)
}

export function redact(text: string): string {
  let out = text
  // Longest first, so a key that contains another key is removed whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length))
    out = out.split(secret).join('…redacted')
  return out.replace(KEY_PATTERN, 'sk-or-…redacted').replace(BEARER_PATTERN, '$1…redacted')
}

const sinks = new Set<LogSink>()
let consoleEnabled = true

export function addLogSink(sink: LogSink): () => void {
  sinks.add(sink)
  return () => sinks.delete(sink)
}

export function setConsoleLogging(enabled: boolean): void {
  consoleEnabled = enabled
}

function format(parts: unknown[]): string {
  return parts
    .map((p) => (p instanceof Error ? `${p.name}: ${p.message}` : typeof p === 'string' ? p : safeJson(p)))
    .join(' ')
}

function safeJson(value: unknown): string {
  try {
    // Each string before it is escaped: `\` or `"` in a key would otherwise hide it from redact.
    return JSON.stringify(value, (_name, v: unknown) => (typeof v === 'string' ? redact(v) : v))
  } catch {
    return String(value)
  }
}

function write(level: LogLevel, parts: unknown[]): void {
  const line = redact(format(parts))
  for (const sink of sinks) sink(level, line)
  if (!consoleEnabled) return
  const stamped = `[${new Date().toISOString()}] ${level}: ${line}`
  if (level === 'error' || level === 'warn') console.error(stamped)
  else if (level === 'info') console.log(stamped)
}

export const log = {
  debug: (...parts: unknown[]) => write('debug', parts),
  info: (...parts: unknown[]) => write('info', parts),
  warn: (...parts: unknown[]) => write('warn', parts),
  error: (...parts: unknown[]) => write('error', parts),
}
