import { z } from 'zod'

/**
 * Watch rules (issue 14): a saved expression in the catalog's filter language (the terms of
 * `export --filter`, see FILTER_HELP) plus `event:KIND`, `model:GLOB` and `starred`, evaluated by
 * main against what changed after every refresh.
 */
export const MAX_RULES = 100

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM, 00:00 to 23:59')

export const quietHoursSchema = z.object({ start: hhmm, end: hhmm }).strict()
export type QuietHours = z.infer<typeof quietHoursSchema>

export const ruleInputSchema = z
  .object({
    /** Absent: a new rule. */
    id: z.string().min(1).max(200).optional(),
    name: z.string().trim().min(1).max(120),
    expr: z.string().trim().min(1).max(2_000),
    enabled: z.boolean(),
  })
  .strict()
export type RuleInput = z.infer<typeof ruleInputSchema>

export interface WatchRule {
  id: string
  name: string
  expr: string
  enabled: boolean
  createdAt: string
  lastMatchedAt: string | null
}

export interface WatchState {
  rules: WatchRule[]
  quietHours: QuietHours | null
  /** Matched events not yet seen in the feed, per rule id; the sidebar badge shows the total. */
  unseen: Record<string, number>
  unseenTotal: number
}

/** `watch:check`: whether an expression parses; a bad one names the term. */
export type RuleCheck = { ok: true; summary: string } | { ok: false; message: string; term: string }
