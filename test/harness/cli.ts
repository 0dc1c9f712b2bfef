import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { startFakeOpenRouter, TEST_KEYS } from '../fake-openrouter/server'
import { startHarness } from './harness-server'
import { chromiumPath } from '../e2e/browser'

/**
 * `npm run harness`: the app in a browser against the fake OpenRouter, with a throwaway data
 * folder, so anyone can click through it with no key, no network and no Electron.
 * Test-only: nothing here ships.
 */
const dataDir = process.env.MODEL_DECK_HARNESS_DATA ?? mkdtempSync(join(tmpdir(), 'model-deck-harness-'))
const fake = await startFakeOpenRouter({ port: Number(process.env.FAKE_PORT ?? 0) })
const harness = await startHarness({ dataDir, apiBase: fake.url, port: Number(process.env.PORT ?? 5174) })

console.log(`Fake OpenRouter: ${fake.url}`)
console.log(`Data folder:     ${dataDir}`)
console.log(`Model Deck:      ${harness.url}`)
console.log(`A valid test key for Settings: ${TEST_KEYS.personal}`)
console.log('Press Ctrl+C to stop.')

if (!process.env.NO_BROWSER && (process.env.DISPLAY || process.platform !== 'linux')) {
  try {
    spawn(chromiumPath(), [`--app=${harness.url}`, `--user-data-dir=${join(dataDir, '.chromium')}`], {
      stdio: 'ignore',
      detached: true,
    }).unref()
  } catch {
    console.log('Open the address above in a browser.')
  }
}

const stop = async () => {
  await harness.close()
  await fake.close()
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())
