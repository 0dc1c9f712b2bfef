import { describe, expect, it } from 'vitest'
import type { RawModel } from '../model/raw'
import {
  assembleSeries,
  eventsFromScratch,
  modelMatcher,
  pairChanges,
  pricePercent,
  queryEvents,
  type PairChange,
  type SeriesPoint,
} from './events'
import type { ChangeEvent } from './types'

const model = (id: string, extra: Record<string, unknown> = {}): RawModel => ({
  id,
  name: id.toUpperCase(),
  context_length: 8000,
  pricing: { prompt: '0.000003', completion: '0.000015' },
  ...extra,
})

const point = (n: number, source: 'user' | 'all' = 'all'): SeriesPoint => ({
  id: `s${n}`,
  takenAt: new Date(Date.UTC(2026, 7, n)).toISOString(),
  source,
  region: 'global',
  profile: 'default',
})

/** The one change a single edit of one record makes, without the model's id and name. */
function only(before: RawModel, after: RawModel): Omit<PairChange, 'modelId' | 'name'>[] {
  return pairChanges([before], [after]).map(({ modelId: _id, name: _name, ...rest }) => rest)
}

describe('pairChanges: one event per thing a user would notice', () => {
  const base = model('a/x')
  it.each<[string, RawModel, Omit<PairChange, 'modelId' | 'name'>[]]>([
    [
      'a prompt price rise, exact percent',
      model('a/x', { pricing: { prompt: '0.0000033', completion: '0.000015' } }),
      [{ kind: 'price', field: 'prompt', from: '0.000003', to: '0.0000033', percent: 10 }],
    ],
    [
      'the same price spelled differently is no change',
      model('a/x', { pricing: { prompt: '0.0000030', completion: '0.000015000' } }),
      [],
    ],
    [
      'a missing key is 0: a new image price has no percent',
      model('a/x', { pricing: { prompt: '0.000003', completion: '0.000015', image: '0.001' } }),
      [{ kind: 'price', field: 'image', from: null, to: '0.001', percent: null }],
    ],
    [
      'a price dropped to absent is -100%',
      model('a/x', { pricing: { prompt: '0.000003' } }),
      [{ kind: 'price', field: 'completion', from: '0.000015', to: null, percent: -100 }],
    ],
    [
      'a price becoming variable has no percent',
      model('a/x', { pricing: { prompt: '-1', completion: '0.000015' } }),
      [{ kind: 'price', field: 'prompt', from: '0.000003', to: '-1', percent: null }],
    ],
    [
      'context length',
      model('a/x', { context_length: 128000 }),
      [{ kind: 'context', field: 'context_length', from: 8000, to: 128000 }],
    ],
    [
      'max output, from a top_provider that appears',
      model('a/x', { top_provider: { max_completion_tokens: 4096 } }),
      [{ kind: 'max-output', field: 'top_provider.max_completion_tokens', from: null, to: 4096 }],
    ],
    [
      'parameters gained and lost',
      model('a/x', { supported_parameters: ['tools', 'seed'] }),
      [{ kind: 'parameters', field: 'supported_parameters', gained: ['seed', 'tools'], lost: [] }],
    ],
    [
      'input modalities',
      model('a/x', { architecture: { input_modalities: ['text', 'image'] } }),
      [{ kind: 'modalities', field: 'architecture.input_modalities', gained: ['image', 'text'], lost: [] }],
    ],
    [
      'an expiration date set',
      model('a/x', { expiration_date: '2026-12-01' }),
      [{ kind: 'expiration', field: 'expiration_date', from: null, to: '2026-12-01' }],
    ],
    ['a description edit is not an event', model('a/x', { description: 'new words' }), []],
  ])('%s', (_, after, expected) => {
    expect(only(base, after)).toEqual(expected)
  })

  it('a reordered parameter list is no change, a real set change is', () => {
    const a = model('a/x', { supported_parameters: ['tools', 'seed'] })
    expect(only(a, model('a/x', { supported_parameters: ['seed', 'tools'] }))).toEqual([])
    expect(only(a, model('a/x', { supported_parameters: ['seed', 'top_k'] }))).toEqual([
      { kind: 'parameters', field: 'supported_parameters', gained: ['top_k'], lost: ['tools'] },
    ])
  })

  it('an expiration date that moves', () => {
    const a = model('a/x', { expiration_date: '2026-12-01' })
    expect(only(a, model('a/x', { expiration_date: '2027-01-01' }))).toEqual([
      { kind: 'expiration', field: 'expiration_date', from: '2026-12-01', to: '2027-01-01' },
    ])
  })

  it('added and removed models carry their names; changes are sorted by model', () => {
    const changes = pairChanges(
      [model('b/y'), model('a/x')],
      [model('c/z'), model('a/x', { context_length: 1 })],
    )
    expect(changes.map((c) => [c.kind, c.modelId, c.name])).toEqual([
      ['context', 'a/x', 'A/X'],
      ['removed', 'b/y', 'B/Y'],
      ['added', 'c/z', 'C/Z'],
    ])
  })

  it('for the allowed set: a public model entered or left; a model not public was added or removed', () => {
    const opts = { allowedSet: true, publicIds: new Set(['a/x', 'b/y']) }
    const changes = pairChanges([model('a/x'), model('d/w')], [model('b/y'), model('c/z')], opts)
    expect(changes.map((c) => [c.kind, c.modelId])).toEqual([
      ['allowed-left', 'a/x'],
      ['allowed-entered', 'b/y'],
      ['added', 'c/z'],
      ['removed', 'd/w'],
    ])
    // The public catalog itself never has allowed-set events.
    expect(pairChanges([model('a/x')], [], { publicIds: new Set(['a/x']) })[0]!.kind).toBe('removed')
  })
})

describe('pricePercent', () => {
  it.each([
    ['0.000003', '0.0000045', 50],
    ['0.000003', '0.000001', -66.7],
    ['0.0000001', '0.00000010001', 0],
    ['0.000003', undefined, -100],
    [undefined, '0.000003', null],
    ['0', '0.1', null],
    ['-1', '0.1', null],
    ['junk', '0.1', null],
  ])('%s → %s is %s', (from, to, expected) => {
    expect(pricePercent(from, to)).toBe(expected)
  })
})

describe('assembleSeries', () => {
  it('a model that comes back after a snapshot without it is re-added, a new one added', () => {
    const [p1, p2, p3] = [point(1), point(2), point(3)]
    const events = assembleSeries([
      { previous: p1, snapshot: p2, changes: [{ kind: 'removed', modelId: 'a/x', name: 'X' }] },
      {
        previous: p2,
        snapshot: p3,
        changes: [
          { kind: 'added', modelId: 'a/x', name: 'X' },
          { kind: 'added', modelId: 'b/y', name: 'Y' },
        ],
      },
    ])
    expect(events.map((e) => [e.kind, e.modelId, e.snapshotId, e.previousId, e.author, e.at])).toEqual([
      ['removed', 'a/x', 's2', 's1', 'a', p2.takenAt],
      ['re-added', 'a/x', 's3', 's2', 'a', p3.takenAt],
      ['added', 'b/y', 's3', 's2', 'b', p3.takenAt],
    ])
    expect(events[1]!.key).toBe('s3/a/x/re-added/')
  })

  it('from scratch: the first snapshot of a series has no events, series never mix', () => {
    const events = eventsFromScratch([
      { meta: point(1), models: [model('a/x')] },
      { meta: point(2), models: [] },
      { meta: point(1, 'user'), models: [] },
      { meta: point(3), models: [model('a/x')] },
      { meta: point(2, 'user'), models: [model('a/x')], publicIds: new Set(['a/x']) },
    ])
    expect(events.map((e) => [e.kind, e.source, e.snapshotId])).toEqual([
      ['re-added', 'all', 's3'],
      ['removed', 'all', 's2'],
      ['allowed-entered', 'user', 's2'],
    ])
  })
})

describe('queryEvents', () => {
  const event = (
    n: number,
    kind: ChangeEvent['kind'],
    modelId: string,
    source: 'user' | 'all' = 'all',
  ): ChangeEvent => ({
    key: `s${n}/${modelId}/${kind}/`,
    kind,
    at: point(n).takenAt,
    snapshotId: `s${n}`,
    previousId: `s${n - 1}`,
    source,
    region: 'global',
    profile: 'default',
    modelId,
    name: modelId,
    author: modelId.split('/')[0]!,
  })
  const events = [
    event(2, 'added', 'anthropic/claude-4'),
    event(5, 'price', 'openai/gpt-5'),
    event(3, 'removed', 'anthropic/claude-3-haiku'),
    event(9, 'allowed-left', 'openai/gpt-4o', 'user'),
    event(9, 'price', 'anthropic/claude-4'),
  ]
  const ids = (q: Parameters<typeof queryEvents>[1]) => queryEvents(events, q).events.map((e) => e.key)

  it.each<[string, Parameters<typeof queryEvents>[1], string[]]>([
    [
      'everything, newest first',
      {},
      [
        's9/anthropic/claude-4/price/',
        's9/openai/gpt-4o/allowed-left/',
        's5/openai/gpt-5/price/',
        's3/anthropic/claude-3-haiku/removed/',
        's2/anthropic/claude-4/added/',
      ],
    ],
    ['by kind', { kinds: ['price'] }, ['s9/anthropic/claude-4/price/', 's5/openai/gpt-5/price/']],
    [
      'by author, any case',
      { author: 'OpenAI' },
      ['s9/openai/gpt-4o/allowed-left/', 's5/openai/gpt-5/price/'],
    ],
    ['by glob', { model: 'anthropic/claude-3*' }, ['s3/anthropic/claude-3-haiku/removed/']],
    ['by substring', { model: 'gpt' }, ['s9/openai/gpt-4o/allowed-left/', 's5/openai/gpt-5/price/']],
    ['by source', { source: 'user' }, ['s9/openai/gpt-4o/allowed-left/']],
    [
      'since a date-time',
      { since: point(5).takenAt },
      ['s9/anthropic/claude-4/price/', 's9/openai/gpt-4o/allowed-left/', 's5/openai/gpt-5/price/'],
    ],
    [
      'until a plain date covers that day',
      { until: '2026-08-03' },
      ['s3/anthropic/claude-3-haiku/removed/', 's2/anthropic/claude-4/added/'],
    ],
    [
      'limit and offset',
      { limit: 2, offset: 1 },
      ['s9/openai/gpt-4o/allowed-left/', 's5/openai/gpt-5/price/'],
    ],
  ])('%s', (_, query, expected) => {
    expect(ids(query)).toEqual(expected)
  })

  it('counts and total are of every match, before the page is cut', () => {
    const feed = queryEvents(events, { limit: 1 }, { match: (e) => e.author === 'anthropic' })
    expect(feed.total).toBe(3)
    expect(feed.events).toHaveLength(1)
    expect(feed.counts).toMatchObject({ added: 1, removed: 1, price: 1, 'allowed-left': 0 })
  })

  it.each([
    ['anthropic/claude-*', 'anthropic/claude-sonnet-4', true],
    ['anthropic/claude-*', 'openai/anthropic/claude-x', false],
    ['*sonnet*', 'anthropic/claude-sonnet-4', true],
    ['a.b', 'axb', false],
    ['CLAUDE', 'anthropic/claude-4', true],
  ])('model pattern %s on %s: %s', (pattern, id, expected) => {
    expect(modelMatcher(pattern)(id)).toBe(expected)
  })
})
