import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  plugins: [vue()],
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/setup/keyring.ts'],
    // Browser tests share two cores with Chromium and the harness: give them room under load.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
})
