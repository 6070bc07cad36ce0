import { describe, expect, it } from 'vitest'
import { parseScope, showsLine, showsWindow } from './scope'

describe('screen scope', () => {
  it('covers everything without parameters', () => {
    const s = parseScope(new URLSearchParams(''))
    expect(showsLine(s, 'A')).toBe(true)
    expect(showsWindow(s, '30')).toBe(true)
  })
  it('reads line prefixes and window ranges', () => {
    const s = parseScope(new URLSearchParams('lines=a,B&windows=01-03,25'))
    expect(showsLine(s, 'A')).toBe(true)
    expect(showsLine(s, 'C')).toBe(false)
    expect([...s.windows!]).toEqual(['01', '02', '03', '25'])
    expect(showsWindow(s, '04')).toBe(false)
  })
})
