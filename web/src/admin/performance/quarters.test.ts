import { describe, expect, it } from 'vitest'
import { quarterLabel, shiftQuarter } from './quarters'

describe('quarters', () => {
  it('moves across years', () => {
    expect(shiftQuarter('2026-Q4', 1)).toBe('2027-Q1')
    expect(shiftQuarter('2026-Q1', -1)).toBe('2025-Q4')
    expect(shiftQuarter('2026-Q2', -2)).toBe('2025-Q4')
  })
  it('reads in Chinese', () => {
    expect(quarterLabel('2026-Q3')).toBe('2026年第三季度')
  })
})
