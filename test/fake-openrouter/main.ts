import { startFakeOpenRouter } from './server'

/** `PORT=8787 <ts runner> test/fake-openrouter/main.ts`: prints the base URL for MODEL_DECK_API_BASE. */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 0)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a TCP port number, got "${process.env.PORT}"`)
  }
  const server = await startFakeOpenRouter({ port })
  process.stdout.write(`${server.url}\n`)
  const shutdown = (): void => {
    void server.close().then(() => process.exit(0))
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

main().catch((err: unknown) => {
  process.stderr.write(
    `fake OpenRouter failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
  )
  process.exit(1)
})
