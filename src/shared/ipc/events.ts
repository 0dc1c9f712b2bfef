import type { EventName } from './channels'
import type { WatchState } from '../watch/types'

export interface RefreshProgress {
  source: 'user' | 'all' | 'endpoints'
  phase: 'start' | 'fetching' | 'saving' | 'done' | 'error' | 'cancelled'
  done?: number
  total?: number
  message?: string
}

export interface EventPayloads {
  'catalog:refresh-progress': RefreshProgress
  'catalog:changed': { reason: 'refresh' | 'import' | 'profile' | 'region' | 'snapshots' }
  'network:changed': { online: boolean }
  /** The active profile's starred model ids, after any change (a star, a profile switch). */
  'stars:changed': { ids: string[] }
  /** Rules, quiet hours or unseen matches changed (a refresh matched a rule, the feed was seen). */
  'watch:changed': WatchState
  /** Main asks the window to show a view: a click on a watch notification opens the feed for its rule. */
  'app:navigate': { view: 'changes'; ruleId?: string }
}

// Compile-time check that every event has a payload type and no payload lacks an event.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
export const eventsCovered: Exact<keyof EventPayloads, EventName> = true
