/** The four examples of issue 14, offered as starting points in the rule form. */
export interface WatchPreset {
  name: string
  expr: string
}

export const WATCH_PRESETS: readonly WatchPreset[] = [
  { name: 'New model with tools under $1/1M prompt', expr: 'event:added, param:tools, prompt<=1' },
  { name: 'Any price change of anthropic/claude-*', expr: 'event:price, model:anthropic/claude-*' },
  { name: 'A starred model leaves my allowed set', expr: 'starred, event:allowed-left' },
  { name: 'A starred model gets an expiration date', expr: 'starred, event:expiration' },
]
