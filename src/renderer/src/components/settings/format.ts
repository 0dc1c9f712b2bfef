/** Display helpers for the key panel; OpenRouter reports credits in US dollars. */

const dollars = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 4,
})

export function formatCredits(value: number | null): string {
  return value === null ? '—' : dollars.format(value)
}

export function describeReset(reset: string | null): string {
  if (!reset) return 'Never (one-off limit)'
  const known: Record<string, string> = { daily: 'Daily', weekly: 'Weekly', monthly: 'Monthly' }
  return known[reset] ?? reset
}
