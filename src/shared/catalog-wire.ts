import type { CatalogSide, CatalogState } from './app-types'
import type { RawModel } from './model/raw'
import { asRecord } from './is-record'

/**
 * How `catalog:get` travels. The allowed list is mostly the public list's own records, so it goes as
 * positions into the public list (`refs`), with only the records it does not share in `models`:
 * about half the bytes to copy, serialise and parse, whichever transport carries it.
 */
export interface CatalogSideWire extends CatalogSide {
  /**
   * Present on the allowed side when it shares records with the public one: one entry per model in
   * order, either a position in `all.models` or -1 for "the next record of `models`".
   */
  refs?: number[]
}

export interface CatalogStateWire extends Omit<CatalogState, 'user' | 'all'> {
  user: CatalogSideWire | null
  all: CatalogSide | null
}

/** Whole fields only the detail pane shows: it asks for the full record (`catalog:get-records`). */
const DETAIL_ONLY = new Set(['default_parameters', 'per_request_limits', 'supported_voices'])

/**
 * What the catalog screen reads of a record: everything `normaliseModel` and the table, filters,
 * search, sort and compare read, without the parts only the detail pane shows. `benchmarks` keeps
 * the scores the app reads (`design_arena`, a seventh of a record's bytes, is for the detail pane)
 * and `links` keeps `details`, the endpoints path. Other fields, also ones the API adds later, stay.
 */
export function tableRecord(raw: RawModel): RawModel {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(raw)) {
    if (DETAIL_ONLY.has(key)) continue
    if (key === 'benchmarks' || key === 'links') {
      const record = asRecord(value)
      const keep = key === 'benchmarks' ? 'artificial_analysis' : 'details'
      if (record && record[keep] !== undefined) out[key] = { [keep]: record[keep] }
      else if (!record) out[key] = value
      continue
    }
    out[key] = value
  }
  return out as RawModel
}

/**
 * Main's side: both lists as table records (see tableRecord), the allowed list as positions where it
 * shares records with the public one. A record is shared when it is the very same object in both
 * lists, which the snapshot store's record pool gives for identical records; nothing is compared
 * field by field here, and a shared record is projected once, so it stays one object.
 */
export function packCatalogState(full: CatalogState): CatalogStateWire {
  const projected = new Map<RawModel, RawModel>()
  const project = (side: CatalogSide | null): CatalogSide | null =>
    side && {
      meta: side.meta,
      models: side.models.map((m) => {
        let out = projected.get(m)
        if (!out) projected.set(m, (out = tableRecord(m)))
        return out
      }),
    }
  const state: CatalogState = { ...full, user: project(full.user), all: project(full.all) }
  const { user, all } = state
  if (!user || !all) return state
  const at = new Map<RawModel, number>()
  all.models.forEach((m, i) => at.set(m, i))
  const refs: number[] = []
  const own: RawModel[] = []
  for (const m of user.models) {
    const i = at.get(m)
    if (i === undefined) own.push(m)
    refs.push(i ?? -1)
  }
  if (own.length === user.models.length) return state
  return { ...state, user: { meta: user.meta, models: own, refs } }
}

/** The renderer's side: the allowed list rebuilt, sharing the public list's record objects. */
export function unpackCatalogState(wire: CatalogStateWire): CatalogState {
  const { user, all, ...rest } = wire
  if (!user?.refs) return { ...rest, user, all }
  const pool = all?.models ?? []
  const models: RawModel[] = []
  let next = 0
  for (const ref of user.refs) {
    const model = ref === -1 ? user.models[next++] : Number.isInteger(ref) ? pool[ref] : undefined
    if (!model) throw new Error(`The catalog from main is damaged: the allowed list points at record ${ref}.`)
    models.push(model)
  }
  if (next !== user.models.length)
    throw new Error('The catalog from main is damaged: the allowed list has records nothing points at.')
  return { ...rest, user: { meta: user.meta, models }, all }
}
