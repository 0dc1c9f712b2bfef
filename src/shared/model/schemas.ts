import { z } from 'zod'
import { PRICE_KEYS } from '../pricing/price'

/*
 * Loose checks, one record at a time: only fields the app reads are typed, every one is optional, unknown
 * fields pass. They decide whether a record is usable; the record itself is kept as received, never the
 * parse output, so nothing is stripped or coerced.
 */

const price = z.union([z.string(), z.number()], { error: 'expected a price (string or number)' })
const count = z.number().nullable().optional()
const text = z.string().nullable().optional()
const strings = z.array(z.string())

const priceShape = Object.fromEntries(PRICE_KEYS.map((key) => [key, price.optional()]))

const pricingOverrideSchema = z.looseObject({
  min_prompt_tokens: count,
  utc_start: count,
  utc_end: count,
  ...priceShape,
})

const pricingSchema = z.looseObject({
  ...priceShape,
  discount: price.optional(),
  overrides: z.array(pricingOverrideSchema).nullable().optional(),
})

const architectureSchema = z.looseObject({
  modality: text,
  input_modalities: strings.nullable().optional(),
  output_modalities: strings.nullable().optional(),
  tokenizer: text,
  instruct_type: text,
})

export const modelRecordSchema = z.looseObject({
  id: z.string().min(1, 'expected a non-empty id'),
  name: z.string().optional(),
  canonical_slug: text,
  hugging_face_id: text,
  created: count,
  description: text,
  context_length: count,
  architecture: architectureSchema.optional(),
  pricing: pricingSchema.optional(),
  top_provider: z
    .looseObject({
      is_moderated: z.boolean().nullable().optional(),
      context_length: count,
      max_completion_tokens: count,
    })
    .nullable()
    .optional(),
  supported_parameters: strings.nullable().optional(),
  knowledge_cutoff: text,
  expiration_date: text,
  links: z.looseObject({ details: text }).nullable().optional(),
  reasoning: z
    .looseObject({
      mandatory: z.boolean().nullable().optional(),
      default_enabled: z.boolean().nullable().optional(),
      supported_efforts: strings.nullable().optional(),
      default_effort: text,
    })
    .nullable()
    .optional(),
  benchmarks: z
    .looseObject({
      artificial_analysis: z
        .looseObject({ intelligence_index: count, coding_index: count, agentic_index: count })
        .nullable()
        .optional(),
    })
    .nullable()
    .optional(),
  alias_target: z.looseObject({ slug: text, name: text }).nullable().optional(),
})

const percentiles = z.looseObject({ p50: count }).nullable().optional()

export const endpointRecordSchema = z.looseObject({
  name: text,
  model_id: text,
  provider_name: text,
  tag: text,
  quantization: text,
  context_length: count,
  max_completion_tokens: count,
  max_prompt_tokens: count,
  pricing: pricingSchema.optional(),
  supported_parameters: strings.nullable().optional(),
  status: count,
  uptime_last_5m: count,
  uptime_last_30m: count,
  uptime_last_1d: count,
  latency_last_30m: percentiles,
  throughput_last_30m: percentiles,
})
