import { copyFile, readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { AppError } from '../../shared/ipc/result'
import { writeFileDurable } from './durable-write'
import type { ProfileRecord, ProfileStore, ProfilesState } from './profiles'
import { log } from '../log'

const FORMAT_VERSION = 1

const entrySchema = z.object({
  id: z.string().min(1).max(200),
  name: z.unknown().optional(),
  unverified: z.boolean().catch(false),
})

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/
/** The key service's own rule for names (1 to 60 characters, no line breaks). */
const usableName = (name: unknown): name is string =>
  typeof name === 'string' && name.trim().length > 0 && name.trim().length <= 60 && !CONTROL.test(name)

/**
 * The entries that can be read, each on its own: one bad entry must not cost the others their keys.
 * `dropped` counts entries lost or changed, so the file is repaired (and the original set aside).
 */
function goodEntries(raw: unknown): { profiles: ProfileRecord[]; dropped: number } {
  const list = Array.isArray(raw) ? raw : []
  const profiles: ProfileRecord[] = []
  const seen = new Set<string>()
  let dropped = 0
  for (const item of list) {
    const parsed = entrySchema.safeParse(item)
    if (!parsed.success || seen.has(parsed.data.id)) {
      dropped++
      continue
    }
    seen.add(parsed.data.id)
    const { id, name, unverified } = parsed.data
    // An entry with its id but a bad name still names a keychain entry: keep it, named by its id.
    if (!usableName(name)) dropped++
    profiles.push({ id, name: usableName(name) ? name.trim() : id.slice(0, 60), unverified })
  }
  return { profiles, dropped }
}

/**
 * Profile names and flags (never keys) in `profiles.json`, written durably. The keys live in the
 * keychain under the profile ids, so losing an id loses the key: a damaged file keeps every entry
 * it can (a copy of the original is set aside first), and a file from a newer Model Deck is opened
 * read-only and never rewritten.
 */
export function createFileProfileStore(file: string): ProfileStore {
  let readOnlyReason: string | null = null

  async function write(state: ProfilesState): Promise<void> {
    await writeFileDurable(file, `${JSON.stringify(state, null, 2)}\n`)
  }

  /**
   * A new data folder gets a profile id of its own, written at once, so two data folders (the
   * app's and a `--data-dir` of the CLI, or parallel tests) never share a keychain entry by accident.
   */
  async function fresh(): Promise<ProfilesState> {
    const id = `p-${randomUUID().slice(0, 8)}`
    const state: ProfilesState = {
      version: FORMAT_VERSION,
      activeId: id,
      profiles: [{ id, name: 'Personal', unverified: false }],
    }
    await write(state)
    return state
  }

  /** A copy, not a move: the original stays readable where it was until the repaired file replaces it. */
  async function setAside(why: string): Promise<string> {
    const aside = `${file}.${why}-${Date.now()}`
    await copyFile(file, aside)
    return aside
  }

  return {
    readOnlyReason: () => readOnlyReason,

    async load(): Promise<ProfilesState | null> {
      let text: string
      try {
        text = await readFile(file, 'utf8')
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fresh()
        return null
      }
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch {
        body = undefined
      }
      const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
      const version = input.version
      const { profiles, dropped } = goodEntries(input.profiles)
      const activeId =
        typeof input.activeId === 'string' && profiles.some((p) => p.id === input.activeId)
          ? input.activeId
          : profiles[0]?.id

      if (typeof version === 'number' && version > FORMAT_VERSION) {
        readOnlyReason = `${basename(file)} was written by a newer Model Deck (format ${version}); profiles cannot be changed here until you update, and the file is left as it is.`
        log.warn(readOnlyReason)
        // What this version can read of it, in memory only: the keys of those profiles still work.
        if (profiles.length > 0 && activeId) return { version: FORMAT_VERSION, activeId, profiles }
        return { version: FORMAT_VERSION, activeId: 'default', profiles: [] }
      }

      const intact = version === FORMAT_VERSION && dropped === 0 && activeId === input.activeId
      if (intact && profiles.length > 0) return { version: FORMAT_VERSION, activeId: activeId!, profiles }

      const aside = await setAside('damaged')
      if (profiles.length === 0 || !activeId) {
        log.warn(`${basename(file)} held no readable profile; the original is kept as ${basename(aside)}.`)
        return fresh()
      }
      const state: ProfilesState = { version: FORMAT_VERSION, activeId, profiles }
      log.warn(
        `${basename(file)} had ${dropped} unreadable ${dropped === 1 ? 'entry' : 'entries'}; kept the ${profiles.length} readable ones, the original is kept as ${basename(aside)}.`,
      )
      await write(state)
      return state
    },

    async save(state: ProfilesState): Promise<void> {
      if (readOnlyReason) throw new AppError('store-read-only', readOnlyReason)
      await write(state)
    },
  }
}
