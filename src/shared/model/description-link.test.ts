import { describe, expect, it } from 'vitest'
import { resolveDescriptionLink } from './description-link'

describe('resolveDescriptionLink', () => {
  it.each<[string | null | undefined, string | null]>([
    ['/anthropic/claude-opus-4.7', 'https://openrouter.ai/anthropic/claude-opus-4.7'],
    ['/rankings#task-spend', 'https://openrouter.ai/rankings#task-spend'],
    ['anthropic/claude', 'https://openrouter.ai/anthropic/claude'],
    ['https://openrouter.ai/docs', 'https://openrouter.ai/docs'],
    ['https://platform.claude.com/docs/en/fast-mode', 'https://platform.claude.com/docs/en/fast-mode'],
    ['  /qwen/qwen3.8-max  ', 'https://openrouter.ai/qwen/qwen3.8-max'],
    ['javascript:alert(1)', null],
    ['JavaScript:alert(1)', null],
    ['data:text/html,<script>1</script>', null],
    ['mailto:a@b.c', null],
    ['file:///etc/passwd', null],
    ['//evil.example/x', null],
    ['https://user:pw@openrouter.ai/', null],
    ['', null],
    [null, null],
    [undefined, null],
  ])('%s → %s', (href, expected) => {
    expect(resolveDescriptionLink(href)).toBe(expected)
  })
})
