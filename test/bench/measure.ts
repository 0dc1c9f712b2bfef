import { performance } from 'node:perf_hooks'

/** Small, seedable PRNG (mulberry32): the same seed gives the same synthetic catalogs on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[at]!
}

export const median = (samples: readonly number[]): number => quantile(samples, 0.5)

/** Milliseconds of one synchronous call. */
export function timeOnce(fn: () => unknown): number {
  const start = performance.now()
  fn()
  return performance.now() - start
}

export async function timeAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now()
  const value = await fn()
  return { ms: performance.now() - start, value }
}

/** Runs `fn` `repeats` times after `warmup` discarded runs (JIT, caches) and returns every sample. */
export function samples(fn: () => unknown, repeats: number, warmup = 1): number[] {
  for (let i = 0; i < warmup; i++) fn()
  return Array.from({ length: repeats }, () => timeOnce(fn))
}

export const mib = (bytes: number): number => bytes / (1024 * 1024)
