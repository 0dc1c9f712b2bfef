import { readFile, rename } from 'node:fs/promises'
import { z } from 'zod'
import { writeFileDurable } from './durable-write'
import type { ProfileStore, ProfilesState } from './key-service'
import { log } from '../log'

const profilesSchema = z.object({
  version: z.literal(1),
  activeId: z.string().min(1),
  profiles: z.array(z.object({ id: z.string().min(1), name: z.string().min(1), unverified: z.boolean() })).min(1),
})

/**
 * Profile names and flags (never keys) in `profiles.json`, written durably. A damaged file is moved
 * aside; the keys themselves stay safe in the keychain under their profile ids.
 */
export function createFileProfileStore(file: string): ProfileStore {
  return {
    async load(): Promise<ProfilesState | null> {
      let text: string
      try {
        text = await readFile(file, 'utf8')
      } catch {
        return null
      }
      const parsed = profilesSchema.safeParse((() => {
        try {
          return JSON.parse(text) as unknown
        } catch {
          return null
        }
      })())
      if (parsed.success && parsed.data.profiles.some((p) => p.id === parsed.data.activeId)) return parsed.data
      const aside = `${file}.corrupt-${Date.now()}`
      log.warn(`profiles.json is unreadable; moved to ${aside}`)
      await rename(file, aside).catch(() => undefined)
      return null
    },
    async save(state: ProfilesState): Promise<void> {
      await writeFileDurable(file, `${JSON.stringify(state, null, 2)}\n`)
    },
  }
}
