/**
 * The names of every IPC channel and event, with no schemas attached, so the sandboxed preload can
 * build the bridge without bundling zod. `contract.ts` is checked against this list at compile time.
 */
export const channels = [
  'app:get-info',
  'settings:get',
  'settings:update',
  'profiles:list',
  'profiles:create',
  'profiles:rename',
  'profiles:remove',
  'profiles:switch',
  'key:status',
  'key:set',
  'key:clear',
  'key:test-connection',
  'key:list-orphans',
  'key:remove-orphans',
  'catalog:get',
  'catalog:refresh',
  'catalog:cancel',
  'catalog:endpoints',
  'catalog:get-records',
  'snapshots:list',
  'snapshots:open',
  'snapshots:diff',
  'snapshots:update',
  'snapshots:remove',
  'snapshots:prune',
  'snapshots:history',
  'snapshots:import',
  'snapshots:export-bundle',
  'export:save',
  'shell:open-external',
  'changes:list',
  'changes:archive',
  'changes:export',
  'stars:list',
  'stars:set',
  'watch:list',
  'watch:save',
  'watch:remove',
  'watch:check',
  'watch:set-quiet-hours',
  'watch:mark-seen',
] as const

export type Channel = (typeof channels)[number]

/** Main → renderer notifications. Payloads only: the Electron event object never crosses. */
export const events = [
  'catalog:refresh-progress',
  'catalog:changed',
  'network:changed',
  'stars:changed',
  'watch:changed',
  'app:navigate',
] as const
export type EventName = (typeof events)[number]

type Domain<C extends string> = C extends `${infer D}:${string}` ? D : never
type Verb<C extends string> = C extends `${string}:${infer V}` ? V : never
export type CamelCase<S extends string> = S extends `${infer H}-${infer T}`
  ? `${H}${Capitalize<CamelCase<T>>}`
  : S

export type ApiDomain = Domain<Channel>

/** `snapshots:export-bundle` → ['snapshots', 'exportBundle']: the bridge mirrors the channel name. */
export function apiPathOf(channel: string): [string, string] {
  const [domain, verb] = channel.split(':') as [string, string]
  return [domain, verb.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())]
}

/** `catalog:refresh-progress` → 'onCatalogRefreshProgress'. */
export function eventMethodOf(event: string): string {
  const [domain, verb] = apiPathOf(event)
  return `on${domain.charAt(0).toUpperCase()}${domain.slice(1)}${verb.charAt(0).toUpperCase()}${verb.slice(1)}`
}

export type ChannelsOf<D extends string> = Extract<Channel, `${D}:${string}`>
export type VerbOf<C extends Channel> = CamelCase<Verb<C>>
