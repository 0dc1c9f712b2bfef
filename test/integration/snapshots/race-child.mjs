// Child process for the lock race test: opens the store from an esbuild bundle, as the CLI would,
// saves one catalog of its own and prints the snapshot id. Exits 1 with the error on failure.
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { gunzipSync } from 'node:zlib'

const [bundlePath, dir, fixture, nArg] = process.argv.slice(2)
const n = Number(nArg)
try {
  const { createSnapshotStore } = await import(pathToFileURL(bundlePath).href)
  const models = JSON.parse(gunzipSync(readFileSync(fixture)).toString('utf8')).data.slice(0, 40)
  // A price of its own makes each child's catalog distinct, so each must become a snapshot.
  models[n % models.length].pricing = { ...models[n % models.length].pricing, prompt: `0.000${n}1` }
  const store = await createSnapshotStore({ dir, appVersion: 'race-test' })
  const { meta, created } = await store.save({
    source: 'all',
    region: 'global',
    profile: `p${n % 3}`,
    models,
  })
  await store.close()
  process.stdout.write(`${JSON.stringify({ id: meta.id, created, contentHash: meta.contentHash })}\n`)
} catch (err) {
  process.stderr.write(`${err?.code ?? ''} ${err?.message ?? err}\n`)
  process.exit(1)
}
