import { z } from 'zod'
import { REGIONS } from './catalog-options'

/**
 * Non-secret preferences, persisted by main as a schema-versioned JSON file. The API key is never
 * here: it lives in the OS keychain.
 */
export const SETTINGS_VERSION = 1

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string().max(10_000),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValue).max(2_000),
    z.record(z.string().max(200), jsonValue),
  ]),
)
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

const themeSchema = z.enum(['system', 'light', 'dark'])
const regionSchema = z.enum(REGIONS)
export const priceUnitSchema = z.enum(['per-token', 'per-million'])

const windowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(10_000),
  height: z.number().int().min(300).max(10_000),
  maximized: z.boolean(),
})

export const settingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  theme: themeSchema,
  region: regionSchema,
  /** 0 turns automatic refresh off. */
  autoRefreshHours: z.number().int().min(0).max(168),
  retention: z.object({
    keepLast: z.number().int().min(1).max(10_000).nullable(),
    maxMegabytes: z.number().int().min(1).max(100_000).nullable(),
  }),
  export: z.object({
    unit: priceUnitSchema,
    bom: z.boolean(),
    columns: z.array(z.string().max(64)).max(64).nullable(),
  }),
  window: windowStateSchema.nullable(),
  /**
   * View state the renderer owns (catalog columns, filters, presets, compare sets). Main only checks
   * that it is plain JSON of a sane size; the renderer validates what it reads back.
   */
  ui: z.record(z.string().max(64), jsonValue),
})
export type Settings = z.infer<typeof settingsSchema>
export type Theme = z.infer<typeof themeSchema>
export type PriceUnit = z.infer<typeof priceUnitSchema>

export const defaultSettings: Settings = {
  version: SETTINGS_VERSION,
  theme: 'system',
  region: 'global',
  autoRefreshHours: 0,
  retention: { keepLast: 200, maxMegabytes: null },
  export: { unit: 'per-million', bom: false, columns: null },
  window: null,
  ui: {},
}

/** What the renderer may change: everything but the version and the window geometry (main owns it). */
export const settingsPatchSchema = settingsSchema
  .omit({ version: true, window: true })
  .extend({
    retention: settingsSchema.shape.retention.strict(),
    export: settingsSchema.shape.export.strict(),
  })
  .partial()
  .strict()
export type SettingsPatch = z.infer<typeof settingsPatchSchema>

export const UI_STATE_MAX_BYTES = 512 * 1024
