import { promises as fsp } from 'node:fs'
import { AppError } from '../../../shared/ipc/result'
import { toStorageError } from '../durable-write'
import { sealJson, unsealJson } from './hash'
import { isAbandonedLockFile } from './lock'
import {
  NEWER_MANIFEST,
  SNAPSHOT_ID,
  checkManifest,
  isFileRef,
  manifestName,
  parseManifestName,
  type Manifest,
} from './manifest'
import {
  INDEX,
  LOCK,
  MANIFESTS,
  MISSING,
  MissingFile,
  isTempLeftover,
  quarantine,
  readdirSafe,
  removeFiles,
  report,
  putFile,
  sameStamp,
  stampOf,
  type Entry,
  type StoreState,
} from './store-state'

/*
 * The manifests (one per snapshot, the truth) and index.json (a sealed cache of their metadata so
 * listing reads one file), and keeping the in-memory entries in step with both.
 */
const INDEX_FORMAT = 'model-deck-index'
const INDEX_VERSION = 1

/** An index entry whose names are safe to turn into paths (a hand-edited index is sealed all the same). */
function isIndexEntry(e: Partial<Entry> | null | undefined): e is Entry {
  return (
    !!e &&
    typeof e.meta?.id === 'string' &&
    SNAPSHOT_ID.test(e.meta.id) &&
    Number.isSafeInteger(e.rev) &&
    (e.seq === undefined || Number.isSafeInteger(e.seq)) &&
    Array.isArray(e.packs) &&
    e.packs.every(isFileRef) &&
    Array.isArray(e.blobs) &&
    e.blobs.every(isFileRef)
  )
}

export function entryFrom(manifest: Manifest, rev: number, manifestBytes: number): Entry {
  const { unavailable: _drop, ...meta } = manifest.meta
  return {
    meta,
    ...(manifest.seq !== undefined ? { seq: manifest.seq } : {}),
    rev,
    manifestBytes,
    packs: manifest.packs,
    blobs: manifest.endpoints.map(([, ref]) => ref),
  }
}

export async function loadIndex(s: StoreState): Promise<boolean> {
  const path = s.p(INDEX)
  const stamp = await stampOf(path)
  if (!stamp) {
    s.entries = new Map()
    s.indexStamp = undefined
    return false
  }
  let bytes: Buffer
  try {
    bytes = await fsp.readFile(path)
  } catch {
    return false
  }
  const sealed = unsealJson(bytes)
  const value = sealed.ok
    ? (sealed.value as { format?: unknown; formatVersion?: unknown; entries?: unknown })
    : null
  if (!value || value.format !== INDEX_FORMAT || !Array.isArray(value.entries)) {
    // The index is only a cache of the manifests: move it aside and rebuild.
    await quarantine(
      s,
      INDEX,
      `index ${sealed.ok ? 'has an unknown shape' : sealed.reason}; rebuilt from manifests`,
    )
    s.entries = new Map()
    s.indexStamp = undefined
    return false
  }
  const next = new Map<string, Entry>()
  // Entries are checked like manifests (names become paths); a bad one is read again from its manifest.
  for (const e of value.entries as Entry[]) if (isIndexEntry(e)) next.set(e.meta.id, e)
  s.entries = next
  s.indexStamp = stamp
  return true
}

export async function writeIndex(s: StoreState): Promise<void> {
  const body = { format: INDEX_FORMAT, formatVersion: INDEX_VERSION, entries: [...s.entries.values()] }
  await putFile(s, INDEX, sealJson(body))
  s.indexStamp = await stampOf(s.p(INDEX))
}

export async function readManifestFile(
  s: StoreState,
  id: string,
  rev: number,
): Promise<{ manifest: Manifest; bytes: number } | typeof MISSING | string> {
  let bytes: Buffer
  try {
    bytes = await fsp.readFile(s.p(MANIFESTS, manifestName(id, rev)))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return MISSING
    throw toStorageError(err, s.p(MANIFESTS, manifestName(id, rev)))
  }
  const sealed = unsealJson(bytes)
  if (!sealed.ok) return sealed.reason
  const why = checkManifest(sealed.value)
  if (why) return why
  const manifest = sealed.value as Manifest
  if (manifest.meta.id !== id) return 'manifest describes a different snapshot'
  return { manifest, bytes: bytes.length }
}

/**
 * Quarantines a damaged manifest; returns false when it is not damage but a newer app's manifest:
 * then its file is kept, the snapshot hidden, and the store stops writing.
 */
export async function badManifest(s: StoreState, id: string, rev: number, reason: string): Promise<boolean> {
  const relative = `${MANIFESTS}/${manifestName(id, rev)}`
  // A read-only store cannot move the file away, so it would be found again on every refresh.
  if (s.knownBadManifests.has(relative)) return !reason.startsWith(NEWER_MANIFEST)
  s.knownBadManifests.add(relative)
  if (!reason.startsWith(NEWER_MANIFEST)) {
    await quarantine(s, relative, `manifest ${reason}`)
    return true
  }
  report(s, relative, `manifest ${reason}; snapshot hidden`)
  s.readOnlyKind = 'newer'
  s.readOnlyReason =
    'Some snapshots were written by a newer Model Deck; the store is open read-only. Update Model Deck to save or change snapshots.'
  return false
}

/**
 * Makes the in-memory index match the manifest folder: reads manifests the index does not know
 * (or knows at an older revision), drops entries whose manifest is gone. With `repair`, persists
 * the result and deletes leftovers of interrupted writes; callers hold the lock then.
 */
export async function syncWithDisk(s: StoreState, repair: boolean): Promise<void> {
  const stamp = await stampOf(s.p(INDEX))
  let changed = false
  if (!sameStamp(stamp, s.indexStamp)) {
    const ok = await loadIndex(s)
    if (!ok) changed = true
  }
  const names = await readdirSafe(s, MANIFESTS)
  const revs = new Map<string, number[]>()
  const leftovers: string[] = []
  for (const name of names) {
    const parsed = parseManifestName(name)
    if (parsed) revs.set(parsed.id, [...(revs.get(parsed.id) ?? []), parsed.rev])
    else if (isTempLeftover(name)) leftovers.push(`${MANIFESTS}/${name}`)
  }
  for (const [id, list] of revs) {
    list.sort((a, b) => b - a)
    const known = s.entries.get(id)
    if (known && known.rev === list[0]) continue
    let found: Entry | undefined
    for (const rev of list) {
      const read = await readManifestFile(s, id, rev)
      if (read === MISSING) continue
      if (typeof read !== 'string') {
        found = entryFrom(read.manifest, rev, read.bytes)
        s.manifestCache.set(id, { rev, manifest: read.manifest })
        break
      }
      if (!(await badManifest(s, id, rev, read))) break
    }
    if (found) s.entries.set(id, found)
    else s.entries.delete(id)
    changed = true
  }
  for (const id of [...s.entries.keys()]) {
    if (!revs.has(id)) {
      s.entries.delete(id)
      s.manifestCache.delete(id)
      changed = true
    }
  }
  if (!repair || s.readOnlyKind) return
  if (changed || !s.indexStamp) await writeIndex(s)
  const stale = [...revs].flatMap(([id, list]) =>
    list
      .filter((rev) => rev !== s.entries.get(id)?.rev)
      .map((rev) => `${MANIFESTS}/${manifestName(id, rev)}`),
  )
  for (const name of await readdirSafe(s, '.')) {
    if (isTempLeftover(name) || (await isAbandonedLockFile(s.dir, name, LOCK))) leftovers.push(name)
  }
  if (stale.length || leftovers.length) await removeFiles(s, [...stale, ...leftovers])
}

export async function manifestOf(s: StoreState, entry: Entry): Promise<Manifest> {
  const cached = s.manifestCache.get(entry.meta.id)
  if (cached && cached.rev === entry.rev) return cached.manifest
  const read = await readManifestFile(s, entry.meta.id, entry.rev)
  // Replaced by a newer revision after we last looked (another process): not damage, retry.
  if (read === MISSING) throw new MissingFile(`${MANIFESTS}/${manifestName(entry.meta.id, entry.rev)}`)
  if (typeof read === 'string') {
    await badManifest(s, entry.meta.id, entry.rev, read)
    s.entries.delete(entry.meta.id)
    s.manifestCache.delete(entry.meta.id)
    throw new AppError('corrupt', `Snapshot ${entry.meta.id} cannot be read: its manifest is ${read}.`)
  }
  s.manifestCache.set(entry.meta.id, { rev: entry.rev, manifest: read.manifest })
  return read.manifest
}

/** Writes a new revision of a manifest, then the index, then drops the old revision. */
export async function rewriteManifest(s: StoreState, entry: Entry, manifest: Manifest): Promise<Entry> {
  const rev = entry.rev + 1
  const bytes = sealJson(manifest)
  await putFile(s, `${MANIFESTS}/${manifestName(entry.meta.id, rev)}`, bytes)
  const next = entryFrom(manifest, rev, bytes.length)
  s.entries.set(entry.meta.id, next)
  s.manifestCache.set(entry.meta.id, { rev, manifest })
  try {
    await writeIndex(s)
  } catch (err) {
    // Roll back so memory and disk agree; the old revision is still in place.
    await fsp.rm(s.p(MANIFESTS, manifestName(entry.meta.id, rev)), { force: true })
    s.entries.set(entry.meta.id, entry)
    s.manifestCache.delete(entry.meta.id)
    throw err
  }
  await removeFiles(s, [`${MANIFESTS}/${manifestName(entry.meta.id, entry.rev)}`])
  return next
}
