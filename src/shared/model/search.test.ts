import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { normaliseModel, type NormalisedModel } from './normalise'
import { parseModelsBody } from './parse'
import { createSearchIndex, search, type SearchHit } from './search'

const model = (id: string, name: string, description = '') => normaliseModel({ id, name, description })

const catalog = [
  model('openai/gpt-4o', 'OpenAI: GPT-4o', 'Omni model with vision.'),
  model('openai/gpt-4o-mini', 'OpenAI: GPT-4o-mini', 'Small and cheap.'),
  model('anthropic/claude-sonnet-4.6', 'Anthropic: Claude Sonnet 4.6', 'Balanced model for coding agents.'),
  model(
    'google/gemini-2.5-flash',
    'Google: Gemini 2.5 Flash',
    'Fast multimodal model with vision and audio.',
  ),
  model('qwen/qwen3-coder', 'Qwen: Qwen3 Coder', 'Agentic coding.'),
  model('~anthropic/claude-sonnet-latest', 'Claude Sonnet Latest', 'Always the newest Sonnet.'),
]
const index = createSearchIndex(catalog)
const ids = (hits: SearchHit[]) => hits.map((h) => h.model.id)

/** The matched letters, for readable assertions on highlight ranges. */
const marked = (text: string, ranges: number[]) => {
  const parts: string[] = []
  for (let i = 0; i + 1 < ranges.length; i += 2) parts.push(text.slice(ranges[i], ranges[i + 1]))
  return parts
}

describe('search', () => {
  it.each<[string, string[]]>([
    ['', catalog.map((m) => m.id)],
    ['   ', catalog.map((m) => m.id)],
    ['gpt-4o', ['openai/gpt-4o', 'openai/gpt-4o-mini']],
    ['gpt4o', ['openai/gpt-4o', 'openai/gpt-4o-mini']],
    ['4o mini', ['openai/gpt-4o-mini']],
    ['sonnet claude', ['anthropic/claude-sonnet-4.6', '~anthropic/claude-sonnet-latest']],
    ['gmini', ['google/gemini-2.5-flash']],
    ['anthropic', ['anthropic/claude-sonnet-4.6', '~anthropic/claude-sonnet-latest']],
    ['vision', ['openai/gpt-4o', 'google/gemini-2.5-flash']],
    ['coding', ['qwen/qwen3-coder', 'anthropic/claude-sonnet-4.6']],
    ['vision audio', ['google/gemini-2.5-flash']],
    ['xyzzy', []],
    ['gpt -4o', ['openai/gpt-4o', 'openai/gpt-4o-mini']],
    ['SONNET', ['anthropic/claude-sonnet-4.6', '~anthropic/claude-sonnet-latest']],
    ['!!!', []],
  ])('%j', (query, expected) => {
    expect(ids(search(index, query)).sort()).toEqual([...expected].sort())
  })

  it('ranks name and id matches before description-only matches', () => {
    const hits = search(index, 'coding')
    // "coding" is in no name or id: both hits come from descriptions, in list order.
    expect(hits.map((h) => [h.model.id, h.field])).toEqual([
      ['anthropic/claude-sonnet-4.6', 'description'],
      ['qwen/qwen3-coder', 'description'],
    ])
    const sonnet = search(index, 'sonnet')
    expect(sonnet.map((h) => h.field)).toEqual(['name', 'name', 'description'].slice(0, sonnet.length))
    expect(search(index, 'newest').map((h) => [h.model.id, h.field])).toEqual([
      ['~anthropic/claude-sonnet-latest', 'description'],
    ])
  })

  it('gives highlight ranges for name and id', () => {
    const hits = search(index, 'claude sonnet')
    const full = hits.find((h) => h.model.id === 'anthropic/claude-sonnet-4.6')!
    expect(marked(full.model.name, full.nameRanges)).toEqual(['Claude', 'Sonnet'])
    const [qwen] = search(index, 'qwen3 coder')
    expect(qwen!.model.id).toBe('qwen/qwen3-coder')
    expect(marked(qwen!.model.name, qwen!.nameRanges)).toEqual(['Qwen3', 'Coder'])
    const byId = search(index, 'anthropic').find((h) => h.model.id.startsWith('~'))!
    expect(byId.field).toBe('id')
    expect(byId.nameRanges).toEqual([])
    expect(marked(byId.model.id, byId.idRanges)).toEqual(['anthropic'])
  })

  it('highlights description-only hits by their words in name and id', () => {
    const hits = search(index, 'flash vision')
    expect(hits.map((h) => h.model.id)).toEqual(['google/gemini-2.5-flash'])
    const hit = hits[0]!
    expect(marked(hit.model.name, hit.nameRanges)).toEqual(['Flash'])
    expect(marked(hit.model.id, hit.idRanges)).toEqual(['flash'])
  })

  it('keeps list order for an empty query and when there are too many matches to rank', () => {
    expect(search(index, '').map((h) => h.index)).toEqual([0, 1, 2, 3, 4, 5])
    const unranked = search(index, 'o', { rankLimit: 2 })
    const nameHits = unranked.filter((h) => h.field !== 'description').map((h) => h.index)
    expect(nameHits).toEqual([...nameHits].sort((a, b) => a - b))
    expect(unranked.length).toBeGreaterThan(2)
  })

  it('stops computing highlights past the limit', () => {
    const hits = search(index, 'o', { rankLimit: 0, highlightLimit: 1 })
    expect(hits[0]!.nameRanges.length + hits[0]!.idRanges.length).toBeGreaterThan(0)
    expect(hits.slice(1).every((h) => h.nameRanges.length === 0 && h.idRanges.length === 0)).toBe(true)
  })
})

describe('search at scale', () => {
  const real = parseModelsBody(
    JSON.parse(
      gunzipSync(
        readFileSync(
          new URL('../../../test/fixtures/openrouter/models-all-2026-08-19.json.gz', import.meta.url),
        ),
      ).toString(),
    ),
  ).models
  const models: NormalisedModel[] = Array.from({ length: 100_000 }, (_, i) => {
    const source = real[i % real.length]!
    return normaliseModel({ ...source, id: `${source.id}-${i}`, name: `${String(source.name)} ${i}` })
  })
  const big = createSearchIndex(models)

  it.each([
    'c',
    'cl',
    'cla',
    'claude',
    'claude son',
    'gpt 4o mini',
    'reasoning agents',
    'xyzzy',
    'qwen3 coder 480',
  ])('answers %j on 100k models well under 50 ms', (query) => {
    search(big, query) // first call compiles uFuzzy's regexps; a typing user has paid that already
    let best = Infinity
    for (let run = 0; run < 3; run++) {
      const start = performance.now()
      search(big, query)
      best = Math.min(best, performance.now() - start)
    }
    expect(best).toBeLessThan(50)
  })
})
