import { describe, expect, it } from 'vitest'
import { describeChange } from './describe'
import type { ChangeEvent } from './types'

const event = (patch: Partial<ChangeEvent>): ChangeEvent => ({
  key: 'k',
  kind: 'added',
  at: '2026-08-19T00:00:00.000Z',
  snapshotId: 's2',
  previousId: 's1',
  source: 'all',
  region: 'global',
  profile: 'default',
  modelId: 'a/x',
  name: 'X',
  author: 'a',
  ...patch,
})

describe('describeChange', () => {
  it.each<[Partial<ChangeEvent>, string]>([
    [{ kind: 'added' }, 'added to the catalog'],
    [{ kind: 're-added' }, 'back in the catalog'],
    [{ kind: 'allowed-left' }, 'left the models your key may use (still public)'],
    [
      { kind: 'price', field: 'prompt', from: '0.000003', to: '0.0000033', percent: 10 },
      'prompt $3.00 → $3.30 / 1M tokens (+10.0%)',
    ],
    [
      { kind: 'price', field: 'completion', from: '0.000015', to: '0.0000075', percent: -50 },
      'completion $15.00 → $7.50 / 1M tokens (-50.0%)',
    ],
    [
      { kind: 'price', field: 'image', from: null, to: '0.001', percent: null },
      'image input $0 → $0.001 / image',
    ],
    [
      { kind: 'price', field: 'prompt', from: '0.000001', to: '-1', percent: null },
      'prompt $1.00 / 1M tokens → variable',
    ],
    [
      { kind: 'price', field: 'web_search', from: '0.01', to: '0.02', percent: 100 },
      'web search $0.01 → $0.02 / search (+100.0%)',
    ],
    [{ kind: 'context', field: 'context_length', from: 8192, to: 128000 }, 'context 8,192 → 128,000 tokens'],
    [
      { kind: 'max-output', field: 'top_provider.max_completion_tokens', from: null, to: 4096 },
      'max output none → 4,096 tokens',
    ],
    [{ kind: 'parameters', gained: ['tools'], lost: ['seed'] }, 'parameters +tools -seed'],
    [
      { kind: 'modalities', field: 'architecture.output_modalities', gained: ['image'], lost: [] },
      'output modalities +image',
    ],
    [{ kind: 'expiration', from: null, to: '2026-12-01' }, 'expires 2026-12-01'],
    [{ kind: 'expiration', from: '2026-12-01', to: '2027-01-01' }, 'expiration 2026-12-01 → 2027-01-01'],
    [{ kind: 'expiration', from: '2026-12-01', to: null }, 'expiration date 2026-12-01 removed'],
  ])('%j', (patch, text) => {
    expect(describeChange(event(patch))).toBe(text)
  })
})
