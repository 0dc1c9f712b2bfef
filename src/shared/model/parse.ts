import type { z } from 'zod'
import type { RawEndpoint, RawModel } from './raw'
import { endpointRecordSchema, modelRecordSchema } from './schemas'
import { isRecord } from '../is-record'

export type ParsedModels = {
  models: RawModel[]
  skipped: number
  /** One short line per skipped record, naming its index and id when it has one. */
  skippedReasons: string[]
  /** `total_count` when the body has it (newer API versions); older snapshots do not. */
  totalCount: number | null
}

export type ParsedEndpoints = {
  id: string | null
  name: string | null
  /** The `data` object as received, for exports and fields the app does not read yet. */
  data: Record<string, unknown>
  endpoints: RawEndpoint[]
  skipped: number
  skippedReasons: string[]
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]
  if (!issue) return 'invalid record'
  const path = issue.path.map(String).join('.')
  const message = issue.message.replace(/^Invalid input: /, '')
  return path ? `${path}: ${message}` : message
}

function label(index: number, id: unknown): string {
  return typeof id === 'string' && id !== '' ? `#${index} (${id})` : `#${index}`
}

/**
 * Reads a `/models` or `/models/user` body. One bad record never sinks the list: it is skipped and
 * reported, and every kept record is the very object received. Throws only when the body is not a list.
 */
export function parseModelsBody(body: unknown): ParsedModels {
  if (!isRecord(body) || !Array.isArray(body.data)) {
    throw new Error('Models response is not an object with a "data" array')
  }
  const models: RawModel[] = []
  const skippedReasons: string[] = []
  const seen = new Set<string>()
  body.data.forEach((record: unknown, index) => {
    if (!isRecord(record)) {
      skippedReasons.push(`${label(index, undefined)}: not an object`)
      return
    }
    const checked = modelRecordSchema.safeParse(record)
    if (!checked.success) {
      skippedReasons.push(`${label(index, record.id)}: ${firstIssue(checked.error)}`)
      return
    }
    const id = record.id as string
    if (seen.has(id)) {
      skippedReasons.push(`${label(index, id)}: duplicate id, first one kept`)
      return
    }
    seen.add(id)
    models.push(record as RawModel)
  })
  const total = body.total_count
  return {
    models,
    skipped: skippedReasons.length,
    skippedReasons,
    totalCount: typeof total === 'number' && Number.isInteger(total) && total >= 0 ? total : null,
  }
}

/** Reads a `/models/{author}/{slug}/endpoints` body with the same tolerance as parseModelsBody. */
export function parseEndpointsBody(body: unknown): ParsedEndpoints {
  if (!isRecord(body) || !isRecord(body.data) || !Array.isArray(body.data.endpoints)) {
    throw new Error('Endpoints response is not an object with a "data.endpoints" array')
  }
  const data = body.data
  const endpoints: RawEndpoint[] = []
  const skippedReasons: string[] = []
  ;(data.endpoints as unknown[]).forEach((record, index) => {
    if (!isRecord(record)) {
      skippedReasons.push(`#${index}: not an object`)
      return
    }
    const checked = endpointRecordSchema.safeParse(record)
    if (!checked.success) {
      skippedReasons.push(`${label(index, record.tag ?? record.provider_name)}: ${firstIssue(checked.error)}`)
      return
    }
    endpoints.push(record)
  })
  return {
    id: typeof data.id === 'string' ? data.id : null,
    name: typeof data.name === 'string' ? data.name : null,
    data,
    endpoints,
    skipped: skippedReasons.length,
    skippedReasons,
  }
}
