declare const __MODEL_DECK_VERSION__: string | undefined

/** Set by scripts/build-cli.mjs from package.json; a dev run from source reports itself as such. */
export const VERSION: string =
  typeof __MODEL_DECK_VERSION__ === 'string' ? __MODEL_DECK_VERSION__ : '0.0.0-dev'
