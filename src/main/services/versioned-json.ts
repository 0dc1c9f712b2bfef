import { copyFile, readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { AppError } from '../../shared/ipc/result'
import { asRecord } from '../../shared/is-record'
import { writeFileDurable } from './durable-write'
import { log } from '../log'

/**
 * One small JSON file of the data folder with a format version (stars.json, watch.json), kept the
 * way profiles.json is: written durably; a damaged file keeps every part it can, with the original
 * copied aside first; a file from a newer Model Deck is read as far as it can be and never rewritten.
 */
export interface VersionedJsonOptions<T> {
  file: string
  version: number
  /** What can be kept of the body (the object around `version`); `dropped` counts parts lost or changed. */
  repair(body: Record<string, unknown>): { value: T; dropped: number }
}

export interface VersionedJsonFile<T> {
  /** The value; a missing file reads as repair({}) and is not written until saved. */
  load(): Promise<T>
  save(value: T): Promise<void>
  readOnlyReason(): string | null
}

export function createVersionedJsonFile<T extends object>(
  opts: VersionedJsonOptions<T>,
): VersionedJsonFile<T> {
  const { file, version } = opts
  const name = basename(file)
  let readOnly: string | null = null

  const write = (value: T) => writeFileDurable(file, `${JSON.stringify({ version, ...value }, null, 2)}\n`)

  return {
    readOnlyReason: () => readOnly,

    async load(): Promise<T> {
      let text: string
      try {
        text = await readFile(file, 'utf8')
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return opts.repair({}).value
        const code = (err as NodeJS.ErrnoException).code ?? 'unknown'
        throw new AppError('permission-denied', `${name} cannot be read (${code}).`)
      }
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch {
        parsed = undefined
      }
      const body = asRecord(parsed)
      const { value, dropped } = opts.repair(body ?? {})
      const found = body?.version
      if (typeof found === 'number' && found > version) {
        readOnly = `${name} was written by a newer Model Deck (format ${found}); it cannot be changed here until you update, and the file is left as it is.`
        log.warn(readOnly)
        return value
      }
      if (body && found === version && dropped === 0) return value
      const aside = `${file}.damaged-${Date.now()}`
      await copyFile(file, aside)
      log.warn(
        `${name} could not be read whole; kept what was readable, the original is kept as ${basename(aside)}.`,
      )
      await write(value)
      return value
    },

    async save(value: T): Promise<void> {
      if (readOnly) throw new AppError('store-read-only', readOnly)
      await write(value)
    },
  }
}
