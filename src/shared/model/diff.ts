import { parsePrice, priceEquals } from '../pricing/price'
import type { RawModel } from './raw'
import { isRecord } from '../is-record'

export type DiffGroup =
  'pricing' | 'context' | 'modalities' | 'parameters' | 'reasoning' | 'dates' | 'description' | 'other'

/** `undefined` means the field was absent on that side. */
export type FieldChange = { from: unknown; to: unknown; group: DiffGroup }

export type ChangedModel = {
  id: string
  /** Keyed by the API's own field names joined with dots: `pricing.prompt`, `top_provider.context_length`. */
  fields: Record<string, FieldChange>
  groups: DiffGroup[]
}

export type CatalogDiff = {
  added: RawModel[]
  /** The last record seen before the model disappeared. */
  removed: RawModel[]
  changed: ChangedModel[]
  counts: { added: number; removed: number; changed: number; unchanged: number }
}

// Lists the API treats as sets: a reorder is not a change.
const SET_PATHS = new Set([
  'architecture.input_modalities',
  'architecture.output_modalities',
  'supported_parameters',
  'supported_voices',
  'reasoning.supported_efforts',
])

const CONTEXT_PATHS = new Set([
  'context_length',
  'top_provider.context_length',
  'top_provider.max_completion_tokens',
])
const DATE_PATHS = new Set(['created', 'knowledge_cutoff', 'expiration_date'])

export function groupOf(path: string): DiffGroup {
  const top = path.split('.', 1)[0]
  if (top === 'pricing') return 'pricing'
  if (CONTEXT_PATHS.has(path) || top === 'per_request_limits') return 'context'
  if (top === 'architecture' && path.includes('modalit')) return 'modalities'
  if (top === 'supported_parameters' || top === 'default_parameters') return 'parameters'
  if (top === 'reasoning') return 'reasoning'
  if (DATE_PATHS.has(path)) return 'dates'
  if (path === 'description') return 'description'
  return 'other'
}

type Obj = Record<string, unknown>

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false
    return true
  }
  if (Array.isArray(b)) return false
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  for (const k of ka) {
    if (!Object.hasOwn(b, k) || !deepEqual((a as Obj)[k], (b as Obj)[k])) return false
  }
  return true
}

function sameSet(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false
  if (a.every((v, i) => v === b[i])) return true
  if (!a.every((v) => typeof v === 'string') || !b.every((v) => typeof v === 'string')) return deepEqual(a, b)
  const left = new Set(a)
  return left.size === new Set(b).size && b.every((v) => left.has(v))
}

/** Prices compare by value: "0.0000030" = "0.000003" = 0.000003, and a missing key = "0". */
function samePrice(a: unknown, b: unknown): boolean {
  const pa = parsePrice(a)
  const pb = parsePrice(b)
  if (pa.kind === 'unknown' || pb.kind === 'unknown') return deepEqual(a, b)
  return priceEquals(pa, pb)
}

/** Tier lists compared as a whole, each price by value; condition keys compared as sent. */
function canonicalTiers(value: unknown): string {
  if (!Array.isArray(value)) return JSON.stringify(value ?? [])
  const tiers = value.map((tier: unknown) => {
    if (!isRecord(tier)) return tier
    const out: Obj = {}
    for (const key of Object.keys(tier).sort()) {
      const raw = tier[key]
      const isCondition = key === 'min_prompt_tokens' || key === 'utc_start' || key === 'utc_end'
      const price = isCondition ? null : parsePrice(raw)
      out[key] =
        price === null || price.kind === 'unknown' ? raw : price.kind === 'fixed' ? price.value : price.kind
    }
    return out
  })
  return JSON.stringify(tiers)
}

// Paths are only built when needed (recursion or a recorded change): a 10k-model diff touches ~300k fields.
function diffValue(a: unknown, b: unknown, prefix: string, key: string, out: Change[]): void {
  if (a === b) return
  if (prefix === 'pricing') {
    const same =
      key === 'overrides'
        ? deepEqual(a, b) || canonicalTiers(a) === canonicalTiers(b)
        : key === 'discount'
          ? samePrice(a ?? 0, b ?? 0)
          : samePrice(a, b)
    if (!same) out.push([`pricing.${key}`, { from: a, to: b, group: 'pricing' }])
    return
  }
  // A field that is null on one side and absent on the other says the same thing.
  if ((a === null || a === undefined) && (b === null || b === undefined)) return
  const path = prefix === '' ? key : `${prefix}.${key}`
  if (isRecord(a) && isRecord(b)) {
    diffObject(a, b, path, out)
    return
  }
  const same = Array.isArray(a) && Array.isArray(b) && SET_PATHS.has(path) ? sameSet(a, b) : deepEqual(a, b)
  if (!same) out.push([path, { from: a, to: b, group: groupOf(path) }])
}

type Change = [path: string, change: FieldChange]

// for-in rather than Object.keys: no array per object, and JSON-parsed records have no inherited keys.
function diffObject(a: Obj, b: Obj, prefix: string, out: Change[]): void {
  for (const key in a) diffValue(a[key], b[key], prefix, key, out)
  for (const key in b)
    if (a[key] === undefined && !Object.hasOwn(a, key)) diffValue(undefined, b[key], prefix, key, out)
}

// One reusable buffer: most models are unchanged, so most diffs should allocate nothing.
const scratch: Change[] = []

function collect(before: RawModel, after: RawModel): Change[] {
  scratch.length = 0
  diffObject(before, after, '', scratch)
  return scratch
}

/** Every field that differs between two records of the same model, with its group. */
export function diffRecords(before: RawModel, after: RawModel): Record<string, FieldChange> {
  return Object.fromEntries(collect(before, after).sort((x, y) => (x[0] < y[0] ? -1 : 1)))
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** Compares two catalogs by id. Every list in the result is sorted by id, so output is deterministic. */
export function diffCatalogs(before: RawModel[], after: RawModel[]): CatalogDiff {
  const old = new Map<string, RawModel>()
  for (const model of before) old.set(model.id, model)
  const added: RawModel[] = []
  const changed: ChangedModel[] = []
  const seen = new Set<string>()
  let unchanged = 0
  for (const model of after) {
    if (seen.has(model.id)) continue
    seen.add(model.id)
    const previous = old.get(model.id)
    if (previous === undefined) {
      added.push(model)
      continue
    }
    const changes = collect(previous, model)
    if (changes.length === 0) {
      unchanged++
      continue
    }
    const fields = diffRecords(previous, model)
    const groups = new Set(Object.values(fields).map((change) => change.group))
    changed.push({ id: model.id, fields, groups: [...groups] })
  }
  const removed = [...old.values()].filter((model) => !seen.has(model.id))
  added.sort(byId)
  removed.sort(byId)
  changed.sort(byId)
  return {
    added,
    removed,
    changed,
    counts: { added: added.length, removed: removed.length, changed: changed.length, unchanged },
  }
}

export type AllowedChange = { id: string; public: boolean }

/**
 * How the set of models a key may use moved between two `/models/user` snapshots. `public` says whether
 * the model is still in the public catalog: a model that left the allowed set but is still public was
 * filtered out by account settings, not withdrawn.
 */
export function diffAllowedSets(
  beforeUserIds: Iterable<string>,
  afterUserIds: Iterable<string>,
  publicIdsAfter: Iterable<string>,
): { entered: AllowedChange[]; left: AllowedChange[] } {
  const before = new Set(beforeUserIds)
  const after = new Set(afterUserIds)
  const publicIds = new Set(publicIdsAfter)
  const mark = (id: string): AllowedChange => ({ id, public: publicIds.has(id) })
  return {
    entered: [...after]
      .filter((id) => !before.has(id))
      .sort()
      .map(mark),
    left: [...before]
      .filter((id) => !after.has(id))
      .sort()
      .map(mark),
  }
}

/**
 * The stable JSON form for exports and the CLI:
 * `{"added":[ids],"removed":[ids],"changed":[{"id":…,"fields":{"pricing.prompt":{"from":…,"to":…}}}]}`.
 * An absent side is written as null, since JSON has no undefined.
 */
export function toDiffJson(diff: CatalogDiff, indent?: number): string {
  const document = {
    added: diff.added.map((m) => m.id).sort(),
    removed: diff.removed.map((m) => m.id).sort(),
    changed: [...diff.changed].sort(byId).map((entry) => ({
      id: entry.id,
      fields: Object.fromEntries(
        Object.keys(entry.fields)
          .sort()
          .map((path) => {
            const { from, to } = entry.fields[path]!
            return [path, { from: from ?? null, to: to ?? null }]
          }),
      ),
    })),
  }
  return JSON.stringify(document, null, indent)
}
