import { AppError, type AppErrorShape, type ErrorCode } from '../../shared/ipc/result'
import { isUnverifiableError } from '../../shared/ipc/error-groups'
import { isRecord } from '../../shared/is-record'
import { z } from 'zod'
import type { Keychain } from './keychain'
import type { OpenRouterClient } from './openrouter/client'
import { scrubSecrets } from './openrouter/errors'
import type { ProfileService } from './profiles'
import { forgetSecret, rememberSecret } from '../log'

/**
 * Each profile's API key: get, set, clear, verify and its status. The key lives in the OS
 * keychain under the profile's id (or in memory for a session-only key) and in this module's
 * memory, never in profiles.json; the profile only carries the non-secret `unverified` flag.
 */

/** What GET /key tells about a key; every field may be null when OpenRouter leaves it out. */
export interface KeyInfo {
  label: string | null
  limit: number | null
  limit_remaining: number | null
  limit_reset: string | null
  usage: number | null
  usage_daily: number | null
  usage_weekly: number | null
  usage_monthly: number | null
  is_free_tier: boolean | null
}

export type KeyStorage = 'keychain' | 'session' | 'none'

export interface KeyStatus {
  present: boolean
  storage: KeyStorage
  verified: boolean
  info: KeyInfo | null
  error?: { code: ErrorCode; message: string }
}

export interface SetKeyOptions {
  /** Store the key even when it could not be checked (offline, timeout, OpenRouter down). */
  allowUnverified?: boolean
  /** Keep the key in memory only, for this run: the fallback when the keychain is unavailable. */
  sessionOnly?: boolean
}

export const MAX_KEY_LENGTH = 512

/**
 * Loose on purpose: OpenRouter may change its key format, so only what can never be part of a
 * key is refused. Pasted keys often carry a trailing newline, hence the trim.
 */
function normaliseKey(raw: unknown): string {
  if (typeof raw !== 'string') throw new AppError('invalid-input', 'The API key must be text.')
  const key = raw.trim()
  if (!key) throw new AppError('invalid-input', 'The API key is empty.')
  if (key.length > MAX_KEY_LENGTH) {
    throw new AppError(
      'invalid-input',
      `The API key is longer than ${MAX_KEY_LENGTH} characters; paste only the key.`,
    )
  }
  if (!/^[\x21-\x7e]+$/.test(key)) {
    throw new AppError(
      'invalid-input',
      'The API key contains spaces or invisible characters; paste only the key.',
    )
  }
  return key
}

const nullableNumber = z.number().finite().nullable().catch(null)
const keyInfoSchema = z.object({
  label: z.string().nullable().catch(null),
  limit: nullableNumber,
  limit_remaining: nullableNumber,
  limit_reset: z.string().nullable().catch(null),
  usage: nullableNumber,
  usage_daily: nullableNumber,
  usage_weekly: nullableNumber,
  usage_monthly: nullableNumber,
  is_free_tier: z.boolean().nullable().catch(null),
})

/** Lenient: one odd field must not make a valid key look broken. */
export function parseKeyInfo(body: unknown, key?: string): KeyInfo {
  const data = (body as { data?: unknown } | null)?.data
  if (!isRecord(data)) {
    throw new AppError('bad-response', 'OpenRouter sent key information in an unexpected shape.')
  }
  const info = keyInfoSchema.parse(data)
  // Only the exact key: the label is OpenRouter's masked form (`sk-or-v1-abc...xyz`) and is meant to be shown.
  if (info.label && key) info.label = info.label.split(key).join('[redacted]')
  return info
}

export function keyInfoFetcher(
  client: Pick<OpenRouterClient, 'getKeyInfo'>,
): (key: string) => Promise<KeyInfo> {
  return async (key) => parseKeyInfo(await client.getKeyInfo(key), key)
}

function toAppError(err: unknown, key?: string): AppError {
  if (err instanceof AppError) {
    if (!key) return err
    const details = err.details ? { ...err.details } : undefined
    if (details) {
      for (const [k, v] of Object.entries(details))
        if (typeof v === 'string') details[k] = scrubSecrets(v, [key])
    }
    return new AppError(err.code, scrubSecrets(err.message, [key]), details)
  }
  return new AppError('internal', 'The key check failed unexpectedly.')
}

export interface ProfileKeys {
  status(profileId: string): Promise<KeyStatus>
  set(profileId: string, key: string, opts?: SetKeyOptions): Promise<KeyStatus>
  clear(profileId: string): Promise<void>
  /** Re-check the stored key with GET /key; the outcome is in the returned status, not thrown. */
  verify(profileId: string): Promise<KeyStatus>
  /** Main process only: the client's `getKey`. Never send its result over IPC. */
  getKey(profileId: string): Promise<string | null>
  getActiveKey(): Promise<string | null>
  /** Any successful keyed call proves the key; `info` when the call was GET /key. */
  markVerified(profileId: string, info?: KeyInfo): Promise<void>
  /** Remember why the last keyed call failed (e.g. key-rejected), for status(). */
  markFailed(profileId: string, error: AppErrorShape): Promise<void>
  /** Drops the profile's key from memory and the keychain (a session-only key may be missing there). */
  forget(profileId: string): Promise<void>
  /**
   * Keychain entries of this service that no profile of this data folder names: left by a lost
   * profiles file, or used by another data folder (a CLI --data-dir). Account names only.
   */
  orphanedKeys(): Promise<string[]>
  /** Removes the given orphaned entries (all when none given); a profile's own entry is never touched. */
  removeOrphanedKeys(accounts?: string[]): Promise<string[]>
}

export interface ProfileKeysOptions {
  keychain: Keychain
  getKeyInfo: (key: string) => Promise<KeyInfo>
  profiles: ProfileService
}

export function createProfileKeys(options: ProfileKeysOptions): ProfileKeys {
  const { keychain, getKeyInfo, profiles } = options
  const { serial } = profiles
  const profile = profiles.record
  const setUnverified = profiles.setUnverified
  // Secrets live here and in the keychain only: never in the profile state, never on disk.
  const keys = new Map<string, { key: string; storage: 'keychain' | 'session' }>()
  const infos = new Map<string, KeyInfo>()
  const lastErrors = new Map<string, { code: ErrorCode; message: string }>()

  /** Every key held is known to the logger's redaction exactly, whatever its shape. */
  function hold(id: string, entry: { key: string; storage: 'keychain' | 'session' }): void {
    const previous = keys.get(id)
    rememberSecret(entry.key)
    keys.set(id, entry)
    if (previous && previous.key !== entry.key) release(previous.key)
  }
  function release(key: string): void {
    if (![...keys.values()].some((e) => e.key === key)) forgetSecret(key)
  }
  async function readKey(id: string): Promise<{ key: string; storage: 'keychain' | 'session' } | null> {
    const held = keys.get(id)
    if (held) return held
    const stored = await keychain.get(id)
    if (!stored) return null
    const entry = { key: stored, storage: 'keychain' as const }
    hold(id, entry)
    return entry
  }

  async function status(id: string): Promise<KeyStatus> {
    const record = await profile(id)
    let entry: Awaited<ReturnType<typeof readKey>> = null
    let error: KeyStatus['error']
    try {
      entry = await readKey(id)
    } catch (err) {
      const shape = toAppError(err)
      error = { code: shape.code, message: shape.message }
    }
    const present = entry !== null
    const last = lastErrors.get(id)
    const result: KeyStatus = {
      present,
      storage: entry?.storage ?? 'none',
      verified: present && !record.unverified && last?.code !== 'key-rejected',
      info: present ? (infos.get(id) ?? null) : null,
    }
    const shown = error ?? (present ? last : undefined)
    if (shown) result.error = shown
    return result
  }

  async function removeKey(id: string): Promise<void> {
    const held = keys.get(id)
    keys.delete(id)
    if (held) release(held.key)
    infos.delete(id)
    lastErrors.delete(id)
    try {
      await keychain.delete(id)
    } catch (err) {
      // A session-only key never reached the keychain in this run; failing would strand the user.
      if (held?.storage !== 'session') throw err
    }
  }

  async function orphanedKeys(): Promise<string[]> {
    const named = new Set(await profiles.ids())
    return (await keychain.accounts()).filter((account) => !named.has(account))
  }

  return {
    status,

    set: (profileId, rawKey, opts = {}) =>
      serial(async () => {
        const record = await profile(profileId)
        const key = normaliseKey(rawKey)
        // Before the check, so a log line written while checking it is already scrubbed.
        rememberSecret(key)
        let info: KeyInfo | null = null
        let unverifiedBecause: AppError | null = null
        try {
          info = await getKeyInfo(key)
        } catch (err) {
          const error = toAppError(err, key)
          if (!(opts.allowUnverified && isUnverifiableError(error.code))) {
            release(key)
            throw error
          }
          unverifiedBecause = error
        }

        if (opts.sessionOnly) {
          hold(profileId, { key, storage: 'session' })
          // An older key left in the keychain would silently come back on the next start.
          await keychain.delete(profileId).catch(() => undefined)
        } else {
          await keychain.set(profileId, key)
          hold(profileId, { key, storage: 'keychain' })
        }

        if (info) infos.set(profileId, info)
        else infos.delete(profileId)
        if (unverifiedBecause) {
          lastErrors.set(profileId, { code: unverifiedBecause.code, message: unverifiedBecause.message })
        } else {
          lastErrors.delete(profileId)
        }
        await setUnverified(record, unverifiedBecause !== null)
        return status(profileId)
      }),

    clear: (profileId) =>
      serial(async () => {
        const record = await profile(profileId)
        await removeKey(profileId)
        await setUnverified(record, false)
      }),

    verify: async (profileId) => {
      await profile(profileId)
      let key: string | null
      try {
        key = (await readKey(profileId))?.key ?? null
      } catch {
        return status(profileId)
      }
      if (!key) return status(profileId)
      try {
        const info = await getKeyInfo(key)
        await serial(async () => {
          // The key may have been replaced while we were checking the old one.
          if (keys.get(profileId)?.key !== key) return
          infos.set(profileId, info)
          lastErrors.delete(profileId)
          await setUnverified(await profile(profileId), false)
        })
      } catch (err) {
        const error = toAppError(err, key)
        if (keys.get(profileId)?.key === key)
          lastErrors.set(profileId, { code: error.code, message: error.message })
      }
      return status(profileId)
    },

    getKey: async (profileId) => {
      await profile(profileId)
      return (await readKey(profileId))?.key ?? null
    },

    getActiveKey: async () => {
      const id = await profiles.activeId()
      return (await readKey(id))?.key ?? null
    },

    markVerified: (profileId, info) =>
      serial(async () => {
        const record = await profile(profileId)
        if (info) infos.set(profileId, info)
        lastErrors.delete(profileId)
        await setUnverified(record, false)
      }),

    markFailed: async (profileId, error) => {
      await profile(profileId)
      lastErrors.set(profileId, { code: error.code, message: error.message })
    },

    forget: removeKey,

    orphanedKeys,

    removeOrphanedKeys: (accounts) =>
      serial(async () => {
        // Checked again inside the queue: a profile created since the listing keeps its key.
        const orphans = new Set(await orphanedKeys())
        const chosen = accounts ?? [...orphans]
        const removed: string[] = []
        for (const account of chosen) {
          if (!orphans.has(account)) continue
          if (await keychain.delete(account)) removed.push(account)
        }
        return removed
      }),
  }
}
