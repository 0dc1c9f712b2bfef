import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import type { ChangeEvent } from '../../../src/shared/changes/types'
import type { WatchRule, WatchState } from '../../../src/shared/watch/types'
import { recordedModels, startFakeOpenRouter, type FakeOpenRouter } from '../../fake-openrouter/server'
import { cleanupTempDirs, tempDir } from '../snapshots/helpers'
import { buildCliBundle } from '../../helpers/cli-bundle'

const ROOT = resolve(__dirname, '../../..')
// Its own bundle (buildCliBundle), so a build by another test never races this one.
const CLI = join(ROOT, 'out/test-watch-cli/model-deck.js')

type Json = Record<string, unknown>
type Run = { status: number | null; stdout: string; stderr: string }

/** `models` (the recorded catalog by default) with every prompt price of `author/` models times `factor`. */
function repriced(author: string, factor: number, models: Json[] = recordedModels()): Json[] {
  return models.map((m) => {
    if (!String(m.id).startsWith(`${author}/`)) return m
    const pricing = m.pricing as Json
    const prompt = Number(pricing.prompt)
    return prompt > 0 ? { ...m, pricing: { ...pricing, prompt: String(prompt * factor) } } : m
  })
}

describe('model-deck watch (a real child process against the fake OpenRouter)', () => {
  let fake: FakeOpenRouter
  let dataDir: string

  function cli(args: string[]): Promise<Run> {
    return new Promise((done, fail) => {
      const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, ...args], {
        cwd: ROOT,
        env: { ...process.env, MODEL_DECK_API_BASE: fake.url },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
      child.on('error', fail)
      child.on('close', (status) => done({ status, stdout, stderr }))
    })
  }

  beforeAll(async () => {
    await buildCliBundle('test-watch-cli')
    fake = await startFakeOpenRouter()
    dataDir = tempDir('watch-cli-')
  })
  afterAll(async () => {
    await fake?.close()
    cleanupTempDirs()
  })

  it('runs in order: no rules, rules, a fetch with nothing new, a match (3), none (0)', async () => {
    fake.setModels(recordedModels())
    const empty = await cli(['watch'])
    expect(empty.status, empty.stderr).toBe(0)
    expect(empty.stderr).toMatch(/no enabled watch rules/)

    const bad = await cli(['watch', 'add', 'event:price, model:anthropic/claude-*, event:launched'])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/"event:launched": "launched" is not a kind of change/)

    const added = await cli([
      'watch',
      'add',
      '--name',
      'Claude prices',
      'event:price, model:anthropic/claude-*',
    ])
    expect(added.status, added.stderr).toBe(0)
    expect(added.stderr).toContain('Saved: A model matching anthropic/claude-* changes price.')
    const ruleId = added.stdout.trim()
    const other = await cli(['watch', 'add', '--name', 'Expiring stars', 'starred, event:expiration'])
    expect(other.status, other.stderr).toBe(0)

    const rules = await cli(['watch', 'rules', '--json'])
    expect(rules.status, rules.stderr).toBe(0)
    const state = JSON.parse(rules.stdout) as WatchState
    expect(state.rules.map((r) => [r.id === ruleId, r.name, r.enabled])).toEqual([
      [true, 'Claude prices', true],
      [false, 'Expiring stars', true],
    ])
    const table = await cli(['watch', 'rules'])
    expect(table.stdout).toMatch(/Claude prices\s+A model matching anthropic\/claude-\* changes price\./)

    // The first snapshot has nothing before it: nothing changed, so nothing matched.
    const first = await cli(['watch'])
    expect(first.status, first.stderr).toBe(0)
    expect(first.stderr).toMatch(/No rule matched \(2 enabled\)/)

    fake.setModels(repriced('anthropic', 2))
    const matched = await cli(['watch'])
    expect(matched.status, matched.stderr).toBe(3)
    const lines = matched.stdout.trim().split('\n')
    expect(lines[0]).toMatch(new RegExp(`^Claude prices \\(${ruleId}\\): \\d+ changes?$`))
    expect(lines.slice(1).every((l) => /^ {2}anthropic\/claude-\S+ {2}prompt \$/.test(l))).toBe(true)
    expect(matched.stderr).toMatch(/1 of 2 enabled rules matched/)

    // Fetched again, the catalog is the same: nothing new, exit 0.
    const unchanged = await cli(['watch'])
    expect(unchanged.status, unchanged.stderr).toBe(0)
    expect(unchanged.stderr).toMatch(/unchanged/)

    // Without a fetch, the rules look at what the latest fetch added.
    const again = await cli(['watch', '--no-fetch', '--json'])
    expect(again.status, again.stderr).toBe(3)
    const body = JSON.parse(again.stdout) as {
      snapshots: string[]
      matches: { rule: WatchRule; events: ChangeEvent[] }[]
    }
    expect(body.snapshots).toHaveLength(1)
    expect(body.matches.map((m) => m.rule.id)).toEqual([ruleId])
    expect(body.matches[0]!.events.length).toBe(lines.length - 1)

    // The badge in the app counts what the command line matched.
    const counted = JSON.parse((await cli(['watch', 'rules', '--json'])).stdout) as WatchState
    expect(counted.unseen[ruleId]).toBe(lines.length - 1)

    // A change no rule watches: exit 0.
    // (Anthropic's prices stay as they are now.)
    fake.setModels(repriced('openai', 3, repriced('anthropic', 2)))
    const none = await cli(['watch'])
    expect(none.status, none.stderr).toBe(0)
    expect(none.stdout).toBe('')
  })

  it('--help explains the rule terms, the default run and exit status 3', async () => {
    const help = await cli(['watch', '--help'])
    expect(help.status).toBe(0)
    expect(help.stdout).toContain('model:GLOB')
    expect(help.stdout).toContain('--no-fetch')
    expect(help.stdout).toContain('Exit status: 3 when a rule matched')
    expect((await cli(['watch', '--frobnicate'])).status).toBe(2)
  })

  it('star and unstar feed `starred` rules', async () => {
    const star = await cli(['star', 'openai/gpt-4o', 'anthropic/claude-sonnet-4'])
    expect(star.status, star.stderr).toBe(0)
    expect((await cli(['stars', '--json'])).stdout.trim()).toBe(
      '["anthropic/claude-sonnet-4","openai/gpt-4o"]',
    )
    expect((await cli(['unstar', 'openai/gpt-4o'])).status).toBe(0)
    expect((await cli(['stars'])).stdout.trim()).toBe('anthropic/claude-sonnet-4')
  })
})
