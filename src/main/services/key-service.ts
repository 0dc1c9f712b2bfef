import type { AppErrorShape } from '../../shared/ipc/result'
import type { Keychain } from './keychain'
import { createProfileKeys, type KeyInfo, type KeyStatus, type SetKeyOptions } from './profile-keys'
import { createProfileService, type Profile, type ProfileStore } from './profiles'

export { keyInfoFetcher, type KeyStatus } from './profile-keys'

/**
 * Profiles (profiles.ts) and their keys (profile-keys.ts) as the one object the app, the CLI and
 * the IPC handlers are handed: they always need both, and deleting a profile removes its key.
 */
export interface KeyService {
  listProfiles(): Promise<{ activeId: string; profiles: (Profile & { unverified: boolean })[] }>
  createProfile(name: string): Promise<Profile>
  renameProfile(id: string, name: string): Promise<Profile>
  /** Also removes the profile's key. The last profile cannot be deleted. */
  deleteProfile(id: string): Promise<void>
  setActive(id: string): Promise<void>
  activeId(): Promise<string>
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
  /** Why profiles cannot be changed now (a profiles file from a newer version), else null. */
  profilesReadOnly(): string | null
  /**
   * Keychain entries of this service that no profile of this data folder names: left by a lost
   * profiles file, or used by another data folder (a CLI --data-dir). Account names only.
   */
  orphanedKeys(): Promise<string[]>
  /** Removes the given orphaned entries (all when none given); a profile's own entry is never touched. */
  removeOrphanedKeys(accounts?: string[]): Promise<string[]>
}

export interface KeyServiceOptions {
  keychain: Keychain
  getKeyInfo: (key: string) => Promise<KeyInfo>
  profileStore: ProfileStore
  newId?: () => string
}

export function createKeyService(options: KeyServiceOptions): KeyService {
  const profiles = createProfileService({ profileStore: options.profileStore, newId: options.newId })
  const keys = createProfileKeys({ keychain: options.keychain, getKeyInfo: options.getKeyInfo, profiles })
  return {
    listProfiles: profiles.list,
    createProfile: profiles.create,
    renameProfile: profiles.rename,
    deleteProfile: (id) => profiles.remove(id, keys.forget),
    setActive: profiles.setActive,
    activeId: profiles.activeId,
    profilesReadOnly: profiles.readOnlyReason,
    status: keys.status,
    set: keys.set,
    clear: keys.clear,
    verify: keys.verify,
    getKey: keys.getKey,
    getActiveKey: keys.getActiveKey,
    markVerified: keys.markVerified,
    markFailed: keys.markFailed,
    orphanedKeys: keys.orphanedKeys,
    removeOrphanedKeys: keys.removeOrphanedKeys,
  }
}
