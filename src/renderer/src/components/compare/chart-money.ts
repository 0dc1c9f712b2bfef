import { formatUsd } from '../../../../shared/pricing/price'

const compactUsd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  notation: 'compact',
  maximumFractionDigits: 1,
})

/**
 * Dollars on a chart axis or at a bar's end, where space is a few characters: $10M, $1.5K, $250,
 * $0.05. The exact amount is in the table and the tooltip.
 */
export function chartUsd(value: number): string {
  if (Math.abs(value) >= 1000) return compactUsd.format(value)
  return formatUsd(String(value), 'compact')
}
