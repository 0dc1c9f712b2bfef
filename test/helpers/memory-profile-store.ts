import type { ProfileStore, ProfilesState } from '../../src/main/services/profiles'

/** A profiles file in memory, for tests that look at what was saved and how often. */
export function createMemoryProfileStore(initial?: ProfilesState): ProfileStore & {
  readonly saved: ProfilesState | null
  readonly saveCount: number
} {
  let saved: ProfilesState | null = initial ? structuredClone(initial) : null
  let saveCount = 0
  return {
    load: async () => (saved ? structuredClone(saved) : null),
    save: async (state) => {
      saved = structuredClone(state)
      saveCount++
    },
    get saved() {
      return saved ? structuredClone(saved) : null
    },
    get saveCount() {
      return saveCount
    },
  }
}
