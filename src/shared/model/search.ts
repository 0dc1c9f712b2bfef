import uFuzzy from '@leeoniya/ufuzzy'
import type { NormalisedModel } from './normalise'

/** Start/end pairs, end exclusive: [start0, end0, start1, end1, …], as uFuzzy and its highlighter use. */
export type Ranges = number[]

export type SearchHit = {
  /** Position in the model list the index was built from. */
  index: number
  model: NormalisedModel
  /** What matched: the name or id (fuzzy, ranked), or plain words that need the description; null for no query. */
  field: 'name' | 'id' | 'description' | null
  nameRanges: Ranges
  idRanges: Ranges
}

export type SearchIndex = {
  models: readonly NormalisedModel[]
  /** `name + SEPARATOR + id` per model: short, so uFuzzy's per-keystroke regex pass stays fast. */
  haystack: string[]
  /** Every distinct lower-case word of names, ids and descriptions… */
  vocabulary: string[]
  /**
   * …and, for word w, the ascending indexes of the models that use it at
   * `postings[postingStarts[w]] … postings[postingStarts[w + 1] - 1]`: two flat arrays rather than an
   * array per word, which at 100k models (as many distinct words) was a fifth of the index's memory.
   */
  postings: Uint32Array
  postingStarts: Uint32Array
}

export type SearchOptions = {
  /** Above this many name/id matches, ranking is skipped and matches keep the list order (uFuzzy's infoThresh). */
  rankLimit?: number
  /** Highlight ranges are worked out for at most this many unranked hits: the rest are off screen. */
  highlightLimit?: number
}

const SEPARATOR = ' \u2502 '
// One stray or missing character per gap, and '-' / '.' may be skipped: "gpt4o" finds "gpt-4o".
// The id holds the author slug, so authors are found through it without a third field.
const fuzzy = new uFuzzy({ intraMode: 0, intraIns: 1, intraChars: "[a-z\\d'.\\-]" })
// The same split uFuzzy applies to queries, so a query term never spans two words.
const WORD_SPLIT = /[^a-z\d']+/
// Shorter words match almost any description ("ai" in "said"); names and ids still match them fuzzily.
const MIN_WORD = 3
// Below this many candidates, reading their text beats merging postings.
const DIRECT_CHECK = 2000

/** Built once per catalog; a keystroke then scans the vocabulary, not every description. */
export function createSearchIndex(models: readonly NormalisedModel[]): SearchIndex {
  const haystack = models.map((m) => m.name + SEPARATOR + m.id)
  const words = new Map<string, number[]>()
  // Variants (":free", "~…-latest" aliases) repeat their base model's description: split each text once.
  const descriptionWords = new Map<string, string[]>()
  const addWords = (i: number, list: readonly string[]) => {
    for (const word of list) {
      if (word === '') continue
      const postings = words.get(word)
      if (postings === undefined) words.set(word, [i])
      else if (postings[postings.length - 1] !== i) postings.push(i)
    }
  }
  models.forEach((m, i) => {
    addWords(i, `${m.name}\n${m.id}`.toLowerCase().split(WORD_SPLIT))
    let described = descriptionWords.get(m.description)
    if (described === undefined) {
      described = [...new Set(m.description.toLowerCase().split(WORD_SPLIT))]
      descriptionWords.set(m.description, described)
    }
    addWords(i, described)
  })
  const vocabulary = [...words.keys()]
  const postingStarts = new Uint32Array(vocabulary.length + 1)
  let total = 0
  let w = 0
  for (const list of words.values()) {
    postingStarts[w++] = total
    total += list.length
  }
  postingStarts[w] = total
  const postings = new Uint32Array(total)
  let at = 0
  for (const list of words.values()) {
    postings.set(list, at)
    at += list.length
  }
  return { models, haystack, vocabulary, postings, postingStarts }
}

function searchText(m: NormalisedModel): string {
  return `${m.name}\n${m.id}\n${m.description}`.toLowerCase()
}

function splitRanges(
  ranges: readonly number[],
  nameLength: number,
): { nameRanges: Ranges; idRanges: Ranges } {
  const idStart = nameLength + SEPARATOR.length
  const nameRanges: Ranges = []
  const idRanges: Ranges = []
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    const start = ranges[i]!
    const end = ranges[i + 1]!
    if (start < nameLength) nameRanges.push(start, Math.min(end, nameLength))
    if (end > idStart) idRanges.push(Math.max(start, idStart) - idStart, end - idStart)
  }
  return { nameRanges, idRanges }
}

/** Plain case-insensitive occurrences of each term, merged: for hits uFuzzy did not rank. */
function termRanges(text: string, terms: readonly string[]): Ranges {
  const lower = text.toLowerCase()
  const marks: [number, number][] = []
  for (const term of terms) {
    for (let at = lower.indexOf(term); at !== -1; at = lower.indexOf(term, at + term.length)) {
      marks.push([at, at + term.length])
    }
  }
  marks.sort((a, b) => a[0] - b[0])
  const out: Ranges = []
  for (const [start, end] of marks) {
    const last = out.length - 1
    if (last > 0 && start <= out[last]!) out[last] = Math.max(out[last]!, end)
    else out.push(start, end)
  }
  return out
}

/** Models using a word that contains `term`, as a mark per model. */
function modelsWithTerm(index: SearchIndex, term: string): Uint8Array {
  const marks = new Uint8Array(index.models.length)
  const { vocabulary, postings, postingStarts } = index
  for (let w = 0; w < vocabulary.length; w++) {
    if (!vocabulary[w]!.includes(term)) continue
    for (let p = postingStarts[w]!, end = postingStarts[w + 1]!; p < end; p++) marks[postings[p]!] = 1
  }
  return marks
}

/** Models not matched by name/id whose name, id and description together hold every term. */
function wordMatches(index: SearchIndex, terms: readonly string[], matched: Uint8Array): number[] {
  const [longest, ...rest] = [...terms].sort((a, b) => b.length - a.length)
  if (longest === undefined || longest.length < MIN_WORD) return []
  const first = modelsWithTerm(index, longest)
  let candidates: number[] = []
  for (let i = 0; i < first.length; i++) if (first[i] === 1 && matched[i] === 0) candidates.push(i)
  for (const term of rest) {
    if (candidates.length === 0) break
    if (candidates.length < DIRECT_CHECK) {
      candidates = candidates.filter((i) => searchText(index.models[i]!).includes(term))
    } else {
      const marks = modelsWithTerm(index, term)
      candidates = candidates.filter((i) => marks[i] === 1)
    }
  }
  return candidates
}

function highlighted(
  index: SearchIndex,
  i: number,
  field: SearchHit['field'],
  terms: readonly string[],
): SearchHit {
  const model = index.models[i]!
  const nameRanges = termRanges(model.name, terms)
  const idRanges = termRanges(model.id, terms)
  const where =
    field === 'description' ? field : nameRanges.length === 0 && idRanges.length > 0 ? 'id' : 'name'
  return { index: i, model, field: where, nameRanges, idRanges }
}

/** uFuzzy reads "-word" as "exclude word"; in a catalog of hyphenated ids a leading "-" is just text. */
function normaliseQuery(query: string): string {
  return query
    .replace(/(^|\s)-+/g, '$1')
    .trim()
    .toLowerCase()
}

/**
 * Name/id matches first, ranked by uFuzzy when there are few enough to rank, then models that match only
 * through their description, in list order. An empty query returns every model in list order.
 */
export function search(index: SearchIndex, query: string, options: SearchOptions = {}): SearchHit[] {
  const { rankLimit = 1000, highlightLimit = 200 } = options
  const { models } = index
  const needle = normaliseQuery(query)
  if (needle === '')
    return models.map((model, i) => ({ index: i, model, field: null, nameRanges: [], idRanges: [] }))
  const terms = fuzzy.split(needle)
  if (terms.length === 0) return []

  const hits: SearchHit[] = []
  const matched = new Uint8Array(models.length)
  let budget = highlightLimit
  const add = (i: number, field: SearchHit['field']) => {
    matched[i] = 1
    if (budget-- > 0) hits.push(highlighted(index, i, field, terms))
    else hits.push({ index: i, model: models[i]!, field, nameRanges: [], idRanges: [] })
  }

  // Terms in any order ("sonnet claude"): uFuzzy permutes up to three terms.
  const [idxs, info, order] = fuzzy.search(index.haystack, needle, terms.length <= 3 ? 3 : 0, rankLimit)
  if (info && order) {
    for (const o of order) {
      const i = info.idx[o]!
      const model = models[i]!
      const split = splitRanges(info.ranges[o] ?? [], model.name.length)
      const field = split.nameRanges.length === 0 && split.idRanges.length > 0 ? 'id' : 'name'
      matched[i] = 1
      hits.push({ index: i, model, field, ...split })
    }
  } else if (idxs) {
    for (const i of [...idxs].sort((a, b) => a - b)) add(i, 'name')
  }
  for (const i of wordMatches(index, terms, matched)) add(i, 'description')
  return hits
}
