import { describe, expect, it } from 'vitest'
import { isQuiet } from './quiet-hours'

/** Local time, as the user sets quiet hours. */
const at = (hh: number, mm = 0) => new Date(2026, 7, 20, hh, mm)

describe('isQuiet', () => {
  it.each<[string, string, [number, number], boolean]>([
    ['22:00', '07:00', [21, 59], false],
    ['22:00', '07:00', [22, 0], true],
    ['22:00', '07:00', [23, 59], true],
    ['22:00', '07:00', [0, 0], true],
    ['22:00', '07:00', [6, 59], true],
    ['22:00', '07:00', [7, 0], false],
    ['09:00', '17:30', [8, 59], false],
    ['09:00', '17:30', [9, 0], true],
    ['09:00', '17:30', [17, 29], true],
    ['09:00', '17:30', [17, 30], false],
    ['00:00', '00:00', [12, 0], false],
    ['08:00', '08:00', [8, 0], false],
    ['23:59', '00:00', [23, 59], true],
    ['23:59', '00:00', [0, 0], false],
  ])('%s–%s at %j: %s', (start, end, [hh, mm], quiet) => {
    expect(isQuiet({ start, end }, at(hh, mm))).toBe(quiet)
  })

  it('no quiet hours: never quiet', () => {
    expect(isQuiet(null, at(3))).toBe(false)
  })
})
