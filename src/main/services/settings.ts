import { readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import {
  defaultSettings,
  settingsSchema,
  SETTINGS_VERSION,
  UI_STATE_MAX_BYTES,
  type Settings,
  type SettingsPatch,
} from '../../shared/settings'
import { AppError } from '../../shared/ipc/result'
import { writeFileDurable } from './durable-write'
import { log } from '../log'

/**
 * Non-secret preferences in `settings.json`. A file from a newer app version is left untouched and
 * the app runs on defaults in memory; a damaged file is moved aside (never silently reset in place)
 * so the user can recover it.
 */
export function createSettingsService(opts: { dir: string }) {
  const file = join(opts.dir, 'settings.json')
  let current: Settings | null = null
  let readOnlyReason: string | null = null
  let queue: Promise<unknown> = Promise.resolve()

  async function load(): Promise<Settings> {
    if (current) return current
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn('Could not read settings:', err)
      current = structuredClone(defaultSettings)
      return current
    }
    try {
      const json = JSON.parse(text) as unknown
      const version = (json as { version?: unknown } | null)?.version
      if (typeof version === 'number' && version > SETTINGS_VERSION) {
        readOnlyReason = `settings.json was written by a newer Model Deck (format ${version}); it is left as it is and changes are kept for this session only.`
        log.warn(readOnlyReason)
        current = structuredClone(defaultSettings)
        return current
      }
      current = migrate(json)
    } catch (err) {
      const aside = `${file}.corrupt-${Date.now()}`
      log.warn(`settings.json is unreadable (${(err as Error).message}); moved to ${aside}`)
      await rename(file, aside).catch(() => undefined)
      current = structuredClone(defaultSettings)
    }
    return current
  }

  /** Fill fields added since the file was written; keep everything the user chose. */
  function migrate(json: unknown): Settings {
    const merged = { ...structuredClone(defaultSettings), ...(json as object), version: SETTINGS_VERSION }
    const parsed = settingsSchema.safeParse(merged)
    if (parsed.success) return parsed.data
    // Drop only the fields that fail, field by field, rather than the whole file.
    const repaired: Record<string, unknown> = { ...structuredClone(defaultSettings) }
    for (const key of Object.keys(settingsSchema.shape) as (keyof Settings)[]) {
      const field = settingsSchema.shape[key].safeParse((merged as Record<string, unknown>)[key])
      if (field.success) repaired[key] = field.data
    }
    return settingsSchema.parse(repaired)
  }

  async function persist(next: Settings): Promise<void> {
    if (readOnlyReason) return
    await writeFileDurable(file, `${JSON.stringify(next, null, 2)}\n`)
  }

  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn, fn)
    queue = run.catch(() => undefined)
    return run
  }

  // Services that follow a setting (the region, automatic refresh) subscribe here, so whoever
  // changes the settings (the window, a test) never has to remember to tell them.
  const listeners = new Set<(next: Settings) => void>()
  const changed = (next: Settings): void => {
    for (const listener of listeners) listener(next)
  }

  return {
    get: load,
    readOnlyReason: () => readOnlyReason,
    onChange(listener: (next: Settings) => void): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    update(patch: SettingsPatch): Promise<Settings> {
      return serial(async () => {
        const base = await load()
        const next: Settings = settingsSchema.parse({
          ...base,
          ...patch,
          ui: patch.ui ? { ...base.ui, ...patch.ui } : base.ui,
        })
        if (Buffer.byteLength(JSON.stringify(next.ui)) > UI_STATE_MAX_BYTES) {
          throw new AppError('invalid-input', 'The saved view state is too large.')
        }
        await persist(next)
        current = next
        changed(next)
        return next
      })
    },
    /** Main-owned fields (window geometry) that the renderer may not set. */
    setWindow(window: Settings['window']): Promise<Settings> {
      return serial(async () => {
        const next = settingsSchema.parse({ ...(await load()), window })
        await persist(next)
        current = next
        return next
      })
    },
  }
}
export type SettingsService = ReturnType<typeof createSettingsService>
