/**
 * The one logger of main and the CLI. Every line passes through `redact`, so an API key that
 * slipped into an error message or a URL never reaches a log file or the console.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogSink = (level: LogLevel, line: string) => void

const KEY_PATTERN = /sk-or-[A-Za-z0-9_-]{4,}/g
const BEARER_PATTERN = /(bearer\s+)[^\s"']+/gi

export function redact(text: string): string {
  return text.replace(KEY_PATTERN, 'sk-or-…redacted').replace(BEARER_PATTERN, '$1…redacted')
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
    return JSON.stringify(value)
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
