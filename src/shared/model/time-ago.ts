/** "just now", "5 min ago", "3 h ago", "2 days ago", "4 months ago": how old a snapshot is, at a glance. */
export function formatAge(iso: string, now: Date): string {
  const then = Date.parse(iso)
  if (Number.isNaN(then)) return 'unknown age'
  const seconds = Math.round((now.getTime() - then) / 1000)
  if (seconds < -60) return 'in the future'
  if (seconds < 60) return 'just now'
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min ago`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return `${hours} h ago`
  const days = Math.floor(hours / 24)
  if (days < 60) return days === 1 ? '1 day ago' : `${days} days ago`
  const months = Math.floor(days / 30.44)
  if (months < 24) return `${months} months ago`
  return `${Math.floor(days / 365.25)} years ago`
}

/** A catalog is stale once it is older than this: prices and the allowed list change within days. */
const STALE_AFTER_MS = 24 * 3_600_000

export function isStale(iso: string, now: Date): boolean {
  const then = Date.parse(iso)
  return !Number.isNaN(then) && now.getTime() - then > STALE_AFTER_MS
}
