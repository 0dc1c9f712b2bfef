/**
 * The catalog lists and OpenRouter regions, defined once: the types, the zod schemas, the CLI's
 * `--source`/`--region` choices, the file readers and the Settings screen all read these arrays.
 */
export const CATALOG_SOURCES = ['user', 'all'] as const
export type CatalogSource = (typeof CATALOG_SOURCES)[number]

export const REGIONS = ['global', 'eu', 'us'] as const
export type Region = (typeof REGIONS)[number]

/** The host that serves each region; the in-region hosts are an enterprise feature of OpenRouter. */
export const REGION_HOSTS: Readonly<Record<Region, string>> = Object.freeze({
  global: 'openrouter.ai',
  eu: 'eu.openrouter.ai',
  us: 'us.openrouter.ai',
})

export const isSource = (value: unknown): value is CatalogSource =>
  (CATALOG_SOURCES as readonly unknown[]).includes(value)
export const isRegion = (value: unknown): value is Region => (REGIONS as readonly unknown[]).includes(value)

/** The API base URL of a region's host, e.g. `https://eu.openrouter.ai/api/v1`. */
export function regionApiBase(region: Region): string {
  return `https://${REGION_HOSTS[region]}/api/v1`
}
