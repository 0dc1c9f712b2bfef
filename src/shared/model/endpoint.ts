import { parsePrice, perMillion, type Price } from '../pricing/price'
import type { RawEndpoint } from './raw'

/** One provider row for the compare and detail views. Percentages are 0–100; latency is the API's p50. */
export type EndpointRow = {
  provider: string
  tag: string
  quantization: string | null
  context: number | null
  maxOutput: number | null
  prompt: Price
  completion: Price
  /** Exact USD per 1M tokens; null when variable or unknown. */
  promptPerM: string | null
  completionPerM: string | null
  uptime30m: number | null
  uptime1d: number | null
  latencyP50: number | null
  throughputP50: number | null
  status: number | null
  /** Status 0 is normal; the API leaves negative codes undocumented, they mark degraded or deranked rows. */
  degraded: boolean
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

function p50(value: unknown): number | null {
  return typeof value === 'object' && value !== null ? num((value as { p50?: unknown }).p50) : null
}

function pricingOf(endpoint: RawEndpoint): Record<string, unknown> | null {
  const pricing = endpoint.pricing
  return typeof pricing === 'object' && pricing !== null && !Array.isArray(pricing)
    ? (pricing as Record<string, unknown>)
    : null
}

export function normaliseEndpoint(endpoint: RawEndpoint): EndpointRow {
  const pricing = pricingOf(endpoint)
  const prompt: Price = pricing ? parsePrice(pricing.prompt) : { kind: 'unknown' }
  const completion: Price = pricing ? parsePrice(pricing.completion) : { kind: 'unknown' }
  // "unknown" is the API's own word for an unstated quantization; showing it as missing reads better.
  const quantization = str(endpoint.quantization)
  const status = num(endpoint.status)
  return {
    provider: str(endpoint.provider_name) ?? str(endpoint.tag) ?? 'unknown provider',
    tag: str(endpoint.tag) ?? '',
    quantization: quantization === 'unknown' ? null : quantization,
    context: num(endpoint.context_length),
    maxOutput: num(endpoint.max_completion_tokens),
    prompt,
    completion,
    promptPerM: perMillion(prompt),
    completionPerM: perMillion(completion),
    uptime30m: num(endpoint.uptime_last_30m),
    uptime1d: num(endpoint.uptime_last_1d),
    latencyP50: p50(endpoint.latency_last_30m),
    throughputP50: p50(endpoint.throughput_last_30m),
    status,
    degraded: status !== null && status < 0,
  }
}
