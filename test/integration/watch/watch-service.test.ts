import { afterEach, describe, expect, it } from 'vitest'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../../../src/shared/ipc/result'
import type { WatchState } from '../../../src/shared/watch/types'
import { cleanupTempDirs, tempDir } from '../snapshots/helpers'
import { model, openStore, save } from '../changes/helpers'
import { watchOn } from './helpers'

afterEach(cleanupTempDirs)

/** Local time, as quiet hours are set: 2026-08-20 at hh:mm on this machine's clock. */
const at = (hh: number, mm = 0) => new Date(2026, 7, 20, hh, mm)

const tools = (id: string, prompt: string) => model(id, prompt, { supported_parameters: ['tools'] })

/**
 * Two snapshots of the public catalog: three Anthropic price changes, one OpenAI price change,
 * a cheap new model with tools and a dear one, and a removal.
 */
async function history(dir: string) {
  const store = await openStore(dir)
  const first = await save(
    store,
    [
      model('anthropic/claude-a'),
      model('anthropic/claude-b'),
      model('anthropic/claude-c'),
      model('openai/gpt-x'),
      model('old/gone'),
    ],
    1,
  )
  const second = await save(
    store,
    [
      model('anthropic/claude-a', '0.000002'),
      model('anthropic/claude-b', '0.000003'),
      model('anthropic/claude-c', '0.000004'),
      model('openai/gpt-x', '0.000005'),
      tools('new/cheap', '0.0000005'),
      tools('new/dear', '0.000009'),
    ],
    2,
  )
  return { store, first, second }
}

const rule = (name: string, expr: string, enabled = true) => ({ name, expr, enabled })
const idOf = (state: WatchState, name: string) => state.rules.find((r) => r.name === name)!.id

describe('the watch service on a real data folder', () => {
  it('shows one notification per rule that matched, not one per event', async () => {
    const dir = tempDir('watch-')
    const { store, second } = await history(dir)
    const { watch, notifier } = watchOn(dir, store, { now: () => at(12) })
    await watch.save(rule('Claude prices', 'event:price, model:anthropic/claude-*'))
    await watch.save(rule('Cheap tools', 'event:added, param:tools, prompt<1'))
    await watch.save(rule('Google', 'author:google'))

    const result = await watch.evaluate([second])

    expect(result.matches.map((m) => [m.rule.name, m.events.map((e) => e.modelId)])).toEqual([
      ['Claude prices', ['anthropic/claude-a', 'anthropic/claude-b', 'anthropic/claude-c']],
      ['Cheap tools', ['new/cheap']],
    ])
    expect(notifier.shown).toHaveLength(2)
    expect(notifier.shown[0]!.title).toBe('Claude prices (3 changes)')
    expect(notifier.shown[0]!.body).toContain('prompt $1.00 → $2.00')
    expect(notifier.shown[1]).toEqual({
      title: 'Cheap tools (1 change)',
      body: expect.stringContaining('added'),
    })
    expect(result.notified).toBe(2)
    await store.close()
  })

  it('counts a change seen in both the allowed and the public catalog once, in the badge and the alert', async () => {
    const dir = tempDir('watch-')
    const store = await openStore(dir)
    const before = [model('anthropic/claude-a'), model('openai/gpt-x')]
    const after = [model('anthropic/claude-a', '0.000002'), model('openai/gpt-x')]
    await save(store, before, 1, 'all')
    await save(store, before, 1, 'user')
    const ids = [await save(store, after, 2, 'all'), await save(store, after, 2, 'user')]
    const { watch, notifier } = watchOn(dir, store, { now: () => at(12) })
    await watch.save(rule('Claude prices', 'event:price, model:anthropic/claude-*'))

    const result = await watch.evaluate(ids)

    // Both catalogs report the price change: the feed keeps both events, the user has one thing to see.
    expect(result.matches[0]!.events).toHaveLength(2)
    expect(notifier.shown.map((n) => n.title)).toEqual(['Claude prices (1 change)'])
    expect((await watch.list()).unseenTotal).toBe(1)
    await store.close()
  })

  it('a click on a notification asks the window to open the feed for that rule', async () => {
    const dir = tempDir('watch-')
    const { store, second } = await history(dir)
    const { watch, notifier, emitted } = watchOn(dir, store, { now: () => at(12) })
    const state = await watch.save(rule('Claude prices', 'event:price, model:anthropic/claude-*'))
    await watch.evaluate([second])
    expect(emitted.filter((e) => e.event === 'app:navigate')).toEqual([])
    notifier.click(0)
    expect(emitted.filter((e) => e.event === 'app:navigate')).toEqual([
      { event: 'app:navigate', payload: { view: 'changes', ruleId: idOf(state, 'Claude prices') } },
    ])
    await store.close()
  })

  it('a disabled rule neither notifies nor counts', async () => {
    const dir = tempDir('watch-')
    const { store, second } = await history(dir)
    const { watch, notifier } = watchOn(dir, store, { now: () => at(12) })
    const state = await watch.save(rule('Claude prices', 'event:price, model:anthropic/claude-*', false))
    const result = await watch.evaluate([second])
    expect(result.matches).toEqual([])
    expect(notifier.shown).toEqual([])
    expect((await watch.list()).unseen).toEqual({ [idOf(state, 'Claude prices')]: 0 })
    // Switched on, the same rule matches.
    await watch.save({
      id: idOf(state, 'Claude prices'),
      ...rule('Claude prices', 'event:price, model:anthropic/claude-*'),
    })
    expect((await watch.evaluate([second])).matches).toHaveLength(1)
    expect(notifier.shown).toHaveLength(1)
    await store.close()
  })

  it.each<[string, { start: string; end: string }, Date, boolean]>([
    ['22:00–07:00 at 23:30 (before midnight)', { start: '22:00', end: '07:00' }, at(23, 30), true],
    ['22:00–07:00 at 00:00', { start: '22:00', end: '07:00' }, at(0, 0), true],
    ['22:00–07:00 at 06:59 (after midnight)', { start: '22:00', end: '07:00' }, at(6, 59), true],
    ['22:00–07:00 at 07:00 (the end is not quiet)', { start: '22:00', end: '07:00' }, at(7, 0), false],
    ['22:00–07:00 at 12:00', { start: '22:00', end: '07:00' }, at(12), false],
    ['22:00–07:00 at 22:00', { start: '22:00', end: '07:00' }, at(22), true],
    ['12:00–13:00 at 12:30', { start: '12:00', end: '13:00' }, at(12, 30), true],
    ['12:00–13:00 at 23:30', { start: '12:00', end: '13:00' }, at(23, 30), false],
  ])('quiet hours %s: the badge counts either way', async (_label, quiet, now, silent) => {
    const dir = tempDir('watch-')
    const { store, second } = await history(dir)
    const { watch, notifier } = watchOn(dir, store, { now: () => now })
    await watch.setQuietHours(quiet)
    const state = await watch.save(rule('Claude prices', 'event:price, model:anthropic/claude-*'))
    await watch.evaluate([second])
    expect(notifier.shown).toHaveLength(silent ? 0 : 1)
    const after = await watch.list()
    expect(after.unseen[idOf(state, 'Claude prices')]).toBe(3)
    expect(after.unseenTotal).toBe(3)
    await store.close()
  })

  it('counts unseen matches per rule, keeps them across a restart, and clears them when seen', async () => {
    const dir = tempDir('watch-')
    const { store, second } = await history(dir)
    const first = watchOn(dir, store, { now: () => at(12) })
    await first.watch.save(rule('Claude prices', 'event:price, model:anthropic/claude-*'))
    const state = await first.watch.save(rule('Any price', 'event:price'))
    await first.watch.evaluate([second])
    const claude = idOf(state, 'Claude prices')
    const any = idOf(state, 'Any price')
    expect(await first.watch.list()).toMatchObject({ unseen: { [claude]: 3, [any]: 4 }, unseenTotal: 7 })
    expect(first.emitted.at(-1)).toMatchObject({ event: 'watch:changed', payload: { unseenTotal: 7 } })

    // The same snapshot again (a second `watch --no-fetch`): no new alert, no double count.
    await first.watch.evaluate([second])
    expect(first.notifier.shown).toHaveLength(2)
    expect((await first.watch.list()).unseenTotal).toBe(7)

    const restarted = watchOn(dir, store)
    expect(await restarted.watch.list()).toMatchObject({ unseen: { [claude]: 3, [any]: 4 }, unseenTotal: 7 })
    const seenOne = await restarted.watch.markSeen(claude)
    expect(seenOne).toMatchObject({ unseen: { [claude]: 0, [any]: 4 }, unseenTotal: 4 })
    expect(restarted.emitted.at(-1)).toMatchObject({ event: 'watch:changed', payload: { unseenTotal: 4 } })
    expect(await restarted.watch.markSeen()).toMatchObject({
      unseen: { [claude]: 0, [any]: 0 },
      unseenTotal: 0,
    })
    expect(await watchOn(dir, store).watch.list()).toMatchObject({ unseenTotal: 0 })
    const lastMatched = (await restarted.watch.list()).rules.map((r) => r.lastMatchedAt)
    expect(lastMatched).toEqual([at(12).toISOString(), at(12).toISOString()])
    await store.close()
  })

  it('matches `starred` against the stars of the profile', async () => {
    const dir = tempDir('watch-')
    const { store, second } = await history(dir)
    const { watch, stars, notifier } = watchOn(dir, store, { now: () => at(12) })
    await watch.save(rule('My models', 'starred, event:price'))
    await stars.set('openai/gpt-x', true, 'someone-else')
    expect((await watch.evaluate([second])).matches).toEqual([])
    await stars.set('openai/gpt-x', true, 'default')
    const { matches } = await watch.evaluate([second])
    expect(matches.map((m) => m.events.map((e) => e.modelId))).toEqual([['openai/gpt-x']])
    expect(notifier.shown).toHaveLength(1)
    await store.close()
  })

  it('refuses a rule that does not parse, naming the term, and saves nothing', async () => {
    const dir = tempDir('watch-')
    const { store } = await history(dir)
    const { watch } = watchOn(dir, store)
    const error = await watch.save(rule('Bad', 'event:price, event:launched')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AppError)
    expect(error).toMatchObject({ code: 'invalid-input', details: { term: 'event:launched' } })
    expect((error as AppError).message).toMatch(/"launched" is not a kind of change/)
    expect((await watch.list()).rules).toEqual([])
    expect(existsSync(join(dir, 'watch.json'))).toBe(false)
    expect(watch.check('starred, cheap')).toMatchObject({ ok: false, term: 'cheap' })
    expect(watch.check('starred, event:expiration')).toEqual({
      ok: true,
      summary: 'A starred model gets or changes an expiration date.',
    })
    await store.close()
  })

  it('edits and removes rules; a changed expression forgets what the old one counted', async () => {
    const dir = tempDir('watch-')
    const { store, second } = await history(dir)
    const { watch } = watchOn(dir, store, { now: () => at(12) })
    const state = await watch.save(rule('Prices', 'event:price'))
    const id = idOf(state, 'Prices')
    await watch.evaluate([second])
    expect((await watch.list()).unseen[id]).toBe(4)
    const renamed = await watch.save({ id, ...rule('All prices', 'event:price') })
    expect(renamed.rules.map((r) => r.name)).toEqual(['All prices'])
    expect(renamed.unseen[id]).toBe(4)
    expect((await watch.save({ id, ...rule('Removals', 'event:removed') })).unseen[id]).toBe(0)
    expect((await watch.remove(id)).rules).toEqual([])
    await expect(watch.remove(id)).rejects.toMatchObject({ code: 'not-found' })
    await expect(watch.save({ id: 'nope', ...rule('x', 'event:added') })).rejects.toMatchObject({
      code: 'not-found',
    })
    await store.close()
  })

  it('the feed filtered to a rule shows what it matched; starred shows the stars', async () => {
    const dir = tempDir('watch-')
    const { store, second } = await history(dir)
    const { watch, stars, feed } = watchOn(dir, store, { now: () => at(12) })
    const state = await watch.save(rule('Claude prices', 'event:price, model:anthropic/claude-*'))
    await watch.save(rule('Cheap tools', 'event:added, param:tools, prompt<1'))
    await watch.evaluate([second])
    const listed = async (query: { ruleId?: string; starred?: boolean }) => {
      const match = await watch.matchFor(query)
      return (await feed.list(query, match ? { match } : {})).events
        .map((e) => `${e.kind} ${e.modelId}`)
        .sort()
    }
    expect(await listed({ ruleId: idOf(state, 'Claude prices') })).toEqual([
      'price anthropic/claude-a',
      'price anthropic/claude-b',
      'price anthropic/claude-c',
    ])
    const cheap = (await watch.list()).rules.find((r) => r.name === 'Cheap tools')!.id
    expect(await listed({ ruleId: cheap })).toEqual(['added new/cheap'])
    expect(await listed({ ruleId: 'no-such-rule' })).toEqual([])
    await stars.set('new/dear', true)
    expect(await listed({ starred: true })).toEqual(['added new/dear'])
    expect(await watch.matchFor({})).toBeUndefined()
    await store.close()
  })

  it('never throws: an unknown snapshot, or no rules, is no match', async () => {
    const dir = tempDir('watch-')
    const { store, second } = await history(dir)
    const { watch } = watchOn(dir, store)
    expect(await watch.evaluate([second])).toEqual({ matches: [], notified: 0 })
    await watch.save(rule('Prices', 'event:price'))
    expect(await watch.evaluate(['20260101T000000000Z-abcdef'])).toEqual({ matches: [], notified: 0 })
    expect(await watch.evaluate([])).toEqual({ matches: [], notified: 0 })
    await store.close()
  })

  it('a notifier that throws does not stop the other rules or the count', async () => {
    const dir = tempDir('watch-')
    const { store, second } = await history(dir)
    let calls = 0
    const { watch } = watchOn(dir, store, {
      now: () => at(12),
      notifier: {
        show: () => {
          calls++
          throw new Error('no notification daemon')
        },
      },
    })
    await watch.save(rule('A', 'event:price'))
    await watch.save(rule('B', 'event:added'))
    const result = await watch.evaluate([second])
    expect(calls).toBe(2)
    expect(result.matches).toHaveLength(2)
    expect((await watch.list()).unseenTotal).toBe(6)
    await store.close()
  })
})

describe('watch.json', () => {
  it('a damaged file keeps every readable rule, with the original copied aside', async () => {
    const dir = tempDir('watch-')
    const good = {
      id: 'r-good',
      name: 'Prices',
      expr: 'event:price',
      enabled: true,
      createdAt: '2026-08-01T00:00:00.000Z',
      lastMatchedAt: null,
    }
    const original = JSON.stringify({
      version: 1,
      rules: [good, { id: 'r-bad', name: 42 }, 'junk', { ...good }],
      quietHours: { start: '25:00', end: '07:00' },
      unseen: { 'r-good': ['k1', 'k2', 3], 'r-gone': ['k'], ['__proto__']: ['x'] },
    })
    writeFileSync(join(dir, 'watch.json'), original)
    const store = await openStore(dir)
    const { watch } = watchOn(dir, store)
    expect(await watch.list()).toEqual({
      rules: [good],
      quietHours: null,
      unseen: { 'r-good': 2 },
      unseenTotal: 2,
    })
    const aside = readdirSync(dir).filter((f) => f.startsWith('watch.json.damaged-'))
    expect(aside).toHaveLength(1)
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe(original)
    const repaired = JSON.parse(readFileSync(join(dir, 'watch.json'), 'utf8')) as {
      version: number
      rules: unknown[]
    }
    expect(repaired.version).toBe(1)
    expect(repaired.rules).toEqual([good])
    await store.close()
  })

  it.each([['not json {'], ['[]'], ['null'], ['{"rules": "all of them"}']])(
    'unreadable %j: starts empty, original kept aside',
    async (text) => {
      const dir = tempDir('watch-')
      writeFileSync(join(dir, 'watch.json'), text)
      const store = await openStore(dir)
      const { watch } = watchOn(dir, store)
      expect(await watch.list()).toEqual({ rules: [], quietHours: null, unseen: {}, unseenTotal: 0 })
      expect(readdirSync(dir).some((f) => f.startsWith('watch.json.damaged-'))).toBe(true)
      await watch.save(rule('Prices', 'event:price'))
      expect((await watchOn(dir, store).watch.list()).rules).toHaveLength(1)
      await store.close()
    },
  )

  it('a file from a newer Model Deck is read, and never rewritten', async () => {
    const dir = tempDir('watch-')
    const text = JSON.stringify({
      version: 9,
      rules: [
        {
          id: 'r-1',
          name: 'Prices',
          expr: 'event:price',
          enabled: true,
          createdAt: '2026-08-01T00:00:00.000Z',
          lastMatchedAt: null,
          colour: 'red',
        },
      ],
      somethingNew: true,
    })
    writeFileSync(join(dir, 'watch.json'), text)
    const store = await openStore(dir)
    const { watch } = watchOn(dir, store)
    expect((await watch.list()).rules.map((r) => r.name)).toEqual(['Prices'])
    await expect(watch.save(rule('Another', 'event:added'))).rejects.toMatchObject({
      code: 'store-read-only',
    })
    expect((await watch.list()).rules).toHaveLength(1)
    expect(readFileSync(join(dir, 'watch.json'), 'utf8')).toBe(text)
    await store.close()
  })
})
