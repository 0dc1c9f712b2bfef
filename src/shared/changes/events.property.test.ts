import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { diffAllowedSets, diffCatalogs } from '../model/diff'
import type { RawModel } from '../model/raw'
import { eventsFromScratch, type SeriesSnapshot } from './events'

/**
 * The feed is defined as the union of the pairwise diffs of neighbouring snapshots. This checks it
 * against diffCatalogs / diffAllowedSets themselves over generated histories: small catalogs with
 * models coming, going, coming back, and prices (spelled many ways) moving.
 */

const price = fc.constantFrom('0.000001', '0.0000010', '0.000002', '0.0000025', '-1', '0', undefined)
const record = fc.record({
  prompt: price,
  completion: price,
  context: fc.constantFrom(4096, 8192, 128000),
  params: fc.subarray(['tools', 'seed', 'top_k']),
  input: fc.subarray(['text', 'image', 'file']),
  expires: fc.constantFrom(null, '2026-12-01', '2027-01-01'),
})
type Rec = typeof record extends fc.Arbitrary<infer T> ? T : never

function toModel(id: string, r: Rec): RawModel {
  const pricing: Record<string, string> = {}
  if (r.prompt !== undefined) pricing.prompt = r.prompt
  if (r.completion !== undefined) pricing.completion = r.completion
  return {
    id,
    name: `Model ${id}`,
    context_length: r.context,
    pricing,
    supported_parameters: r.params,
    architecture: { input_modalities: r.input },
    expiration_date: r.expires,
  }
}

const catalog = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 7 }), record), { maxLength: 8 })
  .map((entries) => {
    const byId = new Map<string, RawModel>()
    for (const [n, r] of entries)
      if (!byId.has(`p${n % 3}/m${n}`)) byId.set(`p${n % 3}/m${n}`, toModel(`p${n % 3}/m${n}`, r))
    return [...byId.values()]
  })

const FIELD_KIND: Record<string, string> = {
  context_length: 'context',
  supported_parameters: 'parameters',
  'architecture.input_modalities': 'modalities',
  expiration_date: 'expiration',
}

/** `${snapshot}|${model}|${kind}|${field}` for every change the plain diffs report. */
function fromDiffs(series: SeriesSnapshot[]): string[] {
  const out: string[] = []
  const seen = new Set<string>()
  series[0]?.models.forEach((m) => seen.add(m.id))
  for (let i = 1; i < series.length; i++) {
    const before = series[i - 1]!
    const after = series[i]!
    const id = after.meta.id
    const diff = diffCatalogs([...before.models], [...after.models])
    const allowed =
      after.meta.source === 'user'
        ? diffAllowedSets(
            before.models.map((m) => m.id),
            after.models.map((m) => m.id),
            after.publicIds ?? [],
          )
        : null
    const entered = new Set(allowed?.entered.filter((c) => c.public).map((c) => c.id))
    const left = new Set(allowed?.left.filter((c) => c.public).map((c) => c.id))
    for (const m of diff.added) {
      const kind = entered.has(m.id) ? 'allowed-entered' : seen.has(m.id) ? 're-added' : 'added'
      out.push(`${id}|${m.id}|${kind}|`)
    }
    for (const m of diff.removed) out.push(`${id}|${m.id}|${left.has(m.id) ? 'allowed-left' : 'removed'}|`)
    for (const changed of diff.changed) {
      for (const path of Object.keys(changed.fields)) {
        if (path.startsWith('pricing.')) out.push(`${id}|${changed.id}|price|${path.slice(8)}`)
        else if (FIELD_KIND[path]) out.push(`${id}|${changed.id}|${FIELD_KIND[path]}|${path}`)
        else throw new Error(`the generator made a change the test does not expect: ${path}`)
      }
    }
    after.models.forEach((m) => seen.add(m.id))
  }
  return out
}

const at = (n: number) => new Date(Date.UTC(2026, 0, 1, n)).toISOString()

describe('the feed is the union of pairwise diffs', () => {
  it('public catalog histories', () => {
    fc.assert(
      fc.property(fc.array(catalog, { minLength: 1, maxLength: 8 }), (catalogs) => {
        const series: SeriesSnapshot[] = catalogs.map((models, n) => ({
          meta: { id: `s${n}`, takenAt: at(n), source: 'all', region: 'global', profile: 'p' },
          models,
        }))
        const feed = eventsFromScratch(series).map(
          (e) => `${e.snapshotId}|${e.modelId}|${e.kind}|${e.field ?? ''}`,
        )
        expect(feed.sort()).toEqual(fromDiffs(series).sort())
      }),
      { numRuns: 300 },
    )
  })

  it('allowed-set histories beside a public catalog', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(catalog, catalog), { minLength: 1, maxLength: 6 }), (rounds) => {
        const series: SeriesSnapshot[] = rounds.map(([user, pub], n) => ({
          meta: { id: `u${n}`, takenAt: at(n), source: 'user', region: 'global', profile: 'p' },
          models: user,
          publicIds: new Set(pub.map((m) => m.id)),
        }))
        const feed = eventsFromScratch(series).map(
          (e) => `${e.snapshotId}|${e.modelId}|${e.kind}|${e.field ?? ''}`,
        )
        expect(feed.sort()).toEqual(fromDiffs(series).sort())
      }),
      { numRuns: 200 },
    )
  })

  it('price events carry the raw values and an exact percent', () => {
    fc.assert(
      fc.property(catalog, catalog, (a, b) => {
        const series: SeriesSnapshot[] = [a, b].map((models, n) => ({
          meta: { id: `s${n}`, takenAt: at(n), source: 'all', region: 'global', profile: 'p' },
          models,
        }))
        for (const e of eventsFromScratch(series).filter((x) => x.kind === 'price')) {
          const before = a.find((m) => m.id === e.modelId)!.pricing as Record<string, string>
          const after = b.find((m) => m.id === e.modelId)!.pricing as Record<string, string>
          expect(e.from).toBe(before[e.field!] ?? null)
          expect(e.to).toBe(after[e.field!] ?? null)
          const [x, y] = [Number(e.from ?? 0), Number(e.to ?? 0)]
          if (x > 0 && y >= 0) expect(e.percent).toBeCloseTo(((y - x) / x) * 100, 1)
          else expect(e.percent).toBeNull()
        }
      }),
      { numRuns: 300 },
    )
  })
})
