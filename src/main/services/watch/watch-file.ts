import { join } from 'node:path'
import { z } from 'zod'
import { asRecord } from '../../../shared/is-record'
import { MAX_RULES, quietHoursSchema, type QuietHours, type WatchRule } from '../../../shared/watch/types'
import { createVersionedJsonFile, type VersionedJsonFile } from '../versioned-json'

export const WATCH_FORMAT_VERSION = 1
/** Per rule: enough for any badge and for the feed filtered to the rule, bounded so the file stays small. */
export const MAX_KEYS_PER_RULE = 2_000

/** watch.json: the rules, quiet hours, and per rule the event keys it matched (all, and not yet seen). */
export interface WatchFile {
  rules: WatchRule[]
  quietHours: QuietHours | null
  unseen: Record<string, string[]>
  matched: Record<string, string[]>
}

const ruleSchema = z.object({
  id: z.string().min(1).max(200),
  name: z.string().trim().min(1).max(120),
  expr: z.string().trim().min(1).max(2_000),
  enabled: z.boolean(),
  createdAt: z.string().max(40),
  lastMatchedAt: z.string().max(40).nullable(),
})

/** Lists of event keys for rules that exist; anything else is dropped (and counted). */
function keyLists(
  raw: unknown,
  ids: ReadonlySet<string>,
): { lists: Record<string, string[]>; dropped: number } {
  const lists = Object.create(null) as Record<string, string[]>
  let dropped = raw === undefined || asRecord(raw) ? 0 : 1
  for (const [id, list] of Object.entries(asRecord(raw) ?? {})) {
    if (!ids.has(id) || !Array.isArray(list)) {
      dropped++
      continue
    }
    const keys = [...new Set(list.filter((k): k is string => typeof k === 'string' && k.length <= 1_000))]
    dropped += list.length - keys.length
    lists[id] = keys.slice(-MAX_KEYS_PER_RULE)
  }
  return { lists, dropped }
}

/** A damaged watch.json keeps every rule that can be read; one bad rule costs only itself. */
export function repairWatchFile(body: Record<string, unknown>): { value: WatchFile; dropped: number } {
  const rules: WatchRule[] = []
  const ids = new Set<string>()
  let dropped = body.rules === undefined || Array.isArray(body.rules) ? 0 : 1
  for (const item of Array.isArray(body.rules) ? body.rules : []) {
    const parsed = ruleSchema.safeParse(item)
    if (!parsed.success || ids.has(parsed.data.id) || rules.length >= MAX_RULES) {
      dropped++
      continue
    }
    ids.add(parsed.data.id)
    rules.push(parsed.data)
  }
  const quiet = quietHoursSchema.nullable().safeParse(body.quietHours ?? null)
  if (!quiet.success) dropped++
  const unseen = keyLists(body.unseen, ids)
  const matched = keyLists(body.matched, ids)
  return {
    value: {
      rules,
      quietHours: quiet.success ? quiet.data : null,
      unseen: unseen.lists,
      matched: matched.lists,
    },
    dropped: dropped + unseen.dropped + matched.dropped,
  }
}

export function openWatchFile(dataDir: string): VersionedJsonFile<WatchFile> {
  return createVersionedJsonFile({
    file: join(dataDir, 'watch.json'),
    version: WATCH_FORMAT_VERSION,
    repair: repairWatchFile,
  })
}
