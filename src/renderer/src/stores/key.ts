import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { api } from '../api'
import type { KeyStatus, ProfilesState } from '../../../shared/app-types'
import type { AppErrorShape } from '../../../shared/ipc/result'
import { isUnverifiableError } from '../../../shared/ipc/error-groups'
import { useIpcCall } from '../composables/useIpcCall'

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
  const lastError = shallowRef<AppErrorShape | null>(null)

  // Whether OpenRouter could be reached is main's to say (network:changed, from every call it
  // makes, key checks included): the network store follows that, this store only keeps the error.
  const onError = (error: AppErrorShape): void => {
    lastError.value = error
  }

  const profilesCall = useIpcCall(() => api.profiles.list({}), { onError })
  // Every read of the status writes the same state: the latest answer wins.
  const statusCall = useIpcCall((refresh: boolean) => api.key.status(refresh ? { refresh } : {}), { onError })
  const setCall = useIpcCall((key: string, opts: SetOptions) => api.key.set({ key, ...opts }), { onError })
  const clearCall = useIpcCall(() => api.key.clear({}), { error: setCall.error, onError })
  const testCall = useIpcCall(() => api.key.testConnection({}), { onError })
  const orphansCall = useIpcCall(() => api.key.listOrphans({}), { onError })
  const removeOrphansCall = useIpcCall((accounts: string[]) => api.key.removeOrphans({ accounts }), {
    error: orphansCall.error,
    onError,
  })
  /** Keychain entries of this app that no profile here names; null until asked. */
  const orphans = ref<string[] | null>(null)
  // The profile actions share one spinner and one error line, and all write the profile list.
  const profileBusy = ref(false)
  const profilesError = profilesCall.error
  const profileOpts = { busy: profileBusy, error: profilesError, onError }
  const switchCall = useIpcCall((id: string) => api.profiles.switch({ id }), profileOpts)
  const createCall = useIpcCall((name: string) => api.profiles.create({ name }), profileOpts)
  const renameCall = useIpcCall((id: string, name: string) => api.profiles.rename({ id, name }), profileOpts)
  const removeCall = useIpcCall((id: string) => api.profiles.remove({ id }), profileOpts)

  const keyError = setCall.error
  const statusError = statusCall.error
  const testError = testCall.error

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

  function applyStatus(next: KeyStatus): void {
    status.value = next
  }

  async function readStatus(refresh = false): Promise<KeyStatus | null> {
    const next = await statusCall.run(refresh)
    if (next) applyStatus(next)
    return next
  }

  async function load(): Promise<void> {
    const [list] = await Promise.all([profilesCall.run(), readStatus()])
    if (list) profiles.value = list
  }

  /** Asks OpenRouter about the stored key again (GET /key); the outcome lands in the status. */
  async function refresh(): Promise<void> {
    await readStatus(true)
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
    const next = await setCall.run(key, opts)
    if (next) {
      applyStatus(next)
      justSaved.value = true
      return 'saved'
    }
    const error = keyError.value
    if (error && isUnverifiableError(error.code) && !opts.allowUnverified) {
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
    void readStatus()
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
    const next = await clearCall.run()
    if (next) applyStatus(next)
    return next !== null
  }

  async function loadOrphans(): Promise<void> {
    const next = await orphansCall.run()
    if (next) orphans.value = next.accounts
  }

  /** Removes the named entries and reads the list again (a profile may have claimed one meanwhile). */
  async function removeOrphans(accounts: string[]): Promise<boolean> {
    const done = await removeOrphansCall.run(accounts)
    await loadOrphans()
    return done !== null
  }

  async function testConnection(): Promise<void> {
    testResult.value = null
    const result = await testCall.run()
    if (!result) return
    testResult.value = { latencyMs: result.latencyMs, publicModels: result.publicModels }
  }

  /**
   * Each profile has its own key and its own snapshots. The catalog follows a switch on its own:
   * main announces it (catalog:changed), so only the key's status is read again here.
   */
  async function afterProfileChange(next: ProfilesState): Promise<void> {
    const changed = profiles.value?.activeId !== next.activeId
    profiles.value = next
    if (!changed) return
    dropPrompt()
    justSaved.value = false
    keyError.value = null
    testResult.value = null
    testError.value = null
    await readStatus()
  }

  async function switchProfile(id: string): Promise<boolean> {
    const next = await switchCall.run(id)
    if (next) await afterProfileChange(next)
    return next !== null
  }

  /** New profiles start empty, so the user lands on one ready for its key. */
  async function createProfile(name: string): Promise<boolean> {
    const before = new Set(profiles.value?.profiles.map((p) => p.id))
    const next = await createCall.run(name)
    if (!next) return false
    profiles.value = next
    const created = next.profiles.find((p) => !before.has(p.id))
    return created ? switchProfile(created.id) : true
  }

  async function renameProfile(id: string, name: string): Promise<boolean> {
    const next = await renameCall.run(id, name)
    if (next) profiles.value = next
    return next !== null
  }

  async function removeProfile(id: string): Promise<boolean> {
    const next = await removeCall.run(id)
    if (next) await afterProfileChange(next)
    return next !== null
  }

  return {
    status,
    profiles,
    activeProfile,
    loading: profilesCall.busy,
    saving: setCall.busy,
    clearing: clearCall.busy,
    checking: statusCall.busy,
    testing: testCall.busy,
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
    orphans,
    orphansError: orphansCall.error,
    orphansBusy: removeOrphansCall.busy,
    loadOrphans,
    removeOrphans,
    switchProfile,
    createProfile,
    renameProfile,
    removeProfile,
  }
})
