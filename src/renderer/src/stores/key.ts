import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { api } from '../api'
import type { KeyStatus, ProfilesState } from '../../../shared/app-types'
import type { AppErrorShape, ErrorCode, Result } from '../../../shared/ipc/result'
import { useCatalogStore } from './catalog'
import { useNetworkStore } from './network'

/** Failures that say nothing about the key itself: main may store it unchecked if the user agrees. */
const UNVERIFIABLE = new Set<ErrorCode>(['offline', 'timeout', 'upstream', 'rate-limited'])
const OFFLINE = new Set<ErrorCode>(['offline', 'timeout'])
/** How long an unanswered "store anyway?" question may keep the submitted key alive. */
const PROMPT_TTL_MS = 2 * 60_000

/** A question the user must answer before the key just submitted is stored. Holds no key. */
export type KeyPrompt =
  { kind: 'store-anyway'; error: AppErrorShape } | { kind: 'session-only'; error: AppErrorShape }

export type SetKeyOutcome = 'saved' | 'prompt' | 'failed'

export interface ConnectionTest {
  latencyMs: number
  publicModels: number
}

type SetOptions = { allowUnverified?: boolean; sessionOnly?: boolean }

/**
 * The active profile's API key as main describes it (masked label, limits, verified or not) and
 * the named profiles. The key itself is only ever a function argument on its way to main.
 */
export const useKeyStore = defineStore('key', () => {
  const status = ref<KeyStatus | null>(null)
  const profiles = ref<ProfilesState | null>(null)
  const loading = ref(false)
  const saving = ref(false)
  const clearing = ref(false)
  const checking = ref(false)
  const testing = ref(false)
  const profileBusy = ref(false)

  const keyError = ref<AppErrorShape | null>(null)
  const statusError = ref<AppErrorShape | null>(null)
  const profilesError = ref<AppErrorShape | null>(null)
  const testError = ref<AppErrorShape | null>(null)
  const lastError = shallowRef<AppErrorShape | null>(null)

  const prompt = shallowRef<KeyPrompt | null>(null)
  /** Set once a key was stored by this session's form, so the view can offer the next step. */
  const justSaved = ref(false)
  const testResult = shallowRef<ConnectionTest | null>(null)

  // Deliberately not reactive and never returned: the only place a submitted key may outlive its
  // call, so a "store anyway?" answer can resend it. Dropped on answer, dismissal or expiry.
  let pendingRetry: ((extra: SetOptions) => Promise<SetKeyOutcome>) | null = null
  let pendingTimer: ReturnType<typeof setTimeout> | null = null

  const activeProfile = computed(
    () => profiles.value?.profiles.find((p) => p.id === profiles.value?.activeId) ?? null,
  )

  function fail(target: { value: AppErrorShape | null }, error: AppErrorShape): void {
    target.value = error
    lastError.value = error
    if (OFFLINE.has(error.code)) useNetworkStore().set(false)
  }

  async function call<T>(
    busy: { value: boolean },
    errorRef: { value: AppErrorShape | null },
    run: () => Promise<Result<T>>,
  ): Promise<T | null> {
    busy.value = true
    errorRef.value = null
    try {
      const result = await run()
      if (result.ok) return result.data
      fail(errorRef, result.error)
      return null
    } catch (err) {
      fail(errorRef, { code: 'internal', message: err instanceof Error ? err.message : String(err) })
      return null
    } finally {
      busy.value = false
    }
  }

  function applyStatus(next: KeyStatus): void {
    status.value = next
    if (next.error && OFFLINE.has(next.error.code)) useNetworkStore().set(false)
  }

  async function load(): Promise<void> {
    const [list, current] = await Promise.all([
      call(loading, profilesError, () => api.profiles.list({})),
      call(checking, statusError, () => api.key.status({})),
    ])
    if (list) profiles.value = list
    if (current) applyStatus(current)
  }

  /** Asks OpenRouter about the stored key again (GET /key); the outcome lands in the status. */
  async function refresh(): Promise<void> {
    const next = await call(checking, statusError, () => api.key.status({ refresh: true }))
    if (!next) return
    applyStatus(next)
    if (next.verified) useNetworkStore().set(true)
  }

  function dropPrompt(): void {
    pendingRetry = null
    prompt.value = null
    if (pendingTimer) clearTimeout(pendingTimer)
    pendingTimer = null
  }

  function ask(next: KeyPrompt, retry: (extra: SetOptions) => Promise<SetKeyOutcome>): void {
    prompt.value = next
    pendingRetry = retry
    pendingTimer = setTimeout(dropPrompt, PROMPT_TTL_MS)
  }

  async function submit(key: string, opts: SetOptions): Promise<SetKeyOutcome> {
    dropPrompt()
    justSaved.value = false
    const next = await call(saving, keyError, () => api.key.set({ key, ...opts }))
    if (next) {
      applyStatus(next)
      justSaved.value = true
      if (next.verified) useNetworkStore().set(true)
      return 'saved'
    }
    const error = keyError.value
    if (error && UNVERIFIABLE.has(error.code) && !opts.allowUnverified) {
      ask({ kind: 'store-anyway', error }, (extra) => submit(key, { ...opts, ...extra }))
      keyError.value = null
      return 'prompt'
    }
    if (error?.code === 'keychain-unavailable' && !opts.sessionOnly) {
      ask({ kind: 'session-only', error }, (extra) => submit(key, { ...opts, ...extra }))
      keyError.value = null
      return 'prompt'
    }
    // A rejected key is not stored, but the status may have changed since (e.g. a key now marked rejected).
    void call(checking, statusError, () => api.key.status({})).then((s) => s && applyStatus(s))
    return 'failed'
  }

  /** Sends the key straight to main; callers clear their input right after calling this. */
  function setKey(key: string): Promise<SetKeyOutcome> {
    return submit(key, {})
  }

  /** Yes to the pending question: store unverified, or keep in memory for this session. */
  async function acceptPrompt(): Promise<SetKeyOutcome> {
    const current = prompt.value
    const retry = pendingRetry
    dropPrompt()
    if (!current || !retry) return 'failed'
    return retry(current.kind === 'store-anyway' ? { allowUnverified: true } : { sessionOnly: true })
  }

  async function clearKey(): Promise<boolean> {
    dropPrompt()
    justSaved.value = false
    const next = await call(clearing, keyError, () => api.key.clear({}))
    if (next) applyStatus(next)
    return next !== null
  }

  async function testConnection(): Promise<void> {
    testResult.value = null
    const result = await call(testing, testError, () => api.key.testConnection({}))
    if (!result) return
    testResult.value = { latencyMs: result.latencyMs, publicModels: result.publicModels }
    useNetworkStore().set(true)
  }

  /** Each profile has its own key and its own snapshots: both views follow a switch. */
  async function afterProfileChange(next: ProfilesState): Promise<void> {
    const changed = profiles.value?.activeId !== next.activeId
    profiles.value = next
    if (!changed) return
    dropPrompt()
    justSaved.value = false
    keyError.value = null
    testResult.value = null
    testError.value = null
    const current = await call(checking, statusError, () => api.key.status({}))
    if (current) applyStatus(current)
    await useCatalogStore().load(null)
  }

  async function switchProfile(id: string): Promise<boolean> {
    const next = await call(profileBusy, profilesError, () => api.profiles.switch({ id }))
    if (next) await afterProfileChange(next)
    return next !== null
  }

  /** New profiles start empty, so the user lands on one ready for its key. */
  async function createProfile(name: string): Promise<boolean> {
    const before = new Set(profiles.value?.profiles.map((p) => p.id))
    const next = await call(profileBusy, profilesError, () => api.profiles.create({ name }))
    if (!next) return false
    profiles.value = next
    const created = next.profiles.find((p) => !before.has(p.id))
    return created ? switchProfile(created.id) : true
  }

  async function renameProfile(id: string, name: string): Promise<boolean> {
    const next = await call(profileBusy, profilesError, () => api.profiles.rename({ id, name }))
    if (next) profiles.value = next
    return next !== null
  }

  async function removeProfile(id: string): Promise<boolean> {
    const next = await call(profileBusy, profilesError, () => api.profiles.remove({ id }))
    if (next) await afterProfileChange(next)
    return next !== null
  }

  return {
    status,
    profiles,
    activeProfile,
    loading,
    saving,
    clearing,
    checking,
    testing,
    profileBusy,
    keyError,
    statusError,
    profilesError,
    testError,
    lastError,
    prompt,
    justSaved,
    testResult,
    load,
    refresh,
    setKey,
    acceptPrompt,
    dismissPrompt: dropPrompt,
    clearKey,
    testConnection,
    switchProfile,
    createProfile,
    renameProfile,
    removeProfile,
  }
})
