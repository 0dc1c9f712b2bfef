import { formatFor, formatPrice, parsePrice, PRICE_LABELS, type PriceKey } from '../pricing/price'
import type { ChangeEvent, ChangeKind } from './types'

/** One wording of every event for the CLI's lines and the export's summary column. */

export const KIND_LABELS: Readonly<Record<ChangeKind, string>> = {
  added: 'added',
  removed: 'removed',
  're-added': 're-added',
  price: 'price',
  context: 'context',
  'max-output': 'max output',
  parameters: 'parameters',
  modalities: 'modalities',
  expiration: 'expiration',
  'allowed-entered': 'allowed',
  'allowed-left': 'not allowed',
}

/** "$3.00 / 1M tokens" for token prices, per unit otherwise; absent is 0, "-1" is variable. */
export function describePrice(key: string, value: string | number | null | undefined): string {
  const price = parsePrice(value ?? undefined)
  if (price.kind === 'fixed') return formatPrice(price, formatFor(key))
  // An absent key is a price of 0 ("not offered" in 2026 data); "free" would promise more.
  return price.kind === 'free' ? '$0' : price.kind
}

const count = (value: string | number | null | undefined): string =>
  typeof value === 'number' ? value.toLocaleString('en') : value == null ? 'none' : String(value)

const list = (gained: string[] = [], lost: string[] = []): string =>
  [...gained.map((v) => `+${v}`), ...lost.map((v) => `-${v}`)].join(' ')

const percentText = (percent: number | null | undefined): string =>
  percent == null ? '' : ` (${percent > 0 ? '+' : ''}${percent.toFixed(1)}%)`

/** What changed, in a few words: `prompt $3.00 → $3.30 / 1M tokens (+10.0%)`. */
export function describeChange(e: ChangeEvent): string {
  switch (e.kind) {
    case 'added':
      return 'added to the catalog'
    case 'removed':
      return 'removed from the catalog'
    case 're-added':
      return 'back in the catalog'
    case 'allowed-entered':
      return 'entered the models your key may use'
    case 'allowed-left':
      return 'left the models your key may use (still public)'
    case 'price': {
      const key = e.field ?? ''
      const label = PRICE_LABELS[key as PriceKey]?.toLowerCase() ?? key
      if (key === 'overrides') return 'price tiers changed'
      const from = describePrice(key, e.from)
      const to = describePrice(key, e.to)
      // "$3.00 / 1M tokens → $3.30 / 1M tokens" says the unit twice; keep it once, at the end.
      const unitOf = (text: string) => / \/ .+$/.exec(text)?.[0] ?? ''
      const unit = unitOf(to) || unitOf(from)
      // "$0" and "variable" have no unit of their own; the other side's is said once at the end.
      const strip = (text: string) => (text.endsWith(unit) ? text.slice(0, -unit.length) : text)
      const same =
        [from, to].every((text) => !unitOf(text) || unitOf(text) === unit) &&
        !/variable|unknown/.test(from + to)
      if (!same) return `${label} ${from} → ${to}${percentText(e.percent)}`
      return `${label} ${strip(from)} → ${strip(to)}${unit}${percentText(e.percent)}`
    }
    case 'context':
      return `${e.field === 'context_length' ? 'context' : 'provider context'} ${count(e.from)} → ${count(e.to)} tokens`
    case 'max-output':
      return `max output ${count(e.from)} → ${count(e.to)} tokens`
    case 'parameters':
      return `parameters ${list(e.gained, e.lost)}`
    case 'modalities':
      return `${e.field?.includes('output') ? 'output' : 'input'} modalities ${list(e.gained, e.lost)}`
    case 'expiration':
      if (e.to == null) return `expiration date ${count(e.from)} removed`
      return e.from == null ? `expires ${e.to}` : `expiration ${e.from} → ${e.to}`
  }
}
