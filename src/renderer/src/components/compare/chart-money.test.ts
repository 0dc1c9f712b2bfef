import { describe, expect, it } from 'vitest'
import { chartUsd } from './chart-money'

describe('chart dollars fit an axis tick', () => {
  it.each([
    [0, '$0'],
    [0.05, '$0.05'],
    [0.000547, '$0.000547'],
    [250, '$250'],
    [999.5, '$999.5'],
    [1000, '$1K'],
    [1500, '$1.5K'],
    [30_000_000, '$30M'],
    [10_000_000, '$10M'],
    [130_800_000, '$130.8M'],
    [2_500_000_000, '$2.5B'],
  ])('%d → %s', (value, text) => {
    expect(chartUsd(value)).toBe(text)
  })
})
