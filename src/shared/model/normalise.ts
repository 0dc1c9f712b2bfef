import { PRICE_KEYS, parsePrice, type Price, type PriceKey } from '../pricing/price'
import { readOverrides } from '../pricing/overrides'
import type { RawModel } from './raw'
import { asRecord } from '../is-record'

export type ReasoningSupport = {
  mandatory: boolean
  defaultEnabled: boolean | null
  /** Highest first, as the API lists them; null means the API did not restrict efforts. */
  efforts: string[] | null
  defaultEffort: string | null
}

export type Benchmarks = { intelligence: number | null; coding: number | null; agentic: number | null }

/**
 * A flat, typed view of one record for the table, filters and compare view. Derived on demand and never
 * stored; `raw` is the record itself (by reference), for pricing tiers and exports. The renderer's
 * catalog store keeps only `raw`'s id and pricing (Compare's tiers and workload costs read them).
 */
export type NormalisedModel = {
  id: string
  name: string
  author: string
  description: string
  created: number | null
  contextLength: number | null
  maxOutput: number | null
  inputModalities: string[]
  outputModalities: string[]
  modality: string | null
  tokenizer: string | null
  instructType: string | null
  moderated: boolean | null
  supportedParameters: string[]
  reasoning: ReasoningSupport | null
  knowledgeCutoff: string | null
  expirationDate: string | null
  /** Every price key; a key the API left out reads as free, as the API means it. */
  prices: Record<PriceKey, Price>
  /** The keys the API actually listed: lets the table tell "no cache pricing" from "$0". */
  pricedKeys: PriceKey[]
  discount: number | null
  isFree: boolean
  isVariable: boolean
  hasOverrides: boolean
  benchmarks: Benchmarks | null
  aliasTarget: { slug: string; name: string | null } | null
  canonicalSlug: string | null
  /** Path relative to the API base URL (e.g. `/models/openai/gpt-4o-2024-05-13/endpoints`), so a regional base works. */
  endpointsPath: string | null
  huggingFaceId: string | null
  raw: RawModel
}

type Obj = Record<string, unknown>

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null
}

function nonEmpty(value: unknown): string | null {
  const s = str(value)?.trim()
  return s ? s : null
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

function bool(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

export function authorOf(id: string): string {
  const bare = id.startsWith('~') ? id.slice(1) : id
  const slash = bare.indexOf('/')
  return slash > 0 ? bare.slice(0, slash) : bare.split(':')[0]!
}

function readReasoning(raw: RawModel, parameters: string[]): ReasoningSupport | null {
  const reasoning = asRecord(raw.reasoning)
  if (reasoning) {
    return {
      mandatory: bool(reasoning.mandatory) ?? false,
      defaultEnabled: bool(reasoning.default_enabled),
      efforts: Array.isArray(reasoning.supported_efforts) ? strings(reasoning.supported_efforts) : null,
      defaultEffort: str(reasoning.default_effort),
    }
  }
  // Snapshots from before the `reasoning` object (May 2026 and older) only say so in the parameter list.
  if (parameters.includes('reasoning')) {
    return { mandatory: false, defaultEnabled: null, efforts: null, defaultEffort: null }
  }
  return null
}

function readBenchmarks(raw: RawModel): Benchmarks | null {
  const scores = asRecord(asRecord(raw.benchmarks)?.artificial_analysis)
  if (!scores) return null
  const result = {
    intelligence: num(scores.intelligence_index),
    coding: num(scores.coding_index),
    agentic: num(scores.agentic_index),
  }
  return result.intelligence === null && result.coding === null && result.agentic === null ? null : result
}

const API_PREFIX = '/api/v1'

function endpointsPathOf(raw: RawModel, canonicalSlug: string | null): string | null {
  const details = nonEmpty(asRecord(raw.links)?.details)
  if (details) return details.startsWith(API_PREFIX + '/') ? details.slice(API_PREFIX.length) : details
  const slug = canonicalSlug ?? raw.id
  return slug.includes('/') ? `/models/${slug}/endpoints` : null
}

function readPrices(pricing: Obj | null): Pick<NormalisedModel, 'prices' | 'pricedKeys' | 'isVariable'> {
  const prices = {} as Record<PriceKey, Price>
  const pricedKeys: PriceKey[] = []
  let isVariable = false
  for (const key of PRICE_KEYS) {
    const value = pricing?.[key]
    prices[key] = pricing ? parsePrice(value) : { kind: 'unknown' }
    if (value !== undefined && pricing) pricedKeys.push(key)
    if (prices[key].kind === 'variable') isVariable = true
  }
  // A negative price inside a tier is just as unusable as a base one.
  for (const tier of readOverrides(pricing)) {
    for (const value of Object.values(tier.prices))
      if (parsePrice(value).kind === 'variable') isVariable = true
  }
  return { prices, pricedKeys, isVariable }
}

/** Never throws, whatever the record holds: every field is read defensively. */
export function normaliseModel(raw: RawModel): NormalisedModel {
  const id = String(raw.id)
  const architecture = asRecord(raw.architecture)
  const topProvider = asRecord(raw.top_provider)
  const pricing = asRecord(raw.pricing)
  const aliasTarget = asRecord(raw.alias_target)
  const aliasSlug = nonEmpty(aliasTarget?.slug)
  const supportedParameters = strings(raw.supported_parameters)
  const canonicalSlug = nonEmpty(raw.canonical_slug)
  const { prices, pricedKeys, isVariable } = readPrices(pricing)
  const overrides = pricing?.overrides
  return {
    id,
    name: nonEmpty(raw.name) ?? id,
    author: authorOf(id),
    description: str(raw.description) ?? '',
    created: num(raw.created),
    contextLength: num(raw.context_length),
    maxOutput: num(topProvider?.max_completion_tokens),
    inputModalities: strings(architecture?.input_modalities),
    outputModalities: strings(architecture?.output_modalities),
    modality: str(architecture?.modality),
    tokenizer: nonEmpty(architecture?.tokenizer),
    instructType: nonEmpty(architecture?.instruct_type),
    moderated: bool(topProvider?.is_moderated),
    supportedParameters,
    reasoning: readReasoning(raw, supportedParameters),
    knowledgeCutoff: nonEmpty(raw.knowledge_cutoff),
    expirationDate: nonEmpty(raw.expiration_date),
    prices,
    pricedKeys,
    discount: num(pricing?.discount),
    isFree: prices.prompt.kind === 'free' && prices.completion.kind === 'free' && !isVariable,
    isVariable,
    hasOverrides: Array.isArray(overrides) && overrides.length > 0,
    benchmarks: readBenchmarks(raw),
    aliasTarget: aliasSlug ? { slug: aliasSlug, name: nonEmpty(aliasTarget?.name) } : null,
    canonicalSlug,
    endpointsPath: endpointsPathOf(raw, canonicalSlug),
    huggingFaceId: nonEmpty(raw.hugging_face_id),
    raw,
  }
}
