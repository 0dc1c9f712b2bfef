import { createHash } from 'node:crypto'

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex')
}

export const SHA256_HEX = /^[0-9a-f]{64}$/

/**
 * Small JSON files (store index, manifests) carry their own checksum on a second line, so a torn
 * or bit-flipped file is told apart from a valid one without any outside record of its hash.
 */
export function sealJson(value: unknown): Buffer {
  const json = JSON.stringify(value)
  return Buffer.from(`${json}\n${sha256Hex(json)}\n`, 'utf8')
}

/** The sealed value, or a reason why the bytes are not a whole, untouched sealed file. */
export function unsealJson(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false; reason: string } {
  const text = Buffer.from(bytes).toString('utf8')
  const nl = text.indexOf('\n')
  if (nl < 0) return { ok: false, reason: 'truncated (no checksum line)' }
  const json = text.slice(0, nl)
  const sum = text.slice(nl + 1).trim()
  if (!SHA256_HEX.test(sum)) return { ok: false, reason: 'truncated or damaged checksum line' }
  if (sha256Hex(json) !== sum) return { ok: false, reason: 'checksum mismatch (file damaged)' }
  try {
    return { ok: true, value: JSON.parse(json) as unknown }
  } catch {
    return { ok: false, reason: 'checksum matches but JSON does not parse' }
  }
}
