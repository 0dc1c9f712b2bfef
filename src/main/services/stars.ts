import { join } from 'node:path'
import type { EventName } from '../../shared/ipc/channels'
import type { EventPayloads } from '../../shared/ipc/events'
import { AppError } from '../../shared/ipc/result'
import { asRecord } from '../../shared/is-record'
import { createVersionedJsonFile } from './versioned-json'

type Emit = <E extends EventName>(event: E, payload: EventPayloads[E]) => void

const FORMAT_VERSION = 1
/** Far above any real use; keeps one file from growing without bound. */
export const MAX_STARS = 5_000
const MAX_ID = 300

export interface StarsServiceDeps {
  dataDir: string
  activeProfile: () => Promise<string>
  emit: Emit
}

type Stars = Map<string, string[]>
type StarsFile = { profiles: Record<string, string[]> }

const usableId = (id: unknown): id is string => typeof id === 'string' && id.length > 0 && id.length <= MAX_ID

/** Each profile's list on its own: one bad entry costs only itself. */
function repair(body: Record<string, unknown>): { value: StarsFile; dropped: number } {
  const profiles: Record<string, string[]> = Object.create(null) as Record<string, string[]>
  let dropped = body.profiles === undefined ? 0 : asRecord(body.profiles) ? 0 : 1
  for (const [profile, list] of Object.entries(asRecord(body.profiles) ?? {})) {
    if (!Array.isArray(list)) {
      dropped++
      continue
    }
    const ids = [...new Set(list.filter(usableId))].sort().slice(0, MAX_STARS)
    dropped += list.length - ids.length
    if (ids.length > 0) profiles[profile] = ids
  }
  return { value: { profiles }, dropped }
}

/**
 * Starred models, per profile, in stars.json of the data folder. Every change (a star, a switch of
 * the active profile) is announced as `stars:changed` with the active profile's list.
 */
export function createStarsService(deps: StarsServiceDeps) {
  const file = createVersionedJsonFile({
    file: join(deps.dataDir, 'stars.json'),
    version: FORMAT_VERSION,
    repair,
  })
  // Profile ids are keys of a Map in memory, so no id can reach Object.prototype.
  const save = (stars: Stars) => file.save({ profiles: Object.fromEntries(stars) })
  let state: Promise<Stars> | undefined
  let queue: Promise<unknown> = Promise.resolve()

  const load = (): Promise<Stars> => {
    state ??= file.load().then(
      (v) => new Map(Object.entries(v.profiles)),
      (err: unknown) => {
        state = undefined
        throw err
      },
    )
    return state
  }

  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn, fn)
    queue = run.catch(() => undefined)
    return run
  }

  const list = async (profile?: string): Promise<string[]> => [
    ...((await load()).get(profile ?? (await deps.activeProfile())) ?? []),
  ]

  async function announce(): Promise<void> {
    deps.emit('stars:changed', { ids: await list() })
  }

  return {
    list,
    /** The profile's stars as a set, for rule evaluation and feed filters. */
    starredSet: async (profile?: string): Promise<Set<string>> => new Set(await list(profile)),

    set: (modelId: string, starred: boolean, profile?: string): Promise<string[]> =>
      serial(async () => {
        if (!usableId(modelId)) throw new AppError('invalid-input', 'A model id must be 1 to 300 characters.')
        const who = profile ?? (await deps.activeProfile())
        const stars = await load()
        const current = stars.get(who) ?? []
        if (current.includes(modelId) === starred) return [...current]
        if (starred && current.length >= MAX_STARS)
          throw new AppError('invalid-input', `A profile can star at most ${MAX_STARS} models.`)
        const next = starred ? [...current, modelId].sort() : current.filter((id) => id !== modelId)
        // Written before the change is made in memory: a failed write leaves the stars as they were.
        const copy = new Map(stars)
        if (next.length > 0) copy.set(who, next)
        else copy.delete(who)
        await save(copy)
        stars.clear()
        for (const [k, v] of copy) stars.set(k, v)
        if (who === (await deps.activeProfile())) deps.emit('stars:changed', { ids: [...next] })
        return [...next]
      }),

    /** After a profile switch or removal: the window shows the new profile's stars. */
    announce,
    readOnlyReason: () => file.readOnlyReason(),
  }
}
export type StarsService = ReturnType<typeof createStarsService>
