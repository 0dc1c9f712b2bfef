import type { Command } from 'commander'
import { openContext, type CliContext } from './context'
import type { CliIo } from './io'
import type { Region } from '../shared/model/raw'

export type Options = Record<string, unknown>
export type Handler = (ctx: CliContext, opts: Options, args: string[]) => Promise<void>

/**
 * Wraps a command's work in the services' lifecycle: open them on the chosen data folder and
 * profile, run, and always close the store (its lock and pending writes) afterwards.
 */
export function withContext(io: CliIo, handler: Handler): (...params: unknown[]) => Promise<void> {
  return async (...params) => {
    const command = params.at(-1) as Command
    const opts = command.optsWithGlobals<Options>()
    const args = command.args
    const ctx = await openContext(
      {
        dataDir: opts.dataDir as string | undefined,
        profile: opts.profile as string | undefined,
        region: opts.region as Region | undefined,
      },
      io,
    )
    try {
      await handler(ctx, opts, args)
    } finally {
      io.done()
      await ctx.close()
    }
  }
}
