import { describe, expect, it } from 'vitest'
import { Tracker, watchedTo } from './tracker'

describe('Tracker', () => {
  it('joins ticks at playing pace into one stretch and reports it once', () => {
    const t = new Tracker()
    for (let p = 0; p <= 10; p += 0.25) t.tick(p)
    expect(t.take()).toEqual([[0, 10]])
    for (let p = 10.25; p <= 12; p += 0.25) t.tick(p)
    // The next report starts where the last one was cut: no overlap.
    expect(t.take()).toEqual([[10, 12]])
  })

  it('splits at a seek and does not count the jump', () => {
    const t = new Tracker()
    for (let p = 0; p <= 5; p += 0.25) t.tick(p)
    t.close()
    for (let p = 60; p <= 62; p += 0.25) t.tick(p)
    expect(t.take()).toEqual([[0, 5], [60, 62]])
  })

  it('a jump backwards opens a new stretch, joined into the one it overlaps', () => {
    const t = new Tracker()
    for (let p = 0; p <= 8; p += 0.5) t.tick(p)
    for (let p = 2; p <= 4; p += 0.5) t.tick(p)
    expect(t.take()).toEqual([[0, 8]])
  })

  it('watchedTo follows the gapless part from the start', () => {
    expect(watchedTo([[0, 10], [10.3, 20], [30, 40]])).toBe(20)
    expect(watchedTo([[5, 10]])).toBe(0)
  })
})
