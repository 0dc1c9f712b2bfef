import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import type { UserConfig } from 'vite'

/**
 * The renderer's build, shared by electron-vite (the app) and plain `vite build` (tests that build
 * into their own folder: `vite build -c vite.renderer.config.ts --outDir <dir>`).
 */
export const rendererConfig: UserConfig = {
  root: resolve(import.meta.dirname, 'src/renderer'),
  base: './',
  resolve: { alias: { '@renderer': resolve(import.meta.dirname, 'src/renderer/src') } },
  plugins: [vue()],
  // Every component is <script setup>: without the Options API, Vue's runtime is smaller and starts faster.
  define: { __VUE_OPTIONS_API__: 'false' },
  build: {
    outDir: resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    sourcemap: false,
    // electron-vite leaves the renderer unminified; a smaller bundle parses faster on first paint.
    minify: true,
    rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') } },
  },
}

export default rendererConfig
