import { parseModelsBody } from '../../src/shared/model/parse'
import { normaliseModel, type NormalisedModel } from '../../src/shared/model/normalise'
import { applyFilter, createSearchIndex, emptyFilter, search, sortModels } from '../../src/shared/model/query'
import type { RawModel } from '../../src/shared/model/raw'
import { median, quantile, samples, timeOnce } from './measure'

/** What people type: each prefix is one keystroke. */
export const TYPED_QUERIES = ['claude', 'gpt-4o', 'qwen coder', 'free', 'vision', 'llama 70b']

export function keystrokes(queries: readonly string[] = TYPED_QUERIES): string[] {
  return queries.flatMap((q) => Array.from({ length: q.length }, (_, i) => q.slice(0, i + 1)))
}

export interface LogicFigures {
  models: number
  parseNormaliseMs: number
  indexMs: number
  keystrokeMedianMs: number
  keystrokeP95Ms: number
  filterMs: number
  sortMs: number
}

/**
 * The catalog view's pure logic at one size: reading the body, then what a keystroke, a filter
 * change and a sort change each cost. `repeats` trades precision for time.
 */
export function benchLogic(models: readonly RawModel[], repeats: number): LogicFigures {
  const body = { data: models }
  let normalised: NormalisedModel[] = []
  const parseNormaliseMs = median(
    samples(() => {
      normalised = parseModelsBody(body).models.map(normaliseModel)
    }, repeats),
  )
  let index = createSearchIndex(normalised)
  const indexMs = median(samples(() => (index = createSearchIndex(normalised)), repeats))

  // Every prefix once as warm-up, then each timed `repeats` times.
  const typed = keystrokes()
  for (const q of typed) search(index, q)
  const perKey: number[] = []
  for (let r = 0; r < repeats; r++) for (const q of typed) perKey.push(timeOnce(() => search(index, q)))

  const now = new Date('2026-08-19T12:00:00Z')
  const filter = {
    ...emptyFilter(),
    inputModalities: ['image'],
    minContext: 100_000,
    maxPromptPerM: 5,
    params: { mode: 'all' as const, values: ['tools'] },
  }
  const filterMs = median(samples(() => applyFilter(normalised, filter, now), repeats))
  const sortMs = median(
    samples(
      () =>
        sortModels(normalised, [
          { column: 'prompt', dir: 'asc' },
          { column: 'name', dir: 'asc' },
        ]),
      repeats,
    ),
  )
  return {
    models: normalised.length,
    parseNormaliseMs,
    indexMs,
    keystrokeMedianMs: median(perKey),
    keystrokeP95Ms: quantile(perKey, 0.95),
    filterMs,
    sortMs,
  }
}
