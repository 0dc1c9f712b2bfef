import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { cleanupTempDirs, tempDir } from '../snapshots/helpers'
import { buildCliBundle } from '../../helpers/cli-bundle'
import { diffCatalogs } from '../../../src/shared/model/diff'
import { allModels, userModels } from '../snapshots/helpers'
import type { ChangeFeed } from '../../../src/shared/changes/types'
import { withPriceChanges } from '../snapshots/helpers'
import { countingStore, eventFilePath, feedOf, openStore, save } from './helpers'

const ROOT = resolve(__dirname, '../../..')
// Its own bundle (buildCliBundle), so a build by another test never races this one.
const CLI = join(ROOT, 'out/test-changes-cli/model-deck.js')
const MAY = join(ROOT, 'test/fixtures/openrouter/models-2026-05-16.json.gz')
const AUG = join(ROOT, 'test/fixtures/openrouter/models-all-2026-08-19.json.gz')

type Run = { status: number | null; stdout: string; stderr: string }

function cli(args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('error', fail)
    child.on('close', (status) => done({ status, stdout, stderr }))
  })
}

describe('model-deck changes (a real child process)', () => {
  let dataDir: string

  beforeAll(async () => {
    await buildCliBundle('test-changes-cli')
    dataDir = tempDir('changes-cli-')
    for (const [file, at] of [
      [MAY, '2026-05-16T00:00:00Z'],
      [AUG, '2026-08-19T00:00:00Z'],
    ] as const) {
      const run = await cli([
        '--data-dir',
        dataDir,
        'snapshot',
        'import',
        file,
        '--source',
        'all',
        '--taken-at',
        at,
      ])
      expect(run.status, run.stderr).toBe(0)
    }
  })
  afterAll(cleanupTempDirs)

  it('--json: the events of May → August, as many as diffCatalogs counts', async () => {
    const run = await cli(['--data-dir', dataDir, 'changes', '--json'])
    expect(run.status, run.stderr).toBe(0)
    const feed = JSON.parse(run.stdout) as ChangeFeed
    const diff = diffCatalogs(userModels(), allModels())
    expect(feed.counts.added).toBe(diff.counts.added)
    expect(feed.counts.removed).toBe(diff.counts.removed)
    expect(feed.snapshots).toBe(2)
    expect(feed.events.every((e) => e.at === '2026-08-19T00:00:00.000Z')).toBe(true)
  })

  it('one line per change with the price in $ per 1M, from → to and percent', async () => {
    const run = await cli([
      '--data-dir',
      dataDir,
      'changes',
      '--kind',
      'price',
      '--model',
      'deepseek/deepseek-chat',
    ])
    expect(run.status, run.stderr).toBe(0)
    const lines = run.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^DATE \(UTC\)\s+SOURCE\s+KIND\s+MODEL\s+CHANGE$/)
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^2026-08-19 00:00 {2}all {5}price {2}deepseek\/deepseek-chat +completion \$0\.89 → \$1\.03 \/ 1M tokens \(\+15\.6%\)$/,
      ),
    )
    expect(lines.slice(1).every((l) => l.includes('deepseek/deepseek-chat'))).toBe(true)
    expect(run.stderr).toMatch(/^\d+ changes over 2 snapshots\.\n$/)
  })

  it.each([
    [['--since', '2026-08-19'], true],
    [['--since', '2026-08-20'], false],
    [['--until', '2026-08-18'], false],
    [['--since', '10000w'], true],
  ])('%j: exit 0, changes shown: %s', async (flags, some) => {
    const run = await cli(['--data-dir', dataDir, 'changes', ...flags, '--json'])
    expect(run.status, run.stderr).toBe(0)
    const feed = JSON.parse(run.stdout) as ChangeFeed
    expect(feed.total > 0).toBe(some)
  })

  it('filters by author and kinds; an empty result says so on stderr and exits 0', async () => {
    const run = await cli([
      '--data-dir',
      dataDir,
      'changes',
      '--author',
      'OpenAI',
      '--kind',
      'added',
      'removed',
      '--json',
    ])
    const feed = JSON.parse(run.stdout) as ChangeFeed
    expect(feed.total).toBeGreaterThan(0)
    expect(feed.events.every((e) => e.author === 'openai' && ['added', 'removed'].includes(e.kind))).toBe(
      true,
    )
    const none = await cli(['--data-dir', dataDir, 'changes', '--source', 'user'])
    expect(none).toMatchObject({ status: 0, stdout: '' })
    expect(none.stderr).toMatch(/No changes in 0 snapshots/)
  })

  it.each([
    [['--since', 'yesterday'], /--since must be a time back from now such as 24h/],
    [['--until', '2026-13-45'], /--until must be/],
    [['--kind', 'renamed'], /argument 'renamed' is invalid/],
    [['--source', 'mine'], /argument 'mine' is invalid/],
    [['--limit', '0'], /--limit must be a whole number/],
  ])('%j: a clear message and exit 2', async (flags, message) => {
    const run = await cli(['--data-dir', dataDir, 'changes', ...flags])
    expect(run.status).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(message)
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
  })
})

describe('several processes opening a cold feed at once', () => {
  it('all print the same feed, and the event file they wrote serves the next open with no diff', async () => {
    const dir = tempDir('changes-race-')
    // The feed shows the active profile's catalogs: make it the profile the helper saves as.
    const profiles = {
      version: 1,
      activeId: 'default',
      profiles: [{ id: 'default', name: 'Personal', unverified: false }],
    }
    writeFileSync(join(dir, 'profiles.json'), JSON.stringify(profiles))
    const store = await openStore(dir)
    let models = allModels()
    for (let n = 1; n <= 8; n++) {
      models = withPriceChanges(models.slice(n % 3), 4, n)
      await save(store, models, n)
    }
    await store.close()
    rmSync(eventFilePath(dir), { force: true })
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => cli(['--data-dir', dir, 'changes', '--json'])),
    )
    for (const run of runs) expect(run.status, run.stderr).toBe(0)
    const feeds = runs.map((run) => JSON.parse(run.stdout) as ChangeFeed)
    for (const feed of feeds) expect(feed).toEqual(feeds[0])
    expect(feeds[0]!.total).toBeGreaterThan(7 * 4)

    const reopened = await openStore(dir)
    const counted = countingStore(reopened)
    expect(await feedOf(counted.store, dir).list({})).toEqual(feeds[0])
    expect(counted.loads()).toBe(0)
    await reopened.close()
  })
})
