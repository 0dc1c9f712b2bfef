import { promises as fsp } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { AppError } from '../../../shared/ipc/result'
import type { CatalogSource, RawModel, Region } from '../../../shared/model/raw'
import type { SnapshotMeta, SnapshotOrigin } from '../../../shared/snapshots'
import { sealJson, sha256Hex } from './hash'
import {
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  SNAPSHOT_ID,
  manifestName,
  toRuns,
  type Manifest,
  type FileRef,
  type PackRef,
  type RecordRef,
} from './manifest'
import { encodeBrotli, encodePack } from './pack'
import { entryFrom, manifestOf, rewriteManifest, writeIndex } from './store-index'
import { lineHashes, packData, publicMeta, unavailableReason } from './store-packs'
import { entryOrThrow, sorted } from './store-read'
import type { MetaPatch } from './store-input'
import { BLOBS, MANIFESTS, PACKS, putFile, stampOf, type Entry, type StoreState } from './store-state'

/*
 * Saving a snapshot: unchanged records are reused from the packs of the newest snapshot of each
 * catalog, the rest go to one new pack, then the manifest, then the index. The caller holds the lock.
 */

/**
 * A save that would spread its records over more packs than this writes them all to one new pack
 * (see insert). Measured on the real catalog with ~1% changed per save (docs/storage.md): the
 * keyframe's cost amortised over the saves that follow against the manifest growth per pack.
 */
const MAX_PACKS_PER_SNAPSHOT = 24

function newId(s: StoreState, takenAt: string): string {
  const stamp = takenAt.replace(/[-:.]/g, '')
  for (;;) {
    const id = `${stamp}-${randomBytes(3).toString('hex')}`
    if (!s.entries.has(id)) return id
  }
}

/** A save after validation: every field checked and normalised (see store-input.ts). */
export interface Insert {
  id?: string
  source: CatalogSource
  region: Region
  profile: string
  models: RawModel[]
  skipped: number
  takenAt: string
  checkedAt?: string
  origin: SnapshotOrigin
  note?: string
  pinned?: boolean
  importedFrom?: string
}

const sameKey = (m: SnapshotMeta, i: { source: string; region: string; profile: string }): boolean =>
  m.source === i.source && m.region === i.region && m.profile === i.profile

const nextSeq = (s: StoreState): number =>
  [...s.entries.values()].reduce((max, e) => Math.max(max, e.seq ?? 0), 0) + 1

/** Where records equal to new ones already live: the packs of the newest readable snapshot of each catalog. */
async function reusableRecords(s: StoreState): Promise<Map<string, RecordRef>> {
  const newestPerKey = new Map<string, Entry>()
  for (const e of sorted(s)) {
    const key = `${e.meta.source}\u0000${e.meta.region}\u0000${e.meta.profile}`
    if (!newestPerKey.has(key) && !unavailableReason(s, e)) newestPerKey.set(key, e)
  }
  const byHash = new Map<string, RecordRef>()
  const seen = new Set<string>()
  for (const e of newestPerKey.values()) {
    for (const ref of e.packs) {
      if (seen.has(ref.hash)) continue
      seen.add(ref.hash)
      try {
        const hashes = lineHashes(await packData(s, ref))
        hashes.forEach((h, index) => {
          if (!byHash.has(h)) byHash.set(h, { pack: ref.hash, index })
        })
      } catch {
        // A damaged pack just cannot be reused; the new save stores those records again.
      }
    }
  }
  return byHash
}

export async function insert(
  s: StoreState,
  input: Insert,
): Promise<{ meta: SnapshotMeta; created: boolean }> {
  let lines: string[]
  try {
    lines = input.models.map((m) => JSON.stringify(m))
  } catch (err) {
    throw new AppError('invalid-input', `A model record is not JSON data: ${(err as Error).message}`)
  }
  const body = `[${lines.join(',')}]`
  const contentHash = sha256Hex(body)

  const sameCatalog = sorted(s).filter((e) => sameKey(e.meta, input) && !unavailableReason(s, e))
  if (input.origin === 'fetch') {
    const latest = sameCatalog[0]
    if (latest && latest.meta.contentHash === contentHash) {
      // Nothing new to keep; only remember that the catalog was seen unchanged.
      if (input.takenAt <= latest.meta.checkedAt) return { meta: publicMeta(s, latest), created: false }
      const manifest = await manifestOf(s, latest)
      const meta = { ...latest.meta, checkedAt: input.takenAt }
      const next = await rewriteManifest(s, latest, { ...manifest, meta })
      return { meta: publicMeta(s, next), created: false }
    }
  } else {
    const twin = sameCatalog.find(
      (e) => e.meta.contentHash === contentHash && e.meta.takenAt === input.takenAt,
    )
    if (twin) return { meta: publicMeta(s, twin), created: false }
  }
  if (input.id && s.entries.has(input.id))
    return { meta: publicMeta(s, entryOrThrow(s, input.id)), created: false }

  const PENDING = '(new pack)'
  const place = (reuse: Map<string, RecordRef>) => {
    const refs: RecordRef[] = []
    const freshLines: string[] = []
    const freshIds: string[] = []
    const freshIndex = new Map<string, number>()
    lines.forEach((line, i) => {
      const h = sha256Hex(line)
      const old = reuse.get(h)
      if (old) return void refs.push(old)
      let index = freshIndex.get(h)
      if (index === undefined) {
        index = freshLines.push(line) - 1
        freshIds.push(input.models[i]!.id)
        freshIndex.set(h, index)
      }
      refs.push({ pack: PENDING, index })
    })
    return { refs, freshLines, freshIds }
  }
  let placed = place(await reusableRecords(s))
  // Reusing every unchanged record scatters a long history across one pack per save, and a
  // manifest (and its index entry) pays for each pack and each broken run: cost per snapshot grew
  // with the number kept. Past a few packs, this snapshot starts a fresh keyframe pack instead.
  if (new Set(placed.refs.map((r) => r.pack)).size > MAX_PACKS_PER_SNAPSHOT) placed = place(new Map())
  const { refs, freshLines, freshIds } = placed

  let newPack: PackRef | undefined
  let wrotePack = false
  if (freshLines.length > 0) {
    const bytes = await encodePack(freshIds, freshLines)
    newPack = { hash: sha256Hex(bytes), size: bytes.length, count: freshLines.length }
    // The same records packed before (e.g. left by a killed save) may already be there, whole.
    const existing = await fsp.readFile(s.p(PACKS, `${newPack.hash}.br`)).catch(() => undefined)
    if (!existing || sha256Hex(existing) !== newPack.hash) {
      await fsp.mkdir(s.p(PACKS), { recursive: true })
      await putFile(s, `${PACKS}/${newPack.hash}.br`, bytes)
      wrotePack = true
    }
    s.badFiles.delete(newPack.hash)
  }
  const packRefs = new Map<string, PackRef>()
  for (const e of s.entries.values()) for (const ref of e.packs) packRefs.set(ref.hash, ref)
  if (newPack) packRefs.set(PENDING, newPack)
  const { packs, runs } = toRuns(refs)

  const id = input.id && SNAPSHOT_ID.test(input.id) ? input.id : newId(s, input.takenAt)
  const meta: SnapshotMeta = {
    id,
    takenAt: input.takenAt,
    checkedAt: input.checkedAt && input.checkedAt > input.takenAt ? input.checkedAt : input.takenAt,
    source: input.source,
    region: input.region,
    profile: input.profile,
    modelCount: input.models.length,
    skipped: input.skipped,
    contentHash,
    sizeBytes: Buffer.byteLength(body),
    storedBytes: 0,
    appVersion: s.appVersion,
    origin: input.origin,
    note: input.note ?? '',
    pinned: input.pinned ?? false,
    ...(input.importedFrom ? { importedFrom: input.importedFrom } : {}),
  }
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    formatVersion: MANIFEST_VERSION,
    seq: nextSeq(s),
    meta,
    packs: packs.map((h) => packRefs.get(h)!),
    runs,
    endpoints: [],
  }
  // storedBytes counts the manifest that contains it: settle the number of digits.
  let sealed = sealJson(manifest)
  for (let i = 0; i < 3; i++) {
    meta.storedBytes = sealed.length + (wrotePack && newPack ? newPack.size : 0)
    sealed = sealJson(manifest)
  }
  const relManifest = `${MANIFESTS}/${manifestName(id, 1)}`
  try {
    await fsp.mkdir(s.p(MANIFESTS), { recursive: true })
    await putFile(s, relManifest, sealed)
    s.entries.set(id, entryFrom(manifest, 1, sealed.length))
    s.manifestCache.set(id, { rev: 1, manifest })
    await writeIndex(s)
  } catch (err) {
    // Undo so a failed save (full disk) leaves the store exactly as it was.
    s.entries.delete(id)
    s.manifestCache.delete(id)
    await fsp.rm(s.p(relManifest), { force: true }).catch(() => undefined)
    if (wrotePack && newPack)
      await fsp.rm(s.p(PACKS, `${newPack.hash}.br`), { force: true }).catch(() => undefined)
    throw err
  }
  return { meta: publicMeta(s, entryOrThrow(s, id)), created: true }
}

/** A new revision of a snapshot's manifest with its note or pin changed. */
export async function updateMeta(s: StoreState, id: string, patch: MetaPatch): Promise<SnapshotMeta> {
  const entry = entryOrThrow(s, id)
  const manifest = await manifestOf(s, entry)
  const meta = {
    ...entry.meta,
    ...(patch.note !== undefined ? { note: patch.note } : {}),
    ...(patch.pinned !== undefined ? { pinned: patch.pinned } : {}),
  }
  return publicMeta(s, await rewriteManifest(s, entry, { ...manifest, meta }))
}

/** Stores one model's endpoints body (a blob) and names it in the snapshot's manifest. */
export async function putEndpoints(
  s: StoreState,
  snapshotId: string,
  modelId: string,
  json: string,
): Promise<void> {
  const entry = entryOrThrow(s, snapshotId)
  const manifest = await manifestOf(s, entry)
  const bytes = await encodeBrotli(json)
  const ref: FileRef = { hash: sha256Hex(bytes), size: bytes.length }
  const existing = await stampOf(s.p(BLOBS, `${ref.hash}.br`))
  const wrote = existing?.size !== ref.size
  if (wrote) {
    await fsp.mkdir(s.p(BLOBS), { recursive: true })
    await putFile(s, `${BLOBS}/${ref.hash}.br`, bytes)
  }
  s.badFiles.delete(ref.hash)
  const endpoints = manifest.endpoints.filter(([m]) => m !== modelId)
  endpoints.push([modelId, ref])
  try {
    await rewriteManifest(s, entry, { ...manifest, endpoints })
  } catch (err) {
    if (wrote) await fsp.rm(s.p(BLOBS, `${ref.hash}.br`), { force: true }).catch(() => undefined)
    throw err
  }
}
