/** Keys OpenRouter may hand out some day, or a proxy may use: redaction cannot rely on `sk-or-`. */
export const OTHER_KEY_SHAPES: readonly [label: string, key: string][] = [
  ['a plain test key', 'test-key-ABCDEF123456'],
  ['a key of regex metacharacters', 'k.e+y*(x)?[y]{2}$^|\\d\\/`${x}`'],
  ['a 507-character key', `LONG${'Z'.repeat(500)}END`],
  ['an sk-or- key', `sk-or-v1-${'f'.repeat(64)}`],
]

/** The first run of 8 characters of `key` found in `text`, or null: a key's start is a leak too. */
export function leakedPiece(text: string, key: string): string | null {
  for (let i = 0; i + 8 <= key.length; i++) if (text.includes(key.slice(i, i + 8))) return key.slice(i, i + 8)
  return null
}
