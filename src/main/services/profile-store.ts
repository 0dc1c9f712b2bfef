import { readFile, rename } from 'node:fs/promises'
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { writeFileDurable } from './durable-write'
import type { ProfileStore, ProfilesState } from './key-service'
import { log } from '../log'

const profilesSchema = z.object({
  version: z.literal(1),
  activeId: z.string().min(1),
  profiles: z
    .array(z.object({ id: z.string().min(1), name: z.string().min(1), unverified: z.boolean() }))
    .min(1),
})

/**
 * Profile names and flags (never keys) in `profiles.json`, written durably. A damaged file is moved
 * aside; the keys themselves stay safe in the keychain under their profile ids.
 */
export function createFileProfileStore(file: string): ProfileStore {
  /**
   * A new data folder gets a profile id of its own, written at once, so two data folders (the
   * app's and a `--data-dir` of the CLI, or parallel tests) never share a keychain entry by accident.
   */
  async function firstRun(): Promise<ProfilesState> {
    const id = `p-${randomUUID().slice(0, 8)}`
    const state: ProfilesState = {
      version: 1,
      activeId: id,
      profiles: [{ id, name: 'Personal', unverified: false }],
    }
    await writeFileDurable(file, `${JSON.stringify(state, null, 2)}\n`)
    return state
  }
  return {
    async load(): Promise<ProfilesState | null> {
      let text: string
      try {
        text = await readFile(file, 'utf8')
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return firstRun()
        return null
      }
      const parsed = profilesSchema.safeParse(
        (() => {
          try {
            return JSON.parse(text) as unknown
          } catch {
            return null
          }
        })(),
      )
      if (parsed.success && parsed.data.profiles.some((p) => p.id === parsed.data.activeId))
        return parsed.data
      const aside = `${file}.corrupt-${Date.now()}`
      log.warn(`profiles.json is unreadable; moved to ${aside}`)
      await rename(file, aside).catch(() => undefined)
      return firstRun()
    },
    async save(state: ProfilesState): Promise<void> {
      await writeFileDurable(file, `${JSON.stringify(state, null, 2)}\n`)
    },
  }
}
