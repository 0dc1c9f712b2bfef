import { promises as fsp } from 'node:fs'
import { AppError } from '../../../shared/ipc/result'
import type { SnapshotMeta } from '../../../shared/snapshots'
import { toStorageError } from '../durable-write'
import { sha256Hex } from './hash'
import type { FileRef } from './manifest'
import { decodePack, type DecodedPack } from './pack'
import {
  MissingFile,
  PACKS,
  quarantine,
  report,
  type Entry,
  type PackData,
  type StoreState,
} from './store-state'

/*
 * Packs (records) and blobs (endpoint bodies): content-addressed files, checked against their name
 * on every read, decoded packs kept in a bounded cache, and the damaged ones remembered.
 */
const PACK_CACHE_BYTES = 48 * 1024 * 1024

export function markBad(s: StoreState, hash: string, reason: string): void {
  s.badFiles.set(hash, reason)
  const cached = s.packCache.get(hash)
  if (cached) {
    s.packCache.delete(hash)
    s.packCacheBytes -= cached.bytes
  }
}

/** Reads a content-addressed file and checks its bytes against its name. */
export async function readVerified(s: StoreState, sub: string, ref: FileRef): Promise<Buffer> {
  const relative = `${sub}/${ref.hash}.br`
  const known = s.badFiles.get(ref.hash)
  if (known)
    throw new AppError('corrupt', `A data file of this snapshot is unusable: ${known}.`, { file: relative })
  let bytes: Buffer
  try {
    bytes = await fsp.readFile(s.p(relative))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw toStorageError(err, s.p(relative))
    throw new MissingFile(relative, ref.hash)
  }
  if (sha256Hex(bytes) !== ref.hash) {
    const reason = bytes.length < ref.size ? 'truncated' : 'checksum mismatch (damaged)'
    await quarantine(s, relative, reason)
    markBad(s, ref.hash, `${reason}, moved to quarantine`)
    const message = `A data file of this snapshot was ${reason} and was moved to quarantine.`
    throw new AppError('corrupt', message, { file: relative })
  }
  return bytes
}

export function packData(s: StoreState, ref: FileRef): Promise<PackData> {
  const hit = s.packCache.get(ref.hash)
  if (hit) {
    s.packCache.delete(ref.hash)
    s.packCache.set(ref.hash, hit)
    return hit.data
  }
  const slot = { data: Promise.resolve({} as PackData), bytes: 0 }
  slot.data = (async () => {
    const bytes = await readVerified(s, PACKS, ref)
    let decoded: DecodedPack
    try {
      decoded = await decodePack(bytes)
    } catch (err) {
      // The bytes are the ones we wrote, so this is a pack from a newer version or a bug: report, keep the file.
      const reason = `pack cannot be decoded: ${err instanceof Error ? err.message : String(err)}`
      report(s, `${PACKS}/${ref.hash}.br`, reason)
      markBad(s, ref.hash, reason)
      throw new AppError('corrupt', `A data file of this snapshot cannot be read: ${reason}.`)
    }
    if (s.packCache.get(ref.hash) === slot) {
      slot.bytes = decoded.lines.reduce((n, l) => n + l.length, 0)
      s.packCacheBytes += slot.bytes
      // Least recently used first; the map keeps insertion order and hits re-insert.
      for (const [key, other] of s.packCache) {
        if (s.packCacheBytes <= PACK_CACHE_BYTES || key === ref.hash) break
        s.packCache.delete(key)
        s.packCacheBytes -= other.bytes
      }
    }
    return decoded
  })()
  s.packCache.set(ref.hash, slot)
  slot.data.catch(() => {
    if (s.packCache.get(ref.hash) === slot) s.packCache.delete(ref.hash)
  })
  return slot.data
}

export function lineHashes(pack: PackData): string[] {
  pack.hashes ??= pack.lines.map((line) => sha256Hex(line))
  return pack.hashes
}

export function unavailableReason(s: StoreState, entry: Entry): string | undefined {
  for (const ref of [...entry.packs]) {
    const bad = s.badFiles.get(ref.hash)
    if (bad) return bad
  }
  return undefined
}

export function publicMeta(s: StoreState, entry: Entry): SnapshotMeta {
  const reason = unavailableReason(s, entry)
  return reason ? { ...entry.meta, unavailable: reason } : { ...entry.meta }
}
