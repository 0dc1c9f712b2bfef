import { defineConfig } from 'vitest/config'

/** `npm run test:electron` only (scripts/test-electron.mjs): the app in a real Electron binary. */
export default defineConfig({
  test: {
    include: ['test/electron/**/*.spec.ts'],
    // keytar in Electron and in this process talk to the same private Secret Service.
    globalSetup: ['test/setup/keyring.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
  },
})
