import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { resolve } from 'node:path'
import type { RawModel } from '../../src/shared/model/raw'
import { seededRandom } from './measure'
import type { Harness } from '../harness/harness-server'

export const REAL_CATALOG = resolve(
  import.meta.dirname,
  '../fixtures/openrouter/models-all-2026-08-19.json.gz',
)

/** The recorded public catalog: the body exactly as OpenRouter sent it. */
export function loadRealBody(): unknown {
  return JSON.parse(gunzipSync(readFileSync(REAL_CATALOG)).toString('utf8'))
}

export function realModels(): RawModel[] {
  const body = loadRealBody() as { data: RawModel[] }
  return body.data
}

function jitterPrice(value: unknown, factor: number): unknown {
  if (typeof value !== 'string') return value
  const n = Number(value)
  // Free stays free and "-1" (variable) stays variable: only real prices move.
  if (!Number.isFinite(n) || n <= 0) return value
  return (n * factor).toFixed(12).replace(/\.?0+$/, '')
}

function jitterPricing(pricing: unknown, random: () => number): unknown {
  if (typeof pricing !== 'object' || pricing === null || Array.isArray(pricing)) return pricing
  const factor = 0.5 + random()
  return Object.fromEntries(Object.entries(pricing).map(([k, v]) => [k, jitterPrice(v, factor)]))
}

const CONTEXTS = [8_192, 32_768, 65_536, 128_000, 131_072, 200_000, 262_144, 1_000_000, 1_048_576]

/** `author/slug:variant` → `author/slug-s123:variant`, so variants stay variants. */
function syntheticId(id: string, n: number): string {
  const colon = id.indexOf(':')
  return colon === -1 ? `${id}-s${n}` : `${id.slice(0, colon)}-s${n}${id.slice(colon)}`
}

/**
 * `size` records made from the real ones: new ids and names, jittered prices, context lengths and
 * dates, everything else (descriptions, modalities, parameters) as OpenRouter wrote it. The first
 * records are the real catalog unchanged, so a synthetic catalog contains the real one.
 */
export function syntheticModels(real: readonly RawModel[], size: number, seed = 20260819): RawModel[] {
  const random = seededRandom(seed)
  const out: RawModel[] = []
  for (let i = 0; i < size; i++) {
    const base = real[i % real.length]!
    if (i < real.length) {
      out.push(structuredClone(base))
      continue
    }
    const copy = structuredClone(base) as RawModel & Record<string, unknown>
    copy.id = syntheticId(base.id, i)
    if (typeof base.canonical_slug === 'string') copy.canonical_slug = syntheticId(base.canonical_slug, i)
    if (typeof base.name === 'string') copy.name = `${base.name} S${i}`
    copy.pricing = jitterPricing(base.pricing, random)
    if (typeof base.context_length === 'number')
      copy.context_length = CONTEXTS[Math.floor(random() * CONTEXTS.length)]!
    if (typeof base.created === 'number') copy.created = base.created - Math.floor(random() * 86_400 * 900)
    out.push(copy)
  }
  return out
}

/**
 * The next fetch of the same catalog with `share` of the models changed (a price moves, a context
 * grows): the kind of day-to-day change a snapshot store sees.
 */
export function changedCatalog(models: readonly RawModel[], share: number, seed = 7): RawModel[] {
  const random = seededRandom(seed)
  return models.map((m) => {
    if (random() >= share) return m
    const copy = structuredClone(m) as RawModel & Record<string, unknown>
    copy.pricing = jitterPricing(m.pricing, () => 0.6)
    if (typeof m.context_length === 'number') copy.context_length = m.context_length * 2
    return copy
  })
}

/** The allowed list of a typical key: the public catalog less a few providers' models (37 of 549 here). */
export function allowedSubset(models: readonly RawModel[]): RawModel[] {
  return models.filter((_, i) => i % 15 !== 7)
}

/**
 * Both benchmark screens open on the same data: the catalog saved straight into the harness's
 * store as the public list, and its allowed subset as the key's list, under the profile the app
 * made on first start. Returns that profile.
 */
export async function seedHarnessStore(harness: Harness, models: RawModel[]): Promise<string> {
  const profile = await harness.services.keys.activeId()
  const where = { region: 'global', profile } as const
  await harness.services.store.save({ ...where, source: 'all', models })
  await harness.services.store.save({ ...where, source: 'user', models: allowedSubset(models) })
  return profile
}
