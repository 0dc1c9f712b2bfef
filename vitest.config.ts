import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

/**
 * Three kinds of test, each with what it needs and no more:
 * - unit: pure logic and glue with Electron mocked; no keyring, no browser, short timeouts, so
 *   `npx vitest run src/shared` (or `--project unit`) works on any machine.
 * - integration: services against real things (temp folders, loopback HTTP, child processes, the
 *   real keychain in a private gnome-keyring), packaging, the start path, the bench smoke.
 * - e2e: the renderer in Debian's Chromium through the harness.
 */
const KEYRING = ['test/setup/keyring.ts']

export default defineConfig({
  plugins: [vue()],
  test: {
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'],
          testTimeout: 10_000,
          hookTimeout: 10_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: KEYRING,
          // Child processes, builds and packaging share two cores: give them room under load.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          globalSetup: KEYRING,
          // Browser tests share two cores with Chromium and the harness.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
})
