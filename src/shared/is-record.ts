/**
 * A plain JSON-style object: what every reader of untrusted input (API bodies, files, saved UI
 * state) checks before looking at a field. Arrays are objects too, but never a record here.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The value as a record, or null: for readers that go on with a fallback instead of a branch. */
export function asRecord(value: unknown): Record<string, unknown> | null {
  return isRecord(value) ? value : null
}
