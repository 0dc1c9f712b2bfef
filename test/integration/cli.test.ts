import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import ExcelJS from 'exceljs'
import keytar from '@github/keytar'
import Papa from 'papaparse'
import {
  startFakeOpenRouter,
  TEST_KEYS,
  WRONG_KEY,
  keyLabel,
  DEFAULT_USER_EXCLUDED_IDS,
  recordedModels,
  type FakeOpenRouter,
} from '../fake-openrouter/server'
import { cleanupTempDirs, tempDir } from './snapshots/helpers'
import { createSnapshotStore } from '../../src/main/services/snapshots/snapshot-store'
import { createSnapshotService } from '../../src/main/services/snapshot-service'
import { createSettingsService } from '../../src/main/services/settings'
import { parseModelsBody } from '../../src/shared/model/parse'
import type { RawModel } from '../../src/shared/model/raw'

const ROOT = resolve(__dirname, '../..')
const CLI = join(ROOT, 'out/cli/model-deck.js')
const FIXTURES = join(ROOT, 'test/fixtures/openrouter')
const MAY = join(FIXTURES, 'models-2026-05-16.json.gz')
const AUG = join(FIXTURES, 'models-all-2026-08-19.json.gz')
const SNAPSHOT_ID = /^\d{8}T\d{9}Z-[0-9a-f]{6}$/

type Json = Record<string, unknown>
type Run = { status: number | null; stdout: string; stderr: string }

const records = (file: string): Json[] =>
  (JSON.parse(gunzipSync(readFileSync(file)).toString()) as { data: Json[] }).data

describe('model-deck (the built command line)', () => {
  let fake: FakeOpenRouter

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build-cli.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
    })
    expect(build.status, build.stderr).toBe(0)
    fake = await startFakeOpenRouter()
  })
  afterAll(async () => {
    await fake?.close()
    cleanupTempDirs()
  })

  function cli(
    args: string[],
    opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string; nodeArgs?: string[] } = {},
  ): Promise<Run> {
    return new Promise((done, fail) => {
      const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), CLI, ...args], {
        cwd: opts.cwd ?? ROOT,
        env: { ...process.env, MODEL_DECK_API_BASE: fake.url, ...opts.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
      child.on('error', fail)
      child.on('close', (status) => done({ status, stdout, stderr }))
      // A child that stops reading early (a refused key) closes stdin under us: not a test failure.
      child.stdin.on('error', () => undefined)
      child.stdin.end(opts.input ?? '')
    })
  }
  const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '')

  describe('usage', () => {
    it.each([
      [[]],
      [['--help']],
      [['fetch', '--help']],
      [['snapshot', '--help']],
      [['snapshot', 'import', '--help']],
      [['snapshot', 'list', '--help']],
      [['diff', '--help']],
      [['export', '--help']],
      [['key', '--help']],
      [['key', 'status', '--help']],
      [['key', 'set', '--help']],
      [['key', 'clear', '--help']],
      [['key', 'orphans', '--help']],
    ])('%j prints help and exits 0', async (args) => {
      const run = await cli(args)
      expect(run.status).toBe(0)
      expect(run.stdout).toMatch(/^Usage: model-deck/)
    })

    it('documents the filter language in export --help', async () => {
      const run = await cli(['export', '--help'])
      expect(run.stdout).toContain('context>=N')
      expect(run.stdout).toContain('param:NAME')
    })

    it.each<[string, string[], RegExp]>([
      ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
      ['an unknown option', ['snapshot', 'list', '--colour'], /unknown option '--colour'/],
      ['a bad --source', ['fetch', '--source', 'mine'], /'mine' is invalid/],
      ['a missing argument', ['diff', 'latest'], /missing required argument 'b'/],
      ['export without --out', ['export', 'latest'], /--out <file>/],
      [
        'an unknown column',
        ['export', AUG, '--out', 'x.csv', '--columns', 'id,price'],
        /unknown column "price"/,
      ],
      [
        'an unknown filter term',
        ['export', AUG, '--out', 'x.csv', '--filter', 'free, cheap'],
        /Unknown filter term "cheap"/,
      ],
      ...['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__proto__:tools'].map(
        (term): [string, string[], RegExp] => [
          `the filter term ${term}`,
          ['export', AUG, '--out', 'x.csv', '--filter', `free, ${term}`],
          new RegExp(`Unknown filter term "${term}"`),
        ],
      ),
      ['an unguessable format', ['export', AUG, '--out', 'x.txt'], /give --format/],
      [
        'a key on the command line',
        ['key', 'set', TEST_KEYS.personal],
        /read from stdin, never from the command line/,
      ],
      [
        'a bad --taken-at',
        ['snapshot', 'import', MAY, '--taken-at', 'last tuesday'],
        /--taken-at must be an ISO 8601 date/,
      ],
      ['an unknown profile', ['--profile', 'nobody', 'snapshot', 'list'], /no profile "nobody"/],
    ])('exits 2 with one line on %s', async (_name, args, message) => {
      const dataDir = tempDir('cli-usage-')
      const run = await cli(['--data-dir', dataDir, ...args])
      expect(run.status).toBe(2)
      expect(lines(run.stderr)).toHaveLength(1)
      expect(run.stderr).toMatch(/^model-deck: /)
      expect(run.stderr).toMatch(message)
      // Even a refused key must never be echoed back.
      expect(run.stderr + run.stdout).not.toContain(TEST_KEYS.personal)
    })
  })

  describe('snapshots and diff', () => {
    it('diff --json of the real May and Aug 2026 files matches an independent computation', async () => {
      const run = await cli(['--data-dir', tempDir('cli-diff-'), 'diff', MAY, AUG, '--json'])
      expect(run.status, run.stderr).toBe(0)
      expect(run.stderr).toBe('')
      const out = JSON.parse(run.stdout) as {
        added: string[]
        removed: string[]
        changed: { id: string; fields: Record<string, { from: unknown; to: unknown }> }[]
      }
      expect(Object.keys(out)).toEqual(['added', 'removed', 'changed'])
      const expected = independentDiff(records(MAY), records(AUG))
      expect(out.added).toEqual(expected.added)
      expect(out.removed).toEqual(expected.removed)
      expect(out.changed.map((c) => c.id)).toEqual(expected.changed.map((c) => c.id))
      for (const [i, change] of out.changed.entries()) {
        expect(Object.keys(change.fields), change.id).toEqual(expected.changed[i]!.paths)
      }
      // Values are the API's own, absent written as null.
      const sample = out.changed.find((c) => c.fields['pricing.prompt'])!
      const before = records(MAY).find((m) => m.id === sample.id)!
      expect(sample.fields['pricing.prompt']!.from).toBe((before.pricing as Json).prompt)
    })

    it('diffs and exports the bundle the app writes ("Export as a bundle") exactly as the file it came from', async () => {
      const dir = tempDir('cli-bundle-')
      const store = await createSnapshotStore({
        dir: join(dir, 'snapshots'),
        appVersion: 'test',
        parseModels: parseModelsBody,
      })
      const { meta } = await store.save({
        source: 'user',
        region: 'global',
        profile: 'p',
        models: records(MAY) as RawModel[],
      })
      const file = join(dir, 'model-deck-snapshot-user.json.gz')
      await createSnapshotService({
        store,
        dialogs: { chooseSavePath: async () => file, chooseOpenPath: async () => null },
        settings: createSettingsService({ dir }),
        activeProfile: async () => 'p',
        region: () => 'global',
      }).exportBundle(meta.id)
      await store.close()

      const dataDir = tempDir('cli-bundle-data-')
      const fromBundle = await cli(['--data-dir', dataDir, 'diff', file, AUG, '--json'])
      expect(fromBundle.status, fromBundle.stderr).toBe(0)
      const fromFiles = await cli(['--data-dir', dataDir, 'diff', MAY, AUG, '--json'])
      expect(JSON.parse(fromBundle.stdout)).toEqual(JSON.parse(fromFiles.stdout))
      const summary = await cli(['--data-dir', dataDir, 'diff', file, AUG])
      expect(summary.stdout.split('\n')[0]).toBe(
        `From bundle model-deck-snapshot-user.json.gz (${meta.takenAt.slice(0, 16).replace('T', ' ')} UTC, user, global, ${records(MAY).length} models)`,
      )

      const csv = join(dir, 'bundle.csv')
      const exported = await cli(['--data-dir', dataDir, 'export', file, '--out', csv, '--columns', 'id'])
      expect(exported.status, exported.stderr).toBe(0)
      const rows = Papa.parse<string[]>(readFileSync(csv, 'utf8').trim()).data
      expect(rows.slice(1).map((r) => r[0])).toEqual(records(MAY).map((m) => m.id))
    })

    it('refuses a small gzip bomb in diff, export and import with one clear line, in bounded memory', async () => {
      const dir = tempDir('cli-bomb-')
      // Concatenated gzip members inflate as one stream: 1.5 GiB of spaces from a 1.5 MB file.
      const member = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20))
      const bomb = join(dir, 'bomb.json.gz')
      writeFileSync(bomb, Buffer.concat(Array.from({ length: 24 }, () => member)))
      expect(readFileSync(bomb).length).toBeLessThan(2 * 1024 * 1024)
      // Reports the child's peak memory as it exits, after the CLI's own one line.
      const peak = join(dir, 'peak.cjs')
      writeFileSync(
        peak,
        "process.on('exit', () => require('node:fs').writeSync(2, 'peak-rss-kib ' + process.resourceUsage().maxRSS + '\\n'))\n",
      )
      const dataDir = join(dir, 'data')
      for (const args of [
        ['diff', bomb, AUG],
        ['export', bomb, '--out', join(dir, 'out.csv')],
        ['snapshot', 'import', bomb],
      ]) {
        const run = await cli(['--data-dir', dataDir, ...args], {
          nodeArgs: ['--max-old-space-size=256', '--require', peak],
        })
        const [line, rss, ...rest] = lines(run.stderr)
        expect(run.status, run.stderr).toBe(1)
        expect(line).toBe(
          'model-deck: bad-file: bomb.json.gz is a gzip file, but it is too large: it inflates to more than 256 MiB, far more than any catalog (a damaged file or a gzip bomb).',
        )
        expect(rest).toEqual([])
        expect(rss).toMatch(/^peak-rss-kib \d+$/)
        expect(Number(rss!.split(' ')[1])).toBeLessThan(640 * 1024)
      }
      expect(existsSync(join(dir, 'out.csv'))).toBe(false)
      const list = await cli(['--data-dir', dataDir, 'snapshot', 'list', '--json'])
      expect(JSON.parse(list.stdout)).toEqual([])
    })

    it.each<[string, Json, RegExp]>([
      ['a takenAt past the year 9999', { takenAt: '+010000-01-01T00:00:00.000Z' }, /the bundle's "takenAt"/],
      [
        'a takenAt that is year 10000 in UTC',
        { takenAt: '9999-12-31T23:30:00-01:00' },
        /the bundle's "takenAt"/,
      ],
      ['a note over 2000 characters', { note: 'x'.repeat(5_000) }, /the bundle's "note" is 5000 characters/],
    ])(
      'refuses to import a bundle with %s, naming the field, and stores nothing',
      async (_name, meta, message) => {
        const dir = tempDir('cli-bad-bundle-')
        const file = join(dir, 'hand-made.json.gz')
        const body = { format: 'model-deck-snapshot', version: 1, meta, body: { data: records(MAY) } }
        writeFileSync(file, gzipSync(JSON.stringify(body)))
        const run = await cli(['--data-dir', dir, 'snapshot', 'import', file])
        expect(run.status).toBe(1)
        expect(lines(run.stderr)).toEqual([
          expect.stringMatching(/^model-deck: bad-file: hand-made\.json\.gz: /),
        ])
        expect(run.stderr).toMatch(message)
        const list = await cli(['--data-dir', dir, 'snapshot', 'list', '--json'])
        expect(JSON.parse(list.stdout)).toEqual([])
      },
    )

    it('imports both files, lists them, and diffs snapshots by id and by latest~N exactly as the files', async () => {
      const dataDir = tempDir('cli-snap-')
      const may = await cli([
        '--data-dir',
        dataDir,
        'snapshot',
        'import',
        MAY,
        '--source',
        'all',
        '--taken-at',
        '2026-05-16',
      ])
      expect(may.status, may.stderr).toBe(0)
      const mayId = may.stdout.trim()
      expect(mayId).toMatch(SNAPSHOT_ID)
      expect(may.stderr).toMatch(/Imported 356 models/)
      const aug = await cli([
        '--data-dir',
        dataDir,
        'snapshot',
        'import',
        AUG,
        '--taken-at',
        '2026-08-19T10:15:00Z',
      ])
      const augId = aug.stdout.trim()
      expect(augId).toMatch(SNAPSHOT_ID)

      // The same file again is the same snapshot, not a second one.
      const again = await cli([
        '--data-dir',
        dataDir,
        'snapshot',
        'import',
        AUG,
        '--taken-at',
        '2026-08-19T10:15:00Z',
      ])
      expect(again.stdout.trim()).toBe(augId)

      const list = await cli(['--data-dir', dataDir, 'snapshot', 'list', '--json'])
      const metas = JSON.parse(list.stdout) as {
        id: string
        modelCount: number
        source: string
        takenAt: string
      }[]
      expect(metas.map((m) => [m.id, m.modelCount, m.source, m.takenAt])).toEqual([
        [augId, 549, 'all', '2026-08-19T10:15:00.000Z'],
        [mayId, 356, 'all', '2026-05-16T00:00:00.000Z'],
      ])
      const table = await cli(['--data-dir', dataDir, 'snapshot', 'list'])
      expect(lines(table.stdout)[0]).toMatch(/^ID\s+TAKEN \(UTC\)\s+SOURCE/)
      expect(lines(table.stdout)).toHaveLength(3)

      const fromFiles = (await cli(['--data-dir', dataDir, 'diff', MAY, AUG, '--json'])).stdout
      const byId = await cli(['--data-dir', dataDir, 'diff', mayId, augId, '--json'])
      expect(byId.stdout).toBe(fromFiles)
      const byRef = await cli(['--data-dir', dataDir, 'diff', 'latest~1', 'latest', '--json'])
      expect(byRef.status, byRef.stderr).toBe(0)
      expect(byRef.stdout).toBe(fromFiles)
      const mixed = await cli(['--data-dir', dataDir, 'diff', MAY, 'latest', '--json'])
      expect(mixed.stdout).toBe(fromFiles)

      const summary = await cli(['--data-dir', dataDir, 'diff', mayId, augId])
      const counts = JSON.parse(fromFiles) as { added: string[]; removed: string[]; changed: unknown[] }
      expect(summary.stdout).toContain(
        `${counts.added.length} added, ${counts.removed.length} removed, ${counts.changed.length} changed`,
      )
      expect(summary.stdout).toMatch(/\n {6}pricing\.prompt: "[\d.]+" → "[\d.]+"\n/)
    })

    it('uses the folder Electron uses for "Model Deck" when no --data-dir is given', async () => {
      const config = tempDir('cli-xdg-')
      const run = await cli(['snapshot', 'import', MAY], { env: { XDG_CONFIG_HOME: config } })
      expect(run.status, run.stderr).toBe(0)
      expect(readdirSync(join(config, 'Model Deck'))).toEqual(
        expect.arrayContaining(['snapshots', 'profiles.json']),
      )
    })

    it.each<[string, string, RegExp]>([
      ['a missing file', 'no-such-file.json', /^model-deck: bad-file: There is no file/],
      ['a file that is not a catalog', 'not-a-catalog.json', /^model-deck: bad-file: .*not-a-catalog\.json/],
      ['an unknown snapshot', '20990101T000000000Z-abcdef', /^model-deck: not-found: /],
    ])('diff exits 1 with one line on %s', async (_name, ref, message) => {
      const dir = tempDir('cli-bad-')
      writeFileSync(join(dir, 'not-a-catalog.json'), '{"hello":"world"}')
      const run = await cli(['--data-dir', join(dir, 'data'), 'diff', ref, AUG], { cwd: dir })
      expect(run.status).toBe(1)
      expect(lines(run.stderr)).toHaveLength(1)
      expect(run.stderr).toMatch(message)
    })
  })

  describe('export', () => {
    const aug = records(AUG)

    it('writes a filtered snapshot to .xlsx with numbers as numbers', async () => {
      const dataDir = tempDir('cli-export-')
      await cli(['--data-dir', dataDir, 'snapshot', 'import', AUG])
      const out = join(dataDir, 'anthropic.xlsx')
      const run = await cli([
        '--data-dir',
        dataDir,
        'export',
        'latest',
        '--source',
        'all',
        '--format',
        'xlsx',
        '--columns',
        'id,context,prompt',
        '--filter',
        'author:anthropic and context>=200k',
        '--out',
        out,
      ])
      expect(run.status, run.stderr).toBe(0)
      const expected = aug.filter(
        (m) =>
          (m.id as string).replace(/^~/, '').startsWith('anthropic/') &&
          (m.context_length as number) >= 200_000,
      )
      expect(expected.length).toBeGreaterThan(3)
      expect(run.stderr).toContain(`Wrote ${expected.length} of 549 models`)
      const workbook = new ExcelJS.Workbook()
      await workbook.xlsx.readFile(out)
      const sheet = workbook.worksheets[0]!
      expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([
        'ID',
        'Context (tokens)',
        'Prompt ($/1M tokens)',
      ])
      const rows = expected.map((_, i) => (sheet.getRow(i + 2).values as unknown[]).slice(1))
      expect(rows.map((r) => r[0])).toEqual(expected.map((m) => m.id))
      expect(rows.map((r) => r[1])).toEqual(expected.map((m) => m.context_length))
      for (const [i, row] of rows.entries()) {
        expect(row[2]).toBeCloseTo(Number((expected[i]!.pricing as Json).prompt) * 1e6, 9)
      }
      expect(sheet.rowCount).toBe(expected.length + 1)
    })

    it('writes CSV from a raw file, infers the format from --out, and keeps raw JSON byte-for-byte in content', async () => {
      const dir = tempDir('cli-export-file-')
      const csv = await cli([
        '--data-dir',
        dir,
        'export',
        AUG,
        '--filter',
        'free',
        '--columns',
        'id,prompt,completion',
        '--out',
        join(dir, 'free.csv'),
        '--bom',
      ])
      expect(csv.status, csv.stderr).toBe(0)
      const text = readFileSync(join(dir, 'free.csv'), 'utf8')
      expect(text.startsWith('\ufeffID,')).toBe(true)
      const rows = Papa.parse<unknown[]>(text.slice(1), { dynamicTyping: true, skipEmptyLines: true }).data
      const free = aug.filter(
        (m) => Number((m.pricing as Json).prompt) === 0 && Number((m.pricing as Json).completion) === 0,
      )
      expect(rows.slice(1).map((r) => r[0])).toEqual(free.map((m) => m.id))
      expect(rows.slice(1).every((r) => r[1] === 0 && r[2] === 0)).toBe(true)

      const json = await cli([
        '--data-dir',
        dir,
        'export',
        AUG,
        '--format',
        'json',
        '--raw',
        '--filter',
        'input:image, param:tools',
        '--out',
        join(dir, 'raw.json'),
      ])
      expect(json.status, json.stderr).toBe(0)
      const body = JSON.parse(readFileSync(join(dir, 'raw.json'), 'utf8')) as { data: Json[] }
      const withImageAndTools = aug.filter(
        (m) =>
          ((m.architecture as Json).input_modalities as string[]).includes('image') &&
          ((m.supported_parameters as string[] | undefined) ?? []).includes('tools'),
      )
      expect(body.data).toEqual(withImageAndTools)

      const md = await cli([
        '--data-dir',
        dir,
        'export',
        AUG,
        '--columns',
        'id,name',
        '--filter',
        'author:openai',
        '--out',
        join(dir, 'openai.md'),
      ])
      expect(md.status, md.stderr).toBe(0)
      const table = readFileSync(join(dir, 'openai.md'), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('|'))
      expect(table[0]).toBe('| ID | Name |')
      expect(table.length - 2).toBe(aug.filter((m) => /^~?openai\//.test(m.id as string)).length)
    })

    it('exits 1 with one line and writes nothing when the folder for --out does not exist', async () => {
      const dir = tempDir('cli-export-bad-')
      const out = join(dir, 'missing', 'x.csv')
      const run = await cli(['--data-dir', dir, 'export', AUG, '--out', out])
      expect(run.status).toBe(1)
      expect(lines(run.stderr)).toHaveLength(1)
      expect(run.stderr).toMatch(/^model-deck: \w[\w-]*: Could not write x\.csv/)
      expect(existsSync(out)).toBe(false)
    })
  })

  describe('fetch and key', () => {
    it('fetches the public catalog without a key and prints only the snapshot id', async () => {
      const dataDir = tempDir('cli-fetch-')
      const run = await cli(['--data-dir', dataDir, 'fetch'])
      expect(run.status, run.stderr).toBe(0)
      expect(run.stdout).toMatch(/^\d{8}T\d{9}Z-[0-9a-f]{6}\n$/)
      expect(run.stderr).toContain('Stored 549 models in the public catalog')
      const list = JSON.parse((await cli(['--data-dir', dataDir, 'snapshot', 'list', '--json'])).stdout) as {
        id: string
        source: string
      }[]
      expect(list).toEqual([
        expect.objectContaining({ id: run.stdout.trim(), source: 'all', modelCount: 549 }),
      ])
    })

    it('reads the key from stdin, never prints it, shows its label, and fetches the allowed catalog with it', async () => {
      const dataDir = tempDir('cli-key-')
      const set = await cli(['--data-dir', dataDir, 'key', 'set'], { input: `${TEST_KEYS.personal}\n` })
      expect(set.status, set.stderr).toBe(0)
      expect(set.stderr).toContain(`Key saved for profile Personal (${keyLabel(TEST_KEYS.personal)})`)

      const status = await cli(['--data-dir', dataDir, 'key', 'status'])
      expect(status.status, status.stderr).toBe(0)
      expect(status.stdout).toMatch(/^Key\s+stored in the system keychain$/m)
      expect(status.stdout).toMatch(
        new RegExp(`^Label\\s+${keyLabel(TEST_KEYS.personal).replace(/\./g, '\\.')}$`, 'm'),
      )
      expect(status.stdout).toMatch(/^Verified\s+yes$/m)
      const json = JSON.parse((await cli(['--data-dir', dataDir, 'key', 'status', '--json'])).stdout) as Json
      expect(json).toMatchObject({
        present: true,
        storage: 'keychain',
        verified: true,
        label: keyLabel(TEST_KEYS.personal),
      })

      const fetched = await cli(['--data-dir', dataDir, 'fetch'])
      expect(fetched.status, fetched.stderr).toBe(0)
      expect(fetched.stderr).toContain(
        `Stored ${549 - DEFAULT_USER_EXCLUDED_IDS.length} models your key may use`,
      )
      const auth = fake.requestsTo('/models/user').at(-1)!.headers.authorization
      expect(auth).toBe(`Bearer ${TEST_KEYS.personal}`)

      const cleared = await cli(['--data-dir', dataDir, 'key', 'clear'])
      expect(cleared.status).toBe(0)
      const after = await cli(['--data-dir', dataDir, 'key', 'status'])
      expect(after.stdout).toMatch(/^Key\s+none/m)

      for (const run of [set, status, fetched, cleared, after]) {
        expect(run.stdout + run.stderr).not.toContain(TEST_KEYS.personal)
      }
    })

    it('refuses a wrong key with one line, storing nothing', async () => {
      const dataDir = tempDir('cli-key-wrong-')
      const run = await cli(['--data-dir', dataDir, 'key', 'set'], { input: WRONG_KEY })
      expect(run.status).toBe(1)
      expect(lines(run.stderr)).toEqual([expect.stringMatching(/^model-deck: key-rejected: /)])
      expect(run.stderr).not.toContain(WRONG_KEY)
      const status = await cli(['--data-dir', dataDir, 'key', 'status', '--json'])
      expect(JSON.parse(status.stdout)).toMatchObject({ present: false })
    })

    it('exits 2 when stdin holds no key', async () => {
      const run = await cli(['--data-dir', tempDir('cli-key-empty-'), 'key', 'set'], { input: '   \n' })
      expect(run.status).toBe(2)
      expect(run.stderr).toMatch(/^model-deck: no key on stdin/)
    })

    it('refuses 10 MB piped to key set with one usage line, storing nothing', async () => {
      const dataDir = tempDir('cli-key-flood-')
      const flood = Buffer.alloc(10 * 1024 * 1024, 'sk-or-v1-test-flood-')
      const run = await cli(['--data-dir', dataDir, 'key', 'set'], { input: flood })
      expect(run.status).toBe(2)
      expect(lines(run.stderr)).toEqual([
        'model-deck: stdin holds more than 4 KiB, which is not an API key; pipe in only the key, e.g. model-deck key set < key.txt (see --help)',
      ])
      expect(run.stderr).not.toContain('flood')
      expect(fake.requestsTo('/key').filter((r) => r.headers.authorization?.includes('flood'))).toEqual([])
      const status = await cli(['--data-dir', dataDir, 'key', 'status', '--json'])
      expect(JSON.parse(status.stdout)).toMatchObject({ present: false })
    })

    it('still takes a key of exactly 4 KiB of stdin with surrounding whitespace trimmed', async () => {
      // The cap is on stdin, not on what OpenRouter accepts: a padded key within it gets the key's own check.
      const dataDir = tempDir('cli-key-padded-')
      const run = await cli(['--data-dir', dataDir, 'key', 'set'], {
        input: `${TEST_KEYS.personal}${' '.repeat(4 * 1024 - TEST_KEYS.personal.length - 1)}\n`,
      })
      expect(run.status, run.stderr).toBe(0)
      expect(run.stderr).toContain('Key saved for profile Personal')
      await cli(['--data-dir', dataDir, 'key', 'clear'])
    })

    it('--profile picks a profile by name without switching the app to it', async () => {
      const dataDir = tempDir('cli-profile-')
      mkdirSync(dataDir, { recursive: true })
      const suffix = Math.random().toString(16).slice(2, 10)
      const state = {
        version: 1,
        activeId: `p-home-${suffix}`,
        profiles: [
          { id: `p-home-${suffix}`, name: 'Personal', unverified: false },
          { id: `p-work-${suffix}`, name: 'Work', unverified: false },
        ],
      }
      writeFileSync(join(dataDir, 'profiles.json'), JSON.stringify(state))
      const set = await cli(['--data-dir', dataDir, '--profile', 'work', 'key', 'set'], {
        input: TEST_KEYS.work,
      })
      expect(set.status, set.stderr).toBe(0)
      expect(set.stderr).toContain('Key saved for profile Work')
      const work = JSON.parse(
        (await cli(['--data-dir', dataDir, 'key', 'status', '--json', '--profile', `p-work-${suffix}`]))
          .stdout,
      ) as Json
      expect(work).toMatchObject({ profileName: 'Work', present: true, label: keyLabel(TEST_KEYS.work) })
      const home = JSON.parse((await cli(['--data-dir', dataDir, 'key', 'status', '--json'])).stdout) as Json
      expect(home).toMatchObject({ profileName: 'Personal', present: false })
      expect(JSON.parse(readFileSync(join(dataDir, 'profiles.json'), 'utf8')).activeId).toBe(
        `p-home-${suffix}`,
      )
      await cli(['--data-dir', dataDir, '--profile', 'Work', 'key', 'clear'])
    })

    it('applies the retention settings after a fetch, as the app does: keepLast 2, pinned kept', async () => {
      const dataDir = tempDir('cli-retention-')
      await createSettingsService({ dir: dataDir }).update({ retention: { keepLast: 2, maxMegabytes: null } })
      // A server of its own whose catalog changes between fetches, so each fetch stores a new snapshot.
      const own = await startFakeOpenRouter()
      const all = recordedModels()
      const fetchWith = async (count: number) => {
        own.setModels(all.slice(0, count))
        const run = await cli(['--data-dir', dataDir, 'fetch', '--source', 'all'], {
          env: { MODEL_DECK_API_BASE: own.url },
        })
        expect(run.status, run.stderr).toBe(0)
        return run.stdout.trim()
      }
      try {
        const pinned = await fetchWith(100)
        const store = await createSnapshotStore({ dir: join(dataDir, 'snapshots'), appVersion: 'test' })
        await store.update(pinned, { pinned: true })
        await store.close()
        const second = await fetchWith(200)
        const third = await fetchWith(300)
        const fourth = await fetchWith(400)
        const list = JSON.parse(
          (await cli(['--data-dir', dataDir, 'snapshot', 'list', '--json'])).stdout,
        ) as {
          id: string
          pinned: boolean
        }[]
        expect(list.map((s) => s.id).sort()).toEqual([pinned, third, fourth].sort())
        expect(list.map((s) => s.id)).not.toContain(second)
      } finally {
        await own.close()
      }
    })

    it('key orphans lists keychain entries no profile names, and --remove deletes only the ones named', async () => {
      const dataDir = tempDir('cli-orphans-')
      const suffix = Math.random().toString(16).slice(2, 10)
      const [mine, stranded, other] = [`p-mine-${suffix}`, `p-stranded-${suffix}`, `p-other-${suffix}`]
      writeFileSync(
        join(dataDir, 'profiles.json'),
        JSON.stringify({
          version: 1,
          activeId: mine,
          profiles: [{ id: mine, name: 'Personal', unverified: false }],
        }),
      )
      await keytar.setPassword('Model Deck', mine, TEST_KEYS.personal)
      await keytar.setPassword('Model Deck', stranded, TEST_KEYS.work)
      await keytar.setPassword('Model Deck', other, TEST_KEYS.freeTier)
      try {
        const list = await cli(['--data-dir', dataDir, 'key', 'orphans'])
        expect(list.status, list.stderr).toBe(0)
        // Other tests' data folders share the test keyring: only ours are asserted.
        expect(lines(list.stdout)).toEqual(expect.arrayContaining([stranded, other]))
        expect(lines(list.stdout)).not.toContain(mine)
        expect(list.stderr).toMatch(/named by no profile in .*cli-orphans-/)

        const removed = await cli(['--data-dir', dataDir, 'key', 'orphans', '--remove', stranded])
        expect(removed.status, removed.stderr).toBe(0)
        expect(removed.stdout).toBe(`${stranded}\n`)
        expect(removed.stderr).toContain('Removed 1 keychain entry.')
        expect(await keytar.getPassword('Model Deck', stranded)).toBeNull()
        expect(await keytar.getPassword('Model Deck', other)).toBe(TEST_KEYS.freeTier)
        expect(await keytar.getPassword('Model Deck', mine)).toBe(TEST_KEYS.personal)

        const refused = await cli(['--data-dir', dataDir, 'key', 'orphans', '--remove', mine])
        expect(refused.status).toBe(2)
        expect(refused.stderr).toMatch(new RegExp(`"${mine}" is not an orphaned entry`))
        expect(await keytar.getPassword('Model Deck', mine)).toBe(TEST_KEYS.personal)
        for (const run of [list, removed, refused])
          for (const key of Object.values(TEST_KEYS)) expect(run.stdout + run.stderr).not.toContain(key)
      } finally {
        for (const account of [mine, stranded, other]) await keytar.deletePassword('Model Deck', account)
      }
    })

    it('exits 1 with one clear line when OpenRouter cannot be reached', async () => {
      const dataDir = tempDir('cli-offline-')
      await fake.offline()
      try {
        const run = await cli(['--data-dir', dataDir, 'fetch', '--source', 'all'])
        expect(run.status).toBe(1)
        expect(run.stdout).toBe('')
        expect(lines(run.stderr)).toEqual([
          expect.stringMatching(/^model-deck: offline: Could not reach OpenRouter/),
        ])
      } finally {
        await fake.online()
      }
      expect(existsSync(join(dataDir, 'snapshots'))).toBe(true)
      const list = JSON.parse(
        (await cli(['--data-dir', dataDir, 'snapshot', 'list', '--json'])).stdout,
      ) as unknown[]
      expect(list).toEqual([])
    })
  })
})

/**
 * A separately written diff to check the CLI against: walk the union of keys, descend only where both
 * sides are objects, compare prices by numeric value (absent = 0), set-like lists sorted, null = absent.
 */
function independentDiff(before: Json[], after: Json[]) {
  const SETS = new Set([
    'architecture.input_modalities',
    'architecture.output_modalities',
    'supported_parameters',
    'supported_voices',
    'reasoning.supported_efforts',
  ])
  const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
  const numeric = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(numeric)
      : isObject(v)
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, numeric(v[k])]),
          )
        : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
          ? Number(v)
          : v
  const canonical = (v: unknown, path: string): string => {
    if (v === null || v === undefined) return 'absent'
    if (path.startsWith('pricing.')) return JSON.stringify(numeric(v))
    if (Array.isArray(v) && SETS.has(path)) return JSON.stringify([...v].sort())
    return JSON.stringify(v)
  }
  const walk = (a: unknown, b: unknown, path: string, out: string[]) => {
    if (path === 'pricing' && isObject(a) && isObject(b)) {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
        const p = `pricing.${key}`
        const x = a[key] ?? (key === 'overrides' ? undefined : 0)
        const y = b[key] ?? (key === 'overrides' ? undefined : 0)
        if (canonical(x, p) !== canonical(y, p)) out.push(p)
      }
      return
    }
    if (isObject(a) && isObject(b)) {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
        walk(a[key], b[key], path ? `${path}.${key}` : key, out)
      return
    }
    if (canonical(a, path) !== canonical(b, path)) out.push(path)
  }
  const oldById = new Map(before.map((m) => [m.id as string, m]))
  const newById = new Map(after.map((m) => [m.id as string, m]))
  const added = [...newById.keys()].filter((id) => !oldById.has(id)).sort()
  const removed = [...oldById.keys()].filter((id) => !newById.has(id)).sort()
  const changed: { id: string; paths: string[] }[] = []
  for (const id of [...newById.keys()].filter((k) => oldById.has(k)).sort()) {
    const paths: string[] = []
    walk(oldById.get(id), newById.get(id), '', paths)
    if (paths.length) changed.push({ id, paths: paths.sort() })
  }
  return { added, removed, changed }
}
