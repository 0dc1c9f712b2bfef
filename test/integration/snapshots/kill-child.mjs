// Child process for the kill test: opens the store from an esbuild bundle and writes to it in a
// loop until the parent SIGKILLs it. Plain .mjs because Node's type stripping cannot resolve the
// extensionless imports of the TypeScript sources.
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { gunzipSync } from 'node:zlib'

const [bundlePath, dir, fixture, seedArg, mode] = process.argv.slice(2)
// With another writer at work, the snapshot this one picked may be gone by the time it writes:
// that not-found is the only error tolerated; anything else ends the child and fails the test.
const concurrent = mode === 'concurrent'
const { createSnapshotStore } = await import(pathToFileURL(bundlePath).href)
// A slice of the real catalog keeps each write short enough that kills land in every phase of it.
const base = JSON.parse(gunzipSync(readFileSync(fixture)).toString('utf8')).data.slice(0, 150)

let seed = Number(seedArg) >>> 0
const random = () => {
  // mulberry32: reproducible runs for a given seed.
  seed = (seed + 0x6d2b79f5) >>> 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pick = (list) => list[Math.floor(random() * list.length)]

/** The base catalog with `count` records repriced, chosen by `variant`; same arguments, same content. */
const variant = (variant, count) => {
  const copy = structuredClone(base)
  for (let i = 0; i < count; i++) {
    const m = copy[(i * 37 + variant * 13) % copy.length]
    m.pricing = { ...m.pricing, prompt: `0.0000${variant}${i}` }
  }
  return copy
}

const keys = [
  { source: 'user', region: 'global', profile: 'main' },
  { source: 'all', region: 'eu', profile: 'main' },
]

const store = await createSnapshotStore({ dir, appVersion: 'kill-test', verifyOnOpen: false })
// Warm up (code and pack cache) so the first write is not all start-up cost.
const warm = await store.latest({ profile: 'main' })
if (warm) await store.load(warm.id)
process.stdout.write('ready\n')

async function step() {
  const op = random()
  if (op < 0.5) {
    // Small variant numbers repeat, so unchanged saves (checkedAt only) happen too.
    await store.save({
      ...pick(keys),
      models: variant(Math.floor(random() * 6), 1 + Math.floor(random() * 40)),
    })
  } else if (op < 0.75) {
    // A throw-away snapshot whose pack a kept one partly reuses, then removed, which compacts that
    // pack. One step per pass, resumed from what is on disk, so the steps progress across kills.
    const [tmp] = await store.list({ profile: 'tmp' })
    if (!tmp) {
      await store.save({
        source: 'user',
        region: 'us',
        profile: 'tmp',
        models: variant(10 + Math.floor(random() * 1000), 60),
      })
    } else {
      const { models } = await store.load(tmp.id)
      const keep = models.map((m, i) => (i % 3 === 0 ? m : base[i]))
      await store.save({ source: 'user', region: 'us', profile: 'main', models: keep })
      await store.remove(tmp.id)
    }
  } else if (op < 0.85) {
    const all = await store.list({ profile: 'main' })
    if (all.length) await store.update(pick(all).id, { note: `note ${random()}`, pinned: random() < 0.5 })
  } else {
    const latest = await store.latest({ profile: 'main' })
    if (latest)
      await store.saveEndpoints(latest.id, pick(base).id, { data: { endpoints: [{ n: random() }] } })
  }
}

for (;;) {
  try {
    await step()
  } catch (err) {
    if (!concurrent || err?.code !== 'not-found') throw err
  }
}
