import { describe, expect, it } from 'vitest'
import { normaliseEndpoint, type EndpointRow } from './endpoint'

const real = {
  name: 'Parasail | qwen/qwen3.6-35b-a3b-20260415',
  model_id: 'qwen/qwen3.6-35b-a3b',
  context_length: 262144,
  pricing: { prompt: '0.00000015', completion: '0.000001', input_cache_read: '0.00000005', discount: 0 },
  provider_name: 'Parasail',
  tag: 'parasail/fp8',
  quantization: 'fp8',
  max_completion_tokens: 262144,
  max_prompt_tokens: null,
  status: 0,
  uptime_last_30m: 97.04,
  uptime_last_5m: 90.46,
  uptime_last_1d: 99.24,
  latency_last_30m: null,
  throughput_last_30m: null,
}

describe('normaliseEndpoint', () => {
  it('flattens a real endpoint', () => {
    expect(normaliseEndpoint(real)).toEqual<EndpointRow>({
      provider: 'Parasail',
      tag: 'parasail/fp8',
      quantization: 'fp8',
      context: 262144,
      maxOutput: 262144,
      prompt: { kind: 'fixed', value: '0.00000015' },
      completion: { kind: 'fixed', value: '0.000001' },
      promptPerM: '0.15',
      completionPerM: '1',
      uptime30m: 97.04,
      uptime1d: 99.24,
      latencyP50: null,
      throughputP50: null,
      status: 0,
      degraded: false,
    })
  })

  it.each<[string, Record<string, unknown>, Partial<EndpointRow>]>([
    ['quantization "unknown" reads as missing', { quantization: 'unknown' }, { quantization: null }],
    ['negative status is degraded', { status: -2 }, { status: -2, degraded: true }],
    ['percentiles with a key', { latency_last_30m: { p50: 420, p90: 900 } }, { latencyP50: 420 }],
    ['throughput p50', { throughput_last_30m: { p50: 88.5 } }, { throughputP50: 88.5 }],
    ['variable price', { pricing: { prompt: '-1', completion: '-1' } }, { promptPerM: null }],
    ['missing pricing', { pricing: undefined }, { prompt: { kind: 'unknown' }, completionPerM: null }],
    ['missing provider name falls back to tag', { provider_name: undefined }, { provider: 'parasail/fp8' }],
    ['null max output', { max_completion_tokens: null }, { maxOutput: null }],
  ])('%s', (_name, patch, expected) => {
    expect(normaliseEndpoint({ ...real, ...patch })).toMatchObject(expected)
  })
})
