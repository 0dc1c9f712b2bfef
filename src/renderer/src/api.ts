import type { Api } from '../../shared/ipc/bridge'
import type { Input } from '../../shared/ipc/contract'
import type { Result } from '../../shared/ipc/result'
import type { CatalogState } from '../../shared/app-types'
import { unpackCatalogState } from '../../shared/catalog-wire'

/**
 * The bridge as stores see it: `window.api`, with the catalog already unpacked from its wire form
 * (see catalog-wire), so no store knows how it travels.
 */
export type RendererApi = Omit<Api, 'catalog'> & {
  readonly catalog: Omit<Api['catalog'], 'get'> & {
    get(input: Input<'catalog:get'>): Promise<Result<CatalogState>>
  }
}

const bridge: Api = window.api

async function getCatalog(input: Input<'catalog:get'>): Promise<Result<CatalogState>> {
  const result = await bridge.catalog.get(input)
  if (!result.ok) return result
  try {
    return { ok: true, data: unpackCatalogState(result.data) }
  } catch (err) {
    return { ok: false, error: { code: 'internal', message: (err as Error).message } }
  }
}

/** The only module that reads `window.api`. Stores call it; components never do. */
export const api: RendererApi = Object.freeze({
  ...bridge,
  catalog: Object.freeze({ ...bridge.catalog, get: getCatalog }),
})
