import { describe, expect, it } from 'vitest'
import { costTable } from './compare-cost'
import type { Workload } from './compare'
import { normaliseModel } from './normalise'

const model = (id: string, pricing: unknown) => normaliseModel({ id, pricing })
const workload = (patch: Partial<Workload> = {}): Workload => ({
  inputTokens: 1000,
  outputTokens: 500,
  cachedReadTokens: 0,
  reasoningTokens: 0,
  requestsPerDay: 10,
  ...patch,
})

const longContext = model('a/long', {
  prompt: '0.000001',
  completion: '0.000002',
  overrides: [{ min_prompt_tokens: 100000, prompt: '0.000002' }],
})
const flat = model('b/flat', { prompt: '0.000002', completion: '0.000002' })
const twin = model('c/twin', { prompt: '0.000002', completion: '0.000002' })
const free = model('d/free', { prompt: '0', completion: '0' })
const router = model('e/router', { prompt: '-1', completion: '-1' })

type Expected = [
  id: string,
  rank: number | null,
  multiple: string | null,
  tier: boolean,
  perMonth: string | null,
]

describe('costTable', () => {
  it.each<[string, ReturnType<typeof model>[], Partial<Workload>, Expected[]]>([
    [
      'ranked cheapest first, ties share a rank, unknown last',
      [router, flat, longContext, twin],
      {},
      [
        ['a/long', 1, '1x', false, '0.6'],
        ['b/flat', 2, '1.5x', false, '0.9'],
        ['c/twin', 2, '1.5x', false, '0.9'],
        ['e/router', null, null, false, null],
      ],
    ],
    [
      'a long prompt switches to the override tier (cached reads count); ties keep their order',
      [flat, longContext],
      { inputTokens: 60000, cachedReadTokens: 60000 },
      [
        ['b/flat', 1, '1x', false, '72.3'],
        ['a/long', 1, '1x', true, '72.3'],
      ],
    ],
    [
      'free first; nothing is a multiple of free',
      [flat, free],
      {},
      [
        ['d/free', 1, '1x', false, '0'],
        ['b/flat', 2, null, false, '0.9'],
      ],
    ],
  ])('%s', (_name, models, patch, expected) => {
    const rows = costTable(models, workload(patch))
    expect(
      rows.map((r) => [
        r.model.id,
        r.rank,
        r.multiple,
        r.tierApplied,
        r.cost.kind === 'known' ? r.cost.perMonth : null,
      ]),
    ).toEqual(expected)
  })
})
