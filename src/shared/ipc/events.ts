import type { EventName } from './channels'

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
}

// Compile-time check that every event has a payload type and no payload lacks an event.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
export const eventsCovered: Exact<keyof EventPayloads, EventName> = true
