import { performance } from 'node:perf_hooks'
import { deserialize, serialize } from 'node:v8'
import { dispatch, type Handlers } from '../../../src/main/ipc/dispatch'
import { median } from '../measure'

/**
 * Main's half of the catalog's first screen, for the Electron path the harness cannot run: the real
 * `catalog:get` dispatch (snapshot store to the exact Result the renderer receives), and what
 * Electron's IPC does to that Result (structured clone, which is V8's serializer).
 */
export interface MainPayload {
  /** dispatch('catalog:get') from the store on disk to the Result value (median). */
  loadMs: number
  /** The same Result as JSON text: what the harness sends over HTTP. */
  jsonBytes: number
  /** The same Result as V8 serializer bytes: what Electron's IPC copies. */
  cloneBytes: number
  /** v8.serialize + v8.deserialize of the Result (median): the structured clone round trip. */
  cloneMs: number
}

export async function measureMainPayload(handlers: Handlers, repeats: number): Promise<MainPayload> {
  const load: number[] = []
  const clone: number[] = []
  let jsonBytes = 0
  let cloneBytes = 0
  for (let i = 0; i < Math.max(1, repeats); i++) {
    const t0 = performance.now()
    const result = await dispatch('catalog:get', {}, handlers)
    const t1 = performance.now()
    if (!result.ok) throw new Error(`catalog:get failed in the bench: ${result.error.message}`)
    const bytes = serialize(result)
    deserialize(bytes)
    clone.push(performance.now() - t1)
    load.push(t1 - t0)
    cloneBytes = bytes.length
    jsonBytes = Buffer.byteLength(JSON.stringify(result))
  }
  return { loadMs: median(load), jsonBytes, cloneBytes, cloneMs: median(clone) }
}
