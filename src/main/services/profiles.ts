import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { AppError } from '../../shared/ipc/result'
import { asRecord } from '../../shared/is-record'

/**
 * The named profiles of one data folder (profiles.json, through a ProfileStore): list, create,
 * rename, delete and switch. No secrets: each profile's key is in the keychain, under its id,
 * and belongs to the profile keys (profile-keys.ts).
 */

export interface Profile {
  id: string
  name: string
}

/** Not secret: kept in profiles.json by the profile store. `unverified` marks a key stored without a successful check. */
export interface ProfileRecord extends Profile {
  unverified: boolean
}

export interface ProfilesState {
  version: 1
  activeId: string
  profiles: ProfileRecord[]
}

export interface ProfileStore {
  /** null or undefined when nothing was saved yet. */
  load(): Promise<ProfilesState | null | undefined>
  save(state: ProfilesState): Promise<void>
  /** Set when the file must not be rewritten (written by a newer Model Deck); says why. */
  readOnlyReason?(): string | null
}

export const DEFAULT_PROFILE: Readonly<Profile> = Object.freeze({ id: 'default', name: 'Personal' })

function normaliseName(raw: unknown): string {
  const name = typeof raw === 'string' ? raw.trim() : ''
  // eslint-disable-next-line no-control-regex
  if (!name || name.length > 60 || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new AppError('invalid-input', 'A profile name must be 1 to 60 characters, without line breaks.')
  }
  return name
}

const recordSchema = z.object({
  id: z.string().min(1).max(200),
  // Any name, or none: the id alone still names the profile's keychain entry.
  name: z.unknown().optional(),
  unverified: z.boolean().catch(false),
})

/** A damaged profiles file must not lock the user out of their keys: keep what is valid. */
function repairState(raw: unknown): ProfilesState {
  const input = asRecord(raw) ?? {}
  const profiles: ProfileRecord[] = []
  const seen = new Set<string>()
  for (const item of Array.isArray(input.profiles) ? input.profiles : []) {
    const parsed = recordSchema.safeParse(item)
    if (!parsed.success || seen.has(parsed.data.id)) continue
    let name: string
    try {
      name = normaliseName(parsed.data.name)
    } catch {
      name = parsed.data.id
    }
    seen.add(parsed.data.id)
    profiles.push({ id: parsed.data.id, name, unverified: parsed.data.unverified })
  }
  if (profiles.length === 0) profiles.push({ ...DEFAULT_PROFILE, unverified: false })
  const activeId =
    typeof input.activeId === 'string' && seen.has(input.activeId) ? input.activeId : profiles[0]!.id
  return { version: 1, activeId, profiles }
}

export interface ProfileServiceOptions {
  profileStore: ProfileStore
  newId?: () => string
}

export function createProfileService(options: ProfileServiceOptions) {
  const { profileStore } = options
  const newId = options.newId ?? randomUUID
  let statePromise: Promise<ProfilesState> | undefined
  let queue: Promise<unknown> = Promise.resolve()

  const state = (): Promise<ProfilesState> => {
    statePromise ??= profileStore.load().then(repairState, (err: unknown) => {
      statePromise = undefined
      throw err
    })
    return statePromise
  }

  /**
   * Profile state is load-modify-save; overlapping changes would lose each other's edits. The
   * profile keys run their changes in this same queue, since storing a key sets its profile's flag.
   */
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn, fn)
    queue = run.catch(() => undefined)
    return run
  }

  async function record(id: string): Promise<ProfileRecord> {
    const found = (await state()).profiles.find((p) => p.id === id)
    if (!found) throw new AppError('invalid-input', 'There is no such profile.')
    return found
  }

  const readOnlyReason = () => profileStore.readOnlyReason?.() ?? null
  /** Checked before any change is made in memory, so a refused change leaves nothing half-done. */
  function assertWritable(): void {
    const reason = readOnlyReason()
    if (reason) throw new AppError('store-read-only', reason)
  }

  return {
    serial,
    /** The profile, or an invalid-input error; run inside `serial` when the record is changed. */
    record,
    readOnlyReason,

    list: async () => {
      const s = await state()
      return { activeId: s.activeId, profiles: s.profiles.map((p) => ({ ...p })) }
    },

    ids: async () => (await state()).profiles.map((p) => p.id),

    activeId: async () => (await state()).activeId,

    /** Call inside `serial`. */
    async setUnverified(profile: ProfileRecord, unverified: boolean): Promise<void> {
      if (profile.unverified === unverified) return
      profile.unverified = unverified
      // A flag, not a profile change: with a read-only file it holds for this run only.
      if (!readOnlyReason()) await profileStore.save(await state())
    },

    create: (name: string): Promise<Profile> =>
      serial(async () => {
        assertWritable()
        const clean = normaliseName(name)
        const s = await state()
        if (s.profiles.some((p) => p.name.toLowerCase() === clean.toLowerCase())) {
          throw new AppError('invalid-input', `A profile named "${clean}" already exists.`)
        }
        const created: ProfileRecord = { id: newId(), name: clean, unverified: false }
        s.profiles.push(created)
        await profileStore.save(s)
        return { id: created.id, name: created.name }
      }),

    rename: (id: string, name: string): Promise<Profile> =>
      serial(async () => {
        assertWritable()
        const clean = normaliseName(name)
        const found = await record(id)
        const s = await state()
        if (s.profiles.some((p) => p.id !== id && p.name.toLowerCase() === clean.toLowerCase())) {
          throw new AppError('invalid-input', `A profile named "${clean}" already exists.`)
        }
        found.name = clean
        await profileStore.save(s)
        return { id, name: clean }
      }),

    /** `removeKey` runs after every check and before the profile is gone from the file. */
    remove: (id: string, removeKey: (id: string) => Promise<void>): Promise<void> =>
      serial(async () => {
        assertWritable()
        await record(id)
        const s = await state()
        if (s.profiles.length === 1)
          throw new AppError('invalid-input', 'The last profile cannot be deleted.')
        await removeKey(id)
        s.profiles = s.profiles.filter((p) => p.id !== id)
        if (s.activeId === id) s.activeId = s.profiles[0]!.id
        await profileStore.save(s)
      }),

    setActive: (id: string): Promise<void> =>
      serial(async () => {
        assertWritable()
        await record(id)
        const s = await state()
        if (s.activeId === id) return
        s.activeId = id
        await profileStore.save(s)
      }),
  }
}
export type ProfileService = ReturnType<typeof createProfileService>
