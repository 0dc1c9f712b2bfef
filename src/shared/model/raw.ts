/**
 * A model record exactly as OpenRouter sent it. Every field is kept, unknown ones included, so
 * snapshots and JSON exports are lossless; the normalised view is derived from it, never stored.
 */
export type RawModel = { id: string } & Record<string, unknown>

export type { CatalogSource, Region } from '../catalog-options'

/** One provider endpoint from `/models/{author}/{slug}/endpoints`, kept exactly as sent (it has no id of its own). */
export type RawEndpoint = Record<string, unknown>
