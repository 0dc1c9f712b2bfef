import type { SnapshotUsage } from '../../../shared/snapshots'
import type { PruneOptions } from './store-input'
import { SHA256_HEX, sha256Hex } from './hash'
import { fromRuns, parseManifestName, toRuns, type Manifest, type PackRef } from './manifest'
import { STORE_FILE } from './migrations'
import { encodePack } from './pack'
import { manifestOf, rewriteManifest, writeIndex } from './store-index'
import { packData } from './store-packs'
import { savedLast, sorted } from './store-read'
import {
  BLOBS,
  INDEX,
  MANIFESTS,
  PACKS,
  isTempLeftover,
  putFile,
  readdirSafe,
  removeFiles,
  stampOf,
  type Entry,
  type PackData,
  type StoreState,
} from './store-state'

/*
 * Removing snapshots and getting their space back: retention, unused packs and blobs swept,
 * mostly-dead packs compacted (their users' manifests rewritten first). The caller holds the lock.
 */

/** Compact a pack on removal once a third of its records are no longer used by any snapshot. */
const COMPACT_BELOW_LIVE_SHARE = 2 / 3

export async function removeEntries(s: StoreState, ids: string[]): Promise<void> {
  for (const id of ids) {
    const entry = s.entries.get(id)
    if (!entry) continue
    // Manifest first: once it is gone the snapshot is gone, whatever happens to the index.
    const names = (await readdirSafe(s, MANIFESTS)).filter((n) => parseManifestName(n)?.id === id)
    await removeFiles(
      s,
      names.map((n) => `${MANIFESTS}/${n}`),
    )
    s.entries.delete(id)
    s.manifestCache.delete(id)
  }
  await writeIndex(s)
}

/**
 * Deletes packs and blobs no snapshot uses and rewrites packs that are mostly dead records
 * (or, for a size limit, any dead record) so removing snapshots actually frees their space.
 */
export async function collectGarbage(
  s: StoreState,
  compact: 'none' | 'mostly-dead' | 'any-dead',
): Promise<void> {
  if (compact !== 'none') {
    try {
      await compactPacks(s, compact === 'any-dead')
    } catch {
      // Compaction only reclaims space, and every step of it leaves a consistent store: a full disk
      // here must not turn the removal that already happened into an error. Next time it retries.
    }
  }
  const usedPacks = new Set<string>()
  const usedBlobs = new Set<string>()
  for (const e of s.entries.values()) {
    for (const r of e.packs) usedPacks.add(r.hash)
    for (const r of e.blobs) usedBlobs.add(r.hash)
  }
  const doomed: string[] = []
  for (const [sub, used] of [
    [PACKS, usedPacks],
    [BLOBS, usedBlobs],
  ] as const) {
    for (const name of await readdirSafe(s, sub)) {
      const hash = name.endsWith('.br') ? name.slice(0, -3) : ''
      if (isTempLeftover(name) || (SHA256_HEX.test(hash) && !used.has(hash))) doomed.push(`${sub}/${name}`)
    }
  }
  if (doomed.length) await removeFiles(s, doomed)
}

async function compactPacks(s: StoreState, aggressive: boolean): Promise<void> {
  const users = new Map<string, Entry[]>()
  const live = new Map<string, Set<number>>()
  const unknown = new Set<string>()
  for (const e of s.entries.values()) {
    let manifest: Manifest
    try {
      manifest = await manifestOf(s, e)
    } catch {
      // Without its record list we cannot tell which records it uses: leave its packs alone.
      for (const r of e.packs) unknown.add(r.hash)
      continue
    }
    for (const r of manifest.packs) users.set(r.hash, [...(users.get(r.hash) ?? []), e])
    for (const ref of fromRuns(manifest.packs, manifest.runs)) {
      let set = live.get(ref.pack)
      if (!set) live.set(ref.pack, (set = new Set()))
      set.add(ref.index)
    }
  }
  for (const [hash, list] of users) {
    const ref = list[0]!.packs.find((r) => r.hash === hash)!
    const used = live.get(hash) ?? new Set<number>()
    if (unknown.has(hash) || s.badFiles.has(hash) || used.size === ref.count) continue
    if (!aggressive && used.size / ref.count >= COMPACT_BELOW_LIVE_SHARE) continue
    let pack: PackData
    try {
      pack = await packData(s, ref)
    } catch {
      continue
    }
    const keep = [...used].sort((a, b) => a - b)
    const moved = new Map(keep.map((old, i) => [old, i]))
    const bytes = await encodePack(
      keep.map((i) => pack.ids[i]!),
      keep.map((i) => pack.lines[i]!),
    )
    const next: PackRef = { hash: sha256Hex(bytes), size: bytes.length, count: keep.length }
    await putFile(s, `${PACKS}/${next.hash}.br`, bytes)
    s.badFiles.delete(next.hash)
    for (const user of list) {
      const current = s.entries.get(user.meta.id)!
      const manifest = await manifestOf(s, current)
      const refs = fromRuns(manifest.packs, manifest.runs).map((r) =>
        r.pack === hash ? { pack: next.hash, index: moved.get(r.index)! } : r,
      )
      const known = new Map(manifest.packs.map((r) => [r.hash, r]))
      known.set(next.hash, next)
      const { packs, runs } = toRuns(refs)
      await rewriteManifest(s, current, { ...manifest, packs: packs.map((h) => known.get(h)!), runs })
    }
    // The old pack is deleted by the sweep that follows, once no manifest on disk names it.
  }
}

export async function totalBytes(s: StoreState): Promise<SnapshotUsage> {
  let total = 0
  let packs = 0
  for (const name of [STORE_FILE, INDEX]) total += (await stampOf(s.p(name)))?.size ?? 0
  for (const sub of [MANIFESTS, PACKS, BLOBS]) {
    for (const name of await readdirSafe(s, sub)) {
      total += (await stampOf(s.p(sub, name)))?.size ?? 0
      if (sub === PACKS) packs++
    }
  }
  return { totalBytes: total, snapshots: s.entries.size, packs }
}

/** Applies retention (validated options); returns the ids removed. */
export async function pruneEntries(s: StoreState, options: PruneOptions): Promise<string[]> {
  const { keepLast, maxBytes } = options
  const removed: string[] = []
  const byKey = new Map<string, Entry[]>()
  for (const e of sorted(s)) {
    const key = `${e.meta.source}\u0000${e.meta.region}\u0000${e.meta.profile}`
    byKey.set(key, [...(byKey.get(key) ?? []), e])
  }
  const last = savedLast(s)
  if (keepLast !== undefined) {
    const doomed = [...byKey.values()].flatMap((list) =>
      list.slice(keepLast).filter((e) => !e.meta.pinned && !last.has(e)),
    )
    await removeEntries(
      s,
      doomed.map((e) => e.meta.id),
    )
    removed.push(...doomed.map((e) => e.meta.id))
  }
  await collectGarbage(s, maxBytes !== undefined ? 'any-dead' : 'mostly-dead')
  if (maxBytes !== undefined) {
    const newest = new Set([...byKey.values()].map((list) => list[0]!.meta.id))
    for (const e of last) newest.add(e.meta.id)
    const candidates = sorted(s)
      .reverse()
      .filter((e) => !e.meta.pinned && !newest.has(e.meta.id))
    for (const e of candidates) {
      if ((await totalBytes(s)).totalBytes <= maxBytes) break
      await removeEntries(s, [e.meta.id])
      removed.push(e.meta.id)
      await collectGarbage(s, 'any-dead')
    }
  }
  return removed
}
