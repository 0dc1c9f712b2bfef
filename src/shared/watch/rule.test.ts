import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { ChangeEvent, ChangeKind } from '../changes/types'
import { emptyFilter } from '../model/filter'
import type { RawModel } from '../model/raw'
import { checkRule, globMatch, parseRule, ruleMatches, type ParsedRule } from './rule'

const NOW = new Date('2026-08-20T00:00:00Z')

function parsed(expr: string): ParsedRule {
  const result = parseRule(expr)
  if (!result.ok) throw new Error(`expected "${expr}" to parse: ${result.message}`)
  return result.rule
}

function event(kind: ChangeKind, modelId: string): ChangeEvent {
  return {
    key: `s2/${modelId}/${kind}/`,
    kind,
    at: '2026-08-19T00:00:00Z',
    snapshotId: 's2',
    previousId: 's1',
    source: 'user',
    region: 'global',
    profile: 'p',
    modelId,
    name: modelId,
    author: modelId.split('/')[0]!,
  }
}

/** A record as the API sends it; prompt and completion are USD per token. */
function record(
  id: string,
  prompt: string,
  params: string[] = [],
  extra: Record<string, unknown> = {},
): RawModel {
  return {
    id,
    name: id,
    context_length: 200_000,
    architecture: { input_modalities: ['text'], output_modalities: ['text'], tokenizer: 'Other' },
    pricing: { prompt, completion: '0.00001' },
    supported_parameters: params,
    ...extra,
  }
}

describe('parseRule: each term', () => {
  it.each<[string, Partial<ParsedRule>]>([
    ['event:added', { kinds: ['added'] }],
    ['event:ADDED', { kinds: ['added'] }],
    ['event:price, event:context', { kinds: ['price', 'context'] }],
    ['event:price and event:price', { kinds: ['price'] }],
    ['event:allowed-left', { kinds: ['allowed-left'] }],
    ['event: re-added', { kinds: ['re-added'] }],
    ['model:anthropic/claude-*', { models: ['anthropic/claude-*'] }],
    ['model:OpenAI/GPT-4o', { models: ['openai/gpt-4o'] }],
    ['model:a/*, model:b/*', { models: ['a/*', 'b/*'] }],
    ['starred', { starred: true }],
    ['STARRED', { starred: true }],
    ['prompt<1', { promptBelow: 1 }],
    ['prompt < $0.5', { promptBelow: 0.5 }],
    ['prompt<2, prompt<1', { promptBelow: 1 }],
    ['completion<3', { completionBelow: 3 }],
    ['prompt<=1', { filter: { ...emptyFilter(), maxPromptPerM: 1 } }],
    ['param:tools', { filter: { ...emptyFilter(), params: { mode: 'all', values: ['tools'] } } }],
    ['free', { filter: { ...emptyFilter(), freeOnly: true } }],
    ['context>=128k', { filter: { ...emptyFilter(), minContext: 128_000 } }],
    ['author:anthropic', { filter: { ...emptyFilter(), authors: ['anthropic'] } }],
    ['hide-expiring:30', { filter: { ...emptyFilter(), hideExpiringWithinDays: 30 } }],
  ])('%s', (expr, expected) => {
    const base: ParsedRule = {
      kinds: [],
      models: [],
      starred: false,
      filter: emptyFilter(),
      promptBelow: null,
      completionBelow: null,
    }
    expect(parsed(expr)).toEqual({ ...base, ...expected })
  })

  it('reads the four example rules of issue 14', () => {
    expect(parsed('event:added, param:tools, prompt<=1')).toMatchObject({
      kinds: ['added'],
      filter: { maxPromptPerM: 1, params: { values: ['tools'] } },
    })
    expect(parsed('event:price, model:anthropic/claude-*')).toMatchObject({
      kinds: ['price'],
      models: ['anthropic/claude-*'],
    })
    expect(parsed('starred, event:allowed-left')).toMatchObject({ starred: true, kinds: ['allowed-left'] })
    expect(parsed('starred and event:expiration')).toMatchObject({ starred: true, kinds: ['expiration'] })
  })
})

describe('parseRule: bad terms are named', () => {
  it.each<[string, string, RegExp]>([
    ['event:added, bogus', 'bogus', /Unknown rule term "bogus"/],
    ['event:launched', 'event:launched', /"launched" is not a kind of change; kinds: added, removed/],
    ['event:', 'event:', /value is missing/],
    ['model:', 'model:', /value is missing/],
    ['prompt<cheap', 'prompt<cheap', /not a price/],
    ['prompt>=1', 'prompt>=1', /prompt supports <= only/],
    ['context>=lots', 'context>=lots', /not a token count/],
    ['hide-expiring:soon', 'hide-expiring:soon', /whole number of days/],
    ['starred,, event:added', '', /empty term/],
    ['__proto__', '__proto__', /Unknown rule term "__proto__"/],
    ['constructor', 'constructor', /Unknown rule term "constructor"/],
    ['event:__proto__', 'event:__proto__', /not a kind of change/],
    ['event:toString', 'event:toString', /not a kind of change/],
    [`model:${'x'.repeat(400)}`, `model:${'x'.repeat(400)}`, /too long/],
  ])('%s', (expr, term, message) => {
    const result = checkRule(expr)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.term).toBe(term)
    expect(result.message).toMatch(message)
  })

  it.each([[''], ['   '], [undefined], [42], [null], [{}]])('refuses %j with a message', (expr) => {
    const result = checkRule(expr)
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/at least one term/) })
  })

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const result = checkRule(text)
        expect(typeof result.ok).toBe('boolean')
      }),
      { numRuns: 500 },
    )
    const pieces = fc.constantFrom(
      'event:',
      'model:',
      'starred',
      'prompt<',
      'prompt<=',
      'param:',
      '__proto__',
      ',',
      ' and ',
      '*',
      '1',
      'added',
      '$',
      ':',
    )
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 20 }), (parts) => {
        const result = parseRule(parts.join(''))
        if (result.ok) expect(result.summary).toMatch(/\.$/)
        else expect(typeof result.message).toBe('string')
      }),
      { numRuns: 500 },
    )
  })
})

describe('summary', () => {
  it.each([
    ['event:added, param:tools, prompt<=1', 'A model (Prompt ≤ $1/1M, Parameter: tools) is added.'],
    ['event:price, model:anthropic/claude-*', 'A model matching anthropic/claude-* changes price.'],
    ['starred, event:allowed-left', 'A starred model leaves the models your key may use.'],
    ['starred, event:expiration', 'A starred model gets or changes an expiration date.'],
    ['event:added, event:re-added, prompt<0.5', 'A model (Prompt < $0.5/1M) is added or comes back.'],
    ['author:openai', 'A model (Author: openai) changes in any way.'],
  ])('%s', (expr, summary) => {
    expect(checkRule(expr)).toEqual({ ok: true, summary })
  })
})

describe('globMatch', () => {
  it.each<[string, string, boolean]>([
    ['anthropic/claude-*', 'anthropic/claude-sonnet-4', true],
    ['anthropic/claude-*', 'anthropic/claude-', true],
    ['anthropic/claude-*', 'anthropic/claud', false],
    ['anthropic/claude-*', 'x-anthropic/claude-3', false],
    ['*/gpt-4o', 'openai/gpt-4o', true],
    ['*/gpt-4o', 'openai/gpt-4o-mini', false],
    ['openai/gpt-4o', 'openai/gpt-4o', true],
    ['openai/gpt-4o', 'openai/gpt-4o-mini', false],
    ['a?c', 'abc', true],
    ['*a*b*c*', 'xxaxxbxxcxx', true],
    ['*', '', true],
    ['', 'a', false],
  ])('%s ~ %s = %s', (pattern, text, expected) => {
    expect(globMatch(pattern, text)).toBe(expected)
  })

  it('stays fast with many stars against a long id', () => {
    // Would take minutes with a backtracking RegExp; the result is what matters here.
    expect(globMatch(`${'*a'.repeat(50)}b`, 'a'.repeat(300))).toBe(false)
  })
})

describe('ruleMatches: the four example rules', () => {
  const none = { starred: new Set<string>(), now: NOW }
  const starred = { starred: new Set(['openai/gpt-4o', 'anthropic/claude-sonnet-4']), now: NOW }
  const cheapTools = record('new/cheap', '0.0000005', ['tools'])
  const cheapNoTools = record('new/plain', '0.0000005', [])
  const dearTools = record('new/dear', '0.000003', ['tools'])
  const exactlyOne = record('new/one', '0.000001', ['tools'])
  const variable = record('openrouter/auto', '-1', ['tools'])

  it.each<[string, string, ChangeEvent, RawModel | undefined, boolean]>([
    ['new tools <= $1', 'event:added, param:tools, prompt<=1', event('added', 'new/cheap'), cheapTools, true],
    ['… $1 exactly', 'event:added, param:tools, prompt<=1', event('added', 'new/one'), exactlyOne, true],
    [
      '… without tools',
      'event:added, param:tools, prompt<=1',
      event('added', 'new/plain'),
      cheapNoTools,
      false,
    ],
    ['… too dear', 'event:added, param:tools, prompt<=1', event('added', 'new/dear'), dearTools, false],
    [
      '… variable price',
      'event:added, param:tools, prompt<=1',
      event('added', 'openrouter/auto'),
      variable,
      false,
    ],
    [
      '… not an addition',
      'event:added, param:tools, prompt<=1',
      event('price', 'new/cheap'),
      cheapTools,
      false,
    ],
    ['… no record', 'event:added, param:tools, prompt<=1', event('added', 'new/cheap'), undefined, false],
    [
      'strictly under $1',
      'event:added, param:tools, prompt<1',
      event('added', 'new/cheap'),
      cheapTools,
      true,
    ],
    ['… $1 is not under', 'event:added, param:tools, prompt<1', event('added', 'new/one'), exactlyOne, false],
    ['… variable', 'event:added, param:tools, prompt<1', event('added', 'openrouter/auto'), variable, false],
    [
      'claude price',
      'event:price, model:anthropic/claude-*',
      event('price', 'anthropic/claude-sonnet-4'),
      undefined,
      true,
    ],
    [
      '… gpt price',
      'event:price, model:anthropic/claude-*',
      event('price', 'openai/gpt-4o'),
      undefined,
      false,
    ],
    [
      '… claude context',
      'event:price, model:anthropic/claude-*',
      event('context', 'anthropic/claude-sonnet-4'),
      undefined,
      false,
    ],
  ])('%s', (_label, expr, ev, rec, expected) => {
    expect(ruleMatches(parsed(expr), ev, rec, none)).toBe(expected)
  })

  it.each<[string, string, ChangeEvent, boolean]>([
    ['starred leaves', 'starred, event:allowed-left', event('allowed-left', 'openai/gpt-4o'), true],
    ['unstarred leaves', 'starred, event:allowed-left', event('allowed-left', 'other/model'), false],
    ['starred enters', 'starred, event:allowed-left', event('allowed-entered', 'openai/gpt-4o'), false],
    ['starred expires', 'starred, event:expiration', event('expiration', 'anthropic/claude-sonnet-4'), true],
    ['unstarred expires', 'starred, event:expiration', event('expiration', 'other/model'), false],
    ['starred price', 'starred, event:expiration', event('price', 'openai/gpt-4o'), false],
  ])('%s', (_label, expr, ev, expected) => {
    expect(ruleMatches(parsed(expr), ev, record(ev.modelId, '0.000001'), starred)).toBe(expected)
    // The same event with nothing starred never matches a `starred` rule.
    expect(ruleMatches(parsed(expr), ev, record(ev.modelId, '0.000001'), none)).toBe(false)
  })

  it('applies a filter term as the catalog does, to the record after the change', () => {
    const rule = parsed('event:removed, author:anthropic')
    const ev = event('removed', 'anthropic/claude-2')
    expect(ruleMatches(rule, ev, record('anthropic/claude-2', '0.000008'), none)).toBe(true)
    expect(ruleMatches(rule, event('removed', 'openai/gpt-3'), record('openai/gpt-3', '0'), none)).toBe(false)
  })

  it('never throws, whatever the rule, event and record hold', () => {
    const exprs = fc.constantFrom(
      'event:added, param:tools, prompt<1',
      'starred, event:expiration',
      'model:*a*, free, context>=1k',
      'hide-expiring:3, input:image, tokenizer:Claude, reasoning, moderated, completion<=2',
    )
    const value = fc.anything({ maxDepth: 3, withNullPrototype: true, withBigInt: true, withDate: true })
    fc.assert(
      fc.property(exprs, fc.dictionary(fc.string(), value), value, (expr, rec, modelId) => {
        const ev = { ...event('added', 'x/y'), modelId } as unknown as ChangeEvent
        const raw = { id: 'x/y', ...rec } as RawModel
        expect(typeof ruleMatches(parsed(expr), ev, raw, none)).toBe('boolean')
      }),
      { numRuns: 300 },
    )
  })

  it('matches nothing, and does not throw, for broken records and events', () => {
    const rule = parsed('param:tools, prompt<1, context>=1k, hide-expiring:3')
    const hostile = [
      { id: 'x', pricing: 'free', architecture: 7, supported_parameters: { tools: true } },
      { id: 'x', pricing: { prompt: { nested: 1 } }, expiration_date: 'tomorrow' },
      Object.create(null) as RawModel,
      null as unknown as RawModel,
    ]
    for (const rec of hostile) expect(ruleMatches(rule, event('added', 'x'), rec, none)).toBe(false)
    const weird = { ...event('added', 'x'), modelId: undefined } as unknown as ChangeEvent
    expect(ruleMatches(parsed('model:*'), weird, undefined, none)).toBe(true)
    expect(ruleMatches(rule, weird, undefined, none)).toBe(false)
  })
})
