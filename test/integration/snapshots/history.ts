import type { RawModel } from '../../../src/shared/model/raw'

/**
 * A run of catalogs as auto-refresh would see them: each one the previous with about 1% of the
 * records' prompt prices changed (5 or 6 of 549), picked by a seeded generator so runs repeat.
 */
export function* priceChangeHistory(base: RawModel[], count: number, seed = 14): Generator<RawModel[]> {
  let state = seed >>> 0
  const next = (): number => {
    // mulberry32: small, seedable, good enough to pick records.
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  let models = structuredClone(base)
  for (let n = 0; n < count; n++) {
    if (n > 0) {
      models = models.slice()
      const changes = 5 + (n % 2)
      for (let c = 0; c < changes; c++) {
        const i = Math.floor(next() * models.length)
        const m = models[i]!
        const pricing = (m.pricing ?? {}) as Record<string, unknown>
        models[i] = { ...m, pricing: { ...pricing, prompt: (0.000001 * (1 + next())).toFixed(10) } }
      }
    }
    yield models
  }
}
