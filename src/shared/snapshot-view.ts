import type { CatalogSource } from './model/raw'
import type { SnapshotMeta } from './snapshots'

/** 512 → "512 B", 3174 → "3.1 KB", 1_572_864 → "1.5 MB" (powers of 1024, like file managers on Windows). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—'
  if (bytes < 1024) return `${Math.round(bytes)} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value >= 100 ? Math.round(value) : Number(value.toFixed(1))} ${units[unit]}`
}

/** What each source means to the user: the key's allowed list, or everything OpenRouter lists publicly. */
export function sourceLabel(source: CatalogSource): string {
  return source === 'user' ? 'Allowed' : 'Public'
}

/** Snapshots of the same catalog: same source, region and profile. */
export function sameCatalog(a: SnapshotMeta, b: SnapshotMeta): boolean {
  return a.source === b.source && a.region === b.region && a.profile === b.profile
}

/** The next older readable snapshot of the same catalog, given a newest-first list. */
export function previousOf(snapshots: readonly SnapshotMeta[], id: string): SnapshotMeta | null {
  const index = snapshots.findIndex((s) => s.id === id)
  const current = snapshots[index]
  if (!current) return null
  return snapshots.slice(index + 1).find((s) => !s.unavailable && sameCatalog(s, current)) ?? null
}

// Fetches of the allowed and public catalogs made by one refresh land within moments of each other.
const SAME_REFRESH_MS = 10 * 60 * 1000

/**
 * The diff shown by default: the newest readable snapshot against the one before it in the same
 * catalog. The allowed catalog wins over a public one from the same refresh, since its diff also says
 * what the key gained or lost. Null when no catalog has two readable snapshots yet. Expects newest first.
 */
export function defaultDiffPair(snapshots: readonly SnapshotMeta[]): { a: string; b: string } | null {
  const readable = snapshots.filter((s) => !s.unavailable)
  const latest = latestIds(readable)
  const candidates = readable
    .filter((s) => latest.has(s.id))
    .map((newest) => ({ newest, before: previousOf(readable, newest.id) }))
    .filter((pair): pair is { newest: SnapshotMeta; before: SnapshotMeta } => pair.before !== null)
  if (candidates.length === 0) return null
  const time = (s: SnapshotMeta): number => Date.parse(s.takenAt)
  const best = candidates.reduce((pick, next) => {
    const gap = time(next.newest) - time(pick.newest)
    if (Math.abs(gap) <= SAME_REFRESH_MS && next.newest.source !== pick.newest.source)
      return next.newest.source === 'user' ? next : pick
    return gap > 0 ? next : pick
  })
  return { a: best.before.id, b: best.newest.id }
}

/** Whether a snapshot is the newest one of its catalog (the one the app starts from). */
export function latestIds(snapshots: readonly SnapshotMeta[]): Set<string> {
  const seen = new Set<string>()
  const latest = new Set<string>()
  for (const s of snapshots) {
    const key = `${s.source}\u0000${s.region}\u0000${s.profile}`
    if (s.unavailable || seen.has(key)) continue
    seen.add(key)
    latest.add(s.id)
  }
  return latest
}

/** "19 Aug 2026, 10:15" in the user's locale and time zone; tests pin both. */
export function formatDateTime(iso: string, locale?: string, timeZone?: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(timeZone ? { timeZone } : {}),
  }).format(date)
}
