import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSettingsService } from '../../src/main/services/settings'
import { defaultSettings } from '../../src/shared/settings'

describe('the settings service', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'md-settings-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('starts from defaults and keeps what the user changes across restarts', async () => {
    const first = createSettingsService({ dir })
    expect(await first.get()).toEqual(defaultSettings)
    await first.update({ theme: 'dark', region: 'eu', ui: { catalog: { sort: 'context' } } })
    await first.update({ ui: { compare: ['a/b'] } })
    const second = createSettingsService({ dir })
    const loaded = await second.get()
    expect(loaded.theme).toBe('dark')
    expect(loaded.region).toBe('eu')
    expect(loaded.ui).toEqual({ catalog: { sort: 'context' }, compare: ['a/b'] })
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')).version).toBe(1)
  })

  it('leaves no temp files behind', async () => {
    const s = createSettingsService({ dir })
    await Promise.all([s.update({ theme: 'dark' }), s.update({ theme: 'light' }), s.update({ region: 'us' })])
    expect(readdirSync(dir)).toEqual(['settings.json'])
    expect((await createSettingsService({ dir }).get()).region).toBe('us')
  })

  it('moves a damaged file aside instead of silently losing it', async () => {
    writeFileSync(join(dir, 'settings.json'), '{"version":1, "theme": "da')
    const s = createSettingsService({ dir })
    expect((await s.get()).theme).toBe('system')
    expect(readdirSync(dir).some((f) => f.startsWith('settings.json.corrupt-'))).toBe(true)
  })

  it('keeps valid fields of a partly invalid file', async () => {
    writeFileSync(
      join(dir, 'settings.json'),
      JSON.stringify({ version: 1, theme: 'dark', region: 'mars', autoRefreshHours: -3 }),
    )
    const s = createSettingsService({ dir })
    const loaded = await s.get()
    expect(loaded.theme).toBe('dark')
    expect(loaded.region).toBe('global')
    expect(loaded.autoRefreshHours).toBe(0)
  })

  it('never rewrites a file from a newer version of the app', async () => {
    const newer = JSON.stringify({ version: 99, theme: 'dark', futureField: true })
    writeFileSync(join(dir, 'settings.json'), newer)
    const s = createSettingsService({ dir })
    expect(s.readOnlyReason()).toBeNull()
    await s.get()
    expect(s.readOnlyReason()).toContain('newer')
    await s.update({ theme: 'light' })
    expect((await s.get()).theme).toBe('light')
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(newer)
  })

  it('refuses oversized view state', async () => {
    const s = createSettingsService({ dir })
    const big = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 'x'.repeat(5_000)]))
    await expect(s.update({ ui: { big } })).rejects.toMatchObject({ code: 'invalid-input' })
  })
})
