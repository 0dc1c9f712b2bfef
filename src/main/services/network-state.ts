import type { EventPayloads } from '../../shared/ipc/events'

type Emit = (event: 'network:changed', payload: EventPayloads['network:changed']) => void

/**
 * Whether OpenRouter could be reached, decided in one place: the OpenRouter client reports every
 * exchange here (any HTTP answer means reached; a failed connection or a timeout means not), so a
 * catalog refresh, a key check and a provider lookup all update it, and the window only follows
 * `network:changed` instead of guessing from each reply.
 */
export function createNetworkState(deps: { emit: Emit }) {
  let online: boolean | null = null
  return {
    report(reached: boolean): void {
      if (online === reached) return
      online = reached
      deps.emit('network:changed', { online: reached })
    },
    /** null until the first exchange: nothing is known yet. */
    online: (): boolean | null => online,
  }
}
export type NetworkState = ReturnType<typeof createNetworkState>
