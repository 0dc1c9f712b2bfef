import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import type { Plugin, UserConfig } from 'vite'
import { CONTENT_SECURITY_POLICY_META } from './src/shared/csp'

/**
 * The renderer's build, shared by electron-vite (the app) and plain `vite build` (tests that build
 * into their own folder: `vite build -c vite.renderer.config.ts --outDir <dir>`).
 */
/** index.html's CSP <meta> comes from the one definition that main also sends as a header. */
const cspMeta: Plugin = {
  name: 'model-deck-csp-meta',
  transformIndexHtml: (html) => {
    if (!html.includes('%MODEL_DECK_CSP%'))
      throw new Error('index.html lost its %MODEL_DECK_CSP% placeholder')
    return html.replace('%MODEL_DECK_CSP%', CONTENT_SECURITY_POLICY_META)
  },
}

export const rendererConfig: UserConfig = {
  root: resolve(import.meta.dirname, 'src/renderer'),
  base: './',
  resolve: { alias: { '@renderer': resolve(import.meta.dirname, 'src/renderer/src') } },
  plugins: [vue(), cspMeta],
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
