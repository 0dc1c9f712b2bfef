import { diffCatalogs, type ChangedModel } from '../model/diff'
import type { CatalogSource, RawModel, Region } from '../model/raw'
import { parsePrice, priceAmount, priceEquals } from '../pricing/price'
import { isRecord } from '../is-record'
import { CHANGE_KINDS, type ChangeEvent, type ChangeFeed, type ChangeKind, type ChangeQuery } from './types'

/**
 * The change feed's pure core: what one snapshot changed against the one before it in its series,
 * and the query over those events. Main persists pair changes and assembles them per series; the
 * tests compute the same from scratch.
 */

/** What the feed needs to know of a snapshot (a subset of SnapshotMeta). */
export interface SeriesPoint {
  id: string
  takenAt: string
  source: CatalogSource
  region: Region
  profile: string
}

/**
 * One change of one pair, before the series' history is known: a model that appears is `added`
 * here and only becomes `re-added` when assembled (see assembleSeries), because whether an earlier
 * snapshot had it depends on snapshots outside the pair, and those can be removed or pruned.
 */
export interface PairChange {
  kind: Exclude<ChangeKind, 're-added'>
  modelId: string
  name: string
  field?: string
  from?: string | number | null
  to?: string | number | null
  percent?: number | null
  gained?: string[]
  lost?: string[]
}

/** Snapshots of one (source, region, profile) form one series; events are between neighbours in it. */
export const seriesKey = (p: Pick<SeriesPoint, 'source' | 'region' | 'profile'>): string =>
  `${p.source}|${p.region}|${p.profile}`

export const authorOf = (modelId: string): string => {
  const slash = modelId.indexOf('/')
  return slash > 0 ? modelId.slice(0, slash) : ''
}

const KIND_ORDER = new Map<ChangeKind, number>(CHANGE_KINDS.map((k, i) => [k, i]))

const CONTEXT_FIELDS = ['context_length', 'top_provider.context_length'] as const
const MAX_OUTPUT_FIELD = 'top_provider.max_completion_tokens'
const PARAMETERS_FIELD = 'supported_parameters'
const MODALITY_FIELDS = ['architecture.input_modalities', 'architecture.output_modalities'] as const
const EXPIRATION_FIELD = 'expiration_date'

function valueAt(record: unknown, path: string): unknown {
  let value = record
  for (const part of path.split('.')) {
    if (!isRecord(value)) return undefined
    value = value[part]
  }
  return value
}

/** Prices and sizes stay as the API sent them; absent or anything not a scalar is null. */
function scalar(value: unknown): string | number | null {
  if (typeof value === 'string' || typeof value === 'number') return value
  if (value === undefined || value === null) return null
  return JSON.stringify(value)
}

function stringSet(value: unknown): Set<string> {
  return new Set(Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [])
}

/**
 * The exact change in percent, one decimal place; null when either side is variable or unreadable,
 * or when the old price was 0 (no percentage of nothing).
 */
export function pricePercent(from: unknown, to: unknown): number | null {
  const a = priceAmount(parsePrice(from))
  const b = priceAmount(parsePrice(to))
  if (a === null || b === null || a.isZero()) return null
  return b.minus(a).div(a).times(100).toDecimalPlaces(1).toNumber()
}

/** Price keys whose values differ by value between two pricing objects (missing = 0). */
function changedPriceKeys(before: unknown, after: unknown): string[] {
  const a = isRecord(before) ? before : {}
  const b = isRecord(after) ? after : {}
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  return [...keys].filter((key) => {
    const pa = parsePrice(a[key])
    const pb = parsePrice(b[key])
    if (pa.kind === 'unknown' || pb.kind === 'unknown')
      return JSON.stringify(a[key]) !== JSON.stringify(b[key])
    return !priceEquals(pa, pb)
  })
}

const nameOf = (...records: RawModel[]): string => {
  for (const r of records) if (typeof r.name === 'string' && r.name.trim()) return r.name
  return records[0]!.id
}

/** The feed's events for one model that diffCatalogs found changed. */
function changesOf(before: RawModel, after: RawModel, changed: ChangedModel): PairChange[] {
  const paths = Object.keys(changed.fields)
  const out: PairChange[] = []
  const base = { modelId: after.id, name: nameOf(after, before) }
  // A path the diff reports, or a parent of it that changed whole (an object that appeared).
  const touched = (target: string) => paths.some((p) => p === target || target.startsWith(`${p}.`))

  const priceKeys = new Set<string>()
  for (const path of paths) {
    if (path.startsWith('pricing.')) priceKeys.add(path.slice('pricing.'.length))
    else if (path === 'pricing')
      for (const key of changedPriceKeys(before.pricing, after.pricing)) priceKeys.add(key)
  }
  const beforePricing = isRecord(before.pricing) ? before.pricing : {}
  const afterPricing = isRecord(after.pricing) ? after.pricing : {}
  for (const key of priceKeys) {
    const from = beforePricing[key]
    const to = afterPricing[key]
    const tiered = key === 'overrides'
    out.push({
      ...base,
      kind: 'price',
      field: key,
      from: scalar(from),
      to: scalar(to),
      percent: tiered ? null : pricePercent(from, to),
    })
  }

  const scalarChange = (kind: 'context' | 'max-output' | 'expiration', field: string) => {
    if (!touched(field)) return
    const from = scalar(valueAt(before, field))
    const to = scalar(valueAt(after, field))
    if (from !== to) out.push({ ...base, kind, field, from, to })
  }
  for (const field of CONTEXT_FIELDS) scalarChange('context', field)
  scalarChange('max-output', MAX_OUTPUT_FIELD)

  const setChange = (kind: 'parameters' | 'modalities', field: string) => {
    if (!touched(field)) return
    const was = stringSet(valueAt(before, field))
    const now = stringSet(valueAt(after, field))
    const gained = [...now].filter((v) => !was.has(v)).sort()
    const lost = [...was].filter((v) => !now.has(v)).sort()
    if (gained.length || lost.length) out.push({ ...base, kind, field, gained, lost })
  }
  setChange('parameters', PARAMETERS_FIELD)
  for (const field of MODALITY_FIELDS) setChange('modalities', field)
  scalarChange('expiration', EXPIRATION_FIELD)
  return out
}

const comparePairChanges = (a: PairChange, b: PairChange): number =>
  a.modelId < b.modelId
    ? -1
    : a.modelId > b.modelId
      ? 1
      : KIND_ORDER.get(a.kind)! - KIND_ORDER.get(b.kind)! || (a.field ?? '').localeCompare(b.field ?? '')

/**
 * Every change from one snapshot to the next of its series. For the models a key may use
 * (`allowedSet`), a model that appears or goes while it is in the public catalog (`publicIds`)
 * entered or left the allowed set; one that is not public was added or removed.
 */
export function pairChanges(
  before: readonly RawModel[],
  after: readonly RawModel[],
  opts: { allowedSet?: boolean; publicIds?: ReadonlySet<string> } = {},
): PairChange[] {
  const diff = diffCatalogs(before as RawModel[], after as RawModel[])
  const isPublic = (id: string) => opts.allowedSet === true && opts.publicIds?.has(id) === true
  const out: PairChange[] = []
  for (const m of diff.added)
    out.push({ kind: isPublic(m.id) ? 'allowed-entered' : 'added', modelId: m.id, name: nameOf(m) })
  for (const m of diff.removed)
    out.push({ kind: isPublic(m.id) ? 'allowed-left' : 'removed', modelId: m.id, name: nameOf(m) })
  if (diff.changed.length) {
    const old = new Map(before.map((m) => [m.id, m]))
    const now = new Map(after.map((m) => [m.id, m]))
    for (const changed of diff.changed)
      out.push(...changesOf(old.get(changed.id)!, now.get(changed.id)!, changed))
  }
  return out.sort(comparePairChanges)
}

export const eventKey = (snapshotId: string, modelId: string, kind: ChangeKind, field?: string): string =>
  `${snapshotId}/${modelId}/${kind}/${field ?? ''}`

export interface SeriesPair {
  previous: SeriesPoint
  snapshot: SeriesPoint
  changes: readonly PairChange[]
}

/**
 * One series' events in full, from its pairs in time order: a model that appears after an
 * earlier snapshot of the series had it is `re-added`.
 */
export function assembleSeries(pairs: readonly SeriesPair[]): ChangeEvent[] {
  const leftEarlier = new Set<string>()
  const out: ChangeEvent[] = []
  for (const { previous, snapshot, changes } of pairs) {
    for (const change of changes) {
      const kind: ChangeKind =
        change.kind === 'added' && leftEarlier.has(change.modelId) ? 're-added' : change.kind
      if (change.kind === 'removed' || change.kind === 'allowed-left') leftEarlier.add(change.modelId)
      out.push({
        ...change,
        kind,
        key: eventKey(snapshot.id, change.modelId, kind, change.field),
        at: snapshot.takenAt,
        snapshotId: snapshot.id,
        previousId: previous.id,
        source: snapshot.source,
        region: snapshot.region,
        profile: snapshot.profile,
        author: authorOf(change.modelId),
      })
    }
  }
  return out
}

/** Oldest first, ties by id: the order pairs are formed in (the store's ids sort by time too). */
export const byTakenAt = (a: SeriesPoint, b: SeriesPoint): number =>
  a.takenAt < b.takenAt ? -1 : a.takenAt > b.takenAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0

/** Snapshots grouped into series, each oldest first. */
export function groupSeries<P extends SeriesPoint>(points: readonly P[]): Map<string, P[]> {
  const series = new Map<string, P[]>()
  for (const p of points) {
    const key = seriesKey(p)
    const list = series.get(key)
    if (list) list.push(p)
    else series.set(key, [p])
  }
  for (const list of series.values()) list.sort(byTakenAt)
  return series
}

/** Newest first; within one snapshot by model, then kind, then field. */
export function compareEvents(a: ChangeEvent, b: ChangeEvent): number {
  if (a.at !== b.at) return a.at < b.at ? 1 : -1
  if (a.snapshotId !== b.snapshotId) return a.snapshotId < b.snapshotId ? 1 : -1
  if (a.modelId !== b.modelId) return a.modelId < b.modelId ? -1 : 1
  return KIND_ORDER.get(a.kind)! - KIND_ORDER.get(b.kind)! || (a.field ?? '').localeCompare(b.field ?? '')
}

/** A model id, a case-insensitive substring of it, or a glob where `*` stands for anything. */
export function modelMatcher(pattern: string): (id: string) => boolean {
  const needle = pattern.trim().toLowerCase()
  if (!needle.includes('*')) return (id) => id.toLowerCase().includes(needle)
  const source = needle
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  const re = new RegExp(`^${source}$`)
  return (id) => re.test(id.toLowerCase())
}

/** A bound as epoch ms; a plain date as `until` covers that whole day. */
function boundMs(value: string, end: boolean): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return Date.parse(`${value}T00:00:00Z`) + (end ? 86_400_000 - 1 : 0)
  return Date.parse(value)
}

export function emptyCounts(): Record<ChangeKind, number> {
  return Object.fromEntries(CHANGE_KINDS.map((k) => [k, 0])) as Record<ChangeKind, number>
}

/** The query's events, newest first, with the total and per-kind counts before limit and offset. */
export function queryEvents(
  events: readonly ChangeEvent[],
  query: ChangeQuery,
  opts: { match?: (e: ChangeEvent) => boolean; snapshots?: number } = {},
): ChangeFeed {
  const kinds = query.kinds?.length ? new Set<ChangeKind>(query.kinds) : null
  const author = query.author?.trim().toLowerCase()
  const model = query.model ? modelMatcher(query.model) : null
  const since = query.since ? boundMs(query.since, false) : -Infinity
  const until = query.until ? boundMs(query.until, true) : Infinity
  const counts = emptyCounts()
  const matching = events.filter((e) => {
    if (query.source && e.source !== query.source) return false
    if (kinds && !kinds.has(e.kind)) return false
    if (author && e.author.toLowerCase() !== author) return false
    if (model && !model(e.modelId)) return false
    const at = Date.parse(e.at)
    if (at < since || at > until) return false
    return opts.match ? opts.match(e) : true
  })
  for (const e of matching) counts[e.kind]++
  matching.sort(compareEvents)
  const offset = query.offset ?? 0
  const page =
    query.limit === undefined ? matching.slice(offset) : matching.slice(offset, offset + query.limit)
  return { events: page, total: matching.length, counts, snapshots: opts.snapshots ?? 0 }
}

export interface SeriesSnapshot {
  meta: SeriesPoint
  models: readonly RawModel[]
  /** For the models a key may use: the public catalog's ids at that time, if one was fetched. */
  publicIds?: ReadonlySet<string>
}

/** Every event of every series, computed from the snapshots themselves: the reference the store's feed must equal. */
export function eventsFromScratch(snapshots: readonly SeriesSnapshot[]): ChangeEvent[] {
  const bySeries = groupSeries(snapshots.map((s) => ({ ...s.meta, snapshot: s })))
  const out: ChangeEvent[] = []
  for (const list of bySeries.values()) {
    const pairs: SeriesPair[] = []
    for (let i = 1; i < list.length; i++) {
      const before = list[i - 1]!.snapshot
      const after = list[i]!.snapshot
      pairs.push({
        previous: before.meta,
        snapshot: after.meta,
        changes: pairChanges(before.models, after.models, {
          allowedSet: after.meta.source === 'user',
          ...(after.publicIds ? { publicIds: after.publicIds } : {}),
        }),
      })
    }
    out.push(...assembleSeries(pairs))
  }
  return out.sort(compareEvents)
}
