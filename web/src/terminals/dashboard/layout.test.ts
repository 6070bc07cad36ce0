import { describe, expect, it } from 'vitest'
import { fit, floorDensity, parseRotation, shown, untilDailyReload } from './layout'

describe('the big screen fits any display', () => {
  it('scales 1920×1080 to 4K exactly', () => {
    expect(fit(3840, 2160, 2)).toEqual({ panes: 1, scale: 2, left: 0, top: 0 })
  })
  it('letterboxes 1366×768 without cropping', () => {
    const f = fit(1366, 768, 2)
    expect(f.panes).toBe(1)
    expect(1920 * f.scale).toBeLessThanOrEqual(1366)
    expect(1080 * f.scale).toBeLessThanOrEqual(768)
  })
  it('puts screens side by side on an LED wall', () => {
    expect(fit(5760, 1080, 2)).toMatchObject({ panes: 2, scale: 1080 / 1080 })
    expect(fit(5760, 1080, 3)).toMatchObject({ panes: 3, scale: 1, left: 0 })
  })
  it('rotates the rest through the panes', () => {
    expect(shown(['a', 'b', 'c'], 1, 0)).toEqual(['a'])
    expect(shown(['a', 'b', 'c'], 1, 4)).toEqual(['b'])
    expect(shown(['a', 'b'], 2, 5)).toEqual(['a', 'b'])
  })
})

describe('rotation and reload', () => {
  it('reads the screens and the interval from the URL', () => {
    expect(parseRotation(new URLSearchParams('screens=effect,bogus&rotate=5'), ['live', 'effect'])).toEqual({ screens: ['effect'], seconds: 10 })
    expect(parseRotation(new URLSearchParams(''), ['live', 'effect'])).toEqual({ screens: ['live', 'effect'], seconds: 30 })
  })
  it('reloads at 04:00 in the hall', () => {
    // 2026-12-03 03:00 in Xi'an is 2026-12-02 19:00 UTC.
    expect(untilDailyReload(new Date('2026-12-02T19:00:00Z'))).toBe(3600_000)
    expect(untilDailyReload(new Date('2026-12-02T21:00:00Z'))).toBe(23 * 3600_000)
  })
})

describe('the floor plan', () => {
  it('packs tiles closer as the hall grows, so every window stays on the screen', () => {
    expect(floorDensity(30)).toBe('full')
    expect(floorDensity(36)).toBe('full')
    expect(floorDensity(60)).toBe('compact')
    expect(floorDensity(72)).toBe('compact')
    expect(floorDensity(110)).toBe('dense')
  })
})
