import {
  quarantine,
  report,
  stampOf,
  BLOBS,
  MANIFESTS,
  PACKS,
  MISSING,
  type Entry,
  type StoreState,
} from './store-state'
import { badManifest, readManifestFile } from './store-index'
import { markBad, readVerified } from './store-packs'
import { manifestName, type FileRef } from './manifest'

/*
 * Checking what is on disk against what the manifests promise: seals, sizes and hashes. Damage is
 * quarantined and reported; the snapshots that need a damaged file show as unavailable.
 */

export async function checkDataFiles(s: StoreState, hashAll: boolean): Promise<void> {
  for (const [sub, pick] of [
    [PACKS, (e: Entry) => e.packs],
    [BLOBS, (e: Entry) => e.blobs],
  ] as const) {
    const refs = new Map<string, FileRef>()
    for (const e of s.entries.values()) for (const r of pick(e)) refs.set(r.hash, r)
    for (const ref of refs.values()) {
      if (s.badFiles.has(ref.hash)) continue
      const relative = `${sub}/${ref.hash}.br`
      const stamp = await stampOf(s.p(relative))
      if (!stamp) {
        report(s, relative, 'missing')
        markBad(s, ref.hash, 'file missing')
      } else if (stamp.size !== ref.size) {
        const reason = stamp.size < ref.size ? 'truncated' : 'wrong size (damaged)'
        await quarantine(s, relative, reason)
        markBad(s, ref.hash, `${reason}, moved to quarantine`)
      } else if (hashAll) {
        await readVerified(s, sub, ref).catch(() => undefined)
      }
    }
  }
}

export async function verifyManifests(s: StoreState): Promise<void> {
  for (const entry of [...s.entries.values()]) {
    const read = await readManifestFile(s, entry.meta.id, entry.rev)
    if (typeof read === 'string') {
      if (read === MISSING)
        report(s, `${MANIFESTS}/${manifestName(entry.meta.id, entry.rev)}`, 'manifest missing')
      else await badManifest(s, entry.meta.id, entry.rev, read)
      s.entries.delete(entry.meta.id)
      s.manifestCache.delete(entry.meta.id)
    }
  }
}

/** Sizes always (catches truncation); with verifyOnOpen, every manifest seal and data file hash too. */
export async function checkOnOpen(s: StoreState): Promise<boolean> {
  const before = s.problemList.length
  if (s.deps.verifyOnOpen ?? true) await verifyManifests(s)
  await checkDataFiles(s, s.deps.verifyOnOpen ?? true)
  return s.problemList.length > before
}
