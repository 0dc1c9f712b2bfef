import { describe, expect, it } from 'vitest'
import type { CatalogState } from './app-types'
import { packCatalogState, tableRecord, unpackCatalogState, type CatalogStateWire } from './catalog-wire'
import { normaliseModel } from './model/normalise'
import { realModels } from '../../test/bench/catalogs'
import type { RawModel } from './model/raw'
import type { SnapshotMeta } from './snapshots'
import { snapshotMeta } from '../../test/helpers/snapshot-meta'

const meta = (id: string, source: 'user' | 'all'): SnapshotMeta => snapshotMeta({ id, source, profile: 'p' })

const model = (id: string, prompt = '0.000001'): RawModel => ({ id, name: id, pricing: { prompt } })
const [a, b, c, d] = ['a/1', 'b/2', 'c/3', 'd/4'].map((id) => model(id)) as [
  RawModel,
  RawModel,
  RawModel,
  RawModel,
]
// Same content as `b` but another object: the pool did not join them, so it travels whole.
const bCopy = model('b/2')
const bPricier = model('b/2', '0.000002')

function state(user: RawModel[] | null, all: RawModel[] | null): CatalogState {
  return {
    profileId: 'p',
    region: 'global',
    user: user && { meta: meta('u1', 'user'), models: user },
    all: all && { meta: meta('a1', 'all'), models: all },
    historical: false,
    online: null,
    lastError: null,
    problems: [],
    readOnlyStore: null,
    readOnlyStoreMayClear: false,
  }
}

describe('packCatalogState / unpackCatalogState', () => {
  it.each<[string, RawModel[] | null, RawModel[] | null, number[] | undefined, RawModel[]]>([
    ['allowed ⊂ public: only positions travel', [a, c], [a, b, c], [0, 2], []],
    ['order of the allowed list is kept', [c, a], [a, b, c], [2, 0], []],
    ['a record only in the allowed list travels whole', [a, d], [a, b, c], [0, -1], [d]],
    ['an equal but separate record travels whole', [bCopy, a], [a, b, c], [-1, 0], [bCopy]],
    ['a differing record travels whole', [bPricier, c], [a, b, c], [-1, 2], [bPricier]],
    ['nothing shared: sent as is', [d], [a, b], undefined, [d]],
    ['empty allowed list: sent as is', [], [a], undefined, []],
    ['no public list', [a, b], null, undefined, [a, b]],
    ['no allowed list', null, [a, b], undefined, []],
  ])('%s', (_, user, all, refs, own) => {
    const original = state(user, all)
    const wire = packCatalogState(original)
    expect(wire.user?.refs).toEqual(refs)
    if (user) expect(wire.user?.models).toEqual(own)
    // Through JSON, as the browser harness carries it: content survives, and shared records become
    // the public list's objects again on the renderer's side.
    const back = unpackCatalogState(JSON.parse(JSON.stringify(wire)) as CatalogStateWire)
    expect(back).toEqual(original)
    if (back.user && back.all && refs) {
      refs.forEach((ref, i) => {
        if (ref >= 0) expect(back.user!.models[i]).toBe(back.all!.models[ref])
      })
    }
  })

  it('keeps every other field of the state', () => {
    const original = { ...state([a], [a, b]), historical: true, online: false, readOnlyStore: 'newer' }
    const { user: _u, all: _a, ...rest } = unpackCatalogState(packCatalogState(original))
    const { user: _u2, all: _a2, ...expected } = original
    expect(rest).toEqual(expected)
  })

  it.each<[string, number[], RawModel[]]>([
    ['a position past the public list', [0, 7], []],
    ['a negative position other than -1', [-2], []],
    ['a fractional position', [0.5], []],
    ['more -1 entries than records', [-1, -1], [d]],
    ['records nothing points at', [0], [d]],
  ])('refuses a damaged answer: %s', (_, refs, own) => {
    const wire: CatalogStateWire = {
      ...state(null, [a, b]),
      user: { meta: meta('u1', 'user'), models: own, refs },
    }
    expect(() => unpackCatalogState(wire)).toThrow(/damaged/)
  })
})

describe('tableRecord: what catalog:get sends of each record', () => {
  const full: RawModel = {
    id: 'x/1',
    name: 'X',
    description: 'A model.',
    pricing: { prompt: '0.000001', overrides: [] },
    architecture: { modality: 'text->text', input_modalities: ['text'] },
    default_parameters: { temperature: 0.7 },
    per_request_limits: { prompt_tokens: 1000 },
    supported_voices: ['alloy'],
    benchmarks: { artificial_analysis: { intelligence_index: 40 }, design_arena: { elo: [1, 2, 3] } },
    links: { details: '/api/v1/models/x/1/endpoints', web: 'https://example.test' },
    future_field: { kept: true },
  }

  it.each<[string, RawModel, RawModel]>([
    [
      'drops the detail-only fields and keeps the rest, new fields included',
      full,
      {
        id: 'x/1',
        name: 'X',
        description: 'A model.',
        pricing: { prompt: '0.000001', overrides: [] },
        architecture: { modality: 'text->text', input_modalities: ['text'] },
        benchmarks: { artificial_analysis: { intelligence_index: 40 } },
        links: { details: '/api/v1/models/x/1/endpoints' },
        future_field: { kept: true },
      },
    ],
    [
      'benchmarks without scores and links without details go',
      { id: 'a', benchmarks: { design_arena: {} }, links: { web: 'w' } },
      { id: 'a' },
    ],
    [
      'a malformed benchmarks or links value is kept for normalise to judge',
      { id: 'a', benchmarks: 'n/a', links: null },
      { id: 'a', benchmarks: 'n/a', links: null },
    ],
    ['a bare record is unchanged', { id: 'a' }, { id: 'a' }],
  ])('%s', (_, raw, expected) => {
    expect(tableRecord(raw)).toEqual(expected)
  })

  it('normalises every recorded model exactly as its whole record does', () => {
    for (const raw of realModels()) {
      const { raw: _full, ...fromFull } = normaliseModel(raw)
      const { raw: _table, ...fromTable } = normaliseModel(tableRecord(raw))
      expect(fromTable).toEqual(fromFull)
    }
  })

  it('packing projects each shared record once, so the lists still share it', () => {
    const big = { ...a, default_parameters: { top_p: 1 } }
    const wire = packCatalogState(state([big, c], [big, b, c]))
    expect(wire.all?.models[0]).toEqual(a)
    expect(wire.user?.refs).toEqual([0, 2])
    const back = unpackCatalogState(wire)
    expect(back.user?.models[0]).toBe(back.all?.models[0])
  })
})
