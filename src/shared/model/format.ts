/** Small display helpers shared by the column table and filter chips; pure, no locale surprises. */

// One formatter for every cell: toLocaleString builds a new one per call, which shows in scroll profiles.
const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

export function formatInteger(value: number): string {
  return integerFormat.format(Math.round(value))
}

/** 128000 → "128K", 1048576 → "1.05M": for chips and headers, where exact digits are noise. */
export function formatTokensShort(value: number): string {
  if (value >= 1_000_000) return `${Number((value / 1_000_000).toFixed(2))}M`
  if (value >= 1_000) return `${Number((value / 1_000).toFixed(1))}K`
  return String(value)
}

/** Unix seconds → "2026-08-19" (UTC), or "" for an out-of-range value. */
export function formatUnixDate(seconds: number): string {
  const date = new Date(seconds * 1000)
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10)
}

export function formatScore(value: number): string {
  return String(Math.round(value * 10) / 10)
}
