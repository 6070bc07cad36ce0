import { describe, expect, it } from 'vitest'
import { Announcer, callClips, callText, numberClips, numberText } from './voice'

describe('call announcements', () => {
  it('reads window numbers the way a hall does', () => {
    expect(numberText(5)).toBe('五')
    expect(numberText(10)).toBe('十')
    expect(numberText(12)).toBe('十二')
    expect(numberText(20)).toBe('二十')
    expect(numberText(23)).toBe('二十三')
    expect(numberClips(105)).toEqual(['1', '0', '5'])
  })

  it('spells the ticket digit by digit and names the window', () => {
    expect(callClips('A023', '05')).toEqual(['chime', 'please', 'A', '0', '2', '3', 'hao', 'to', '5', 'window'])
    expect(callText('A023', '05')).toBe('请A023号到5号窗口办理')
    expect(callClips('b7', 'C2')).toEqual(['chime', 'please', 'B', '7', 'hao', 'to', 'C', '2', 'window'])
  })

  it('queues in order, drops a repeat still waiting, and stays silent when asked', async () => {
    const a = new Announcer(['/voice/zh-CN/'], true)
    a.enqueue('t1:1', '请A001号到1号窗口办理', callClips('A001', '1'))
    a.enqueue('t1:1', '请A001号到1号窗口办理', callClips('A001', '1'))
    a.enqueue('t2:1', '请A002号到2号窗口办理', callClips('A002', '2'))
    await new Promise((r) => setTimeout(r, 10))
    expect(a.log.map((x) => [x.key, x.status])).toEqual([
      ['t1:1', 'silent'],
      ['t2:1', 'silent'],
    ])
    // A recall is a new announcement of the same ticket.
    a.enqueue('t1:2', '请A001号到1号窗口办理', callClips('A001', '1'))
    await new Promise((r) => setTimeout(r, 10))
    expect(a.log).toHaveLength(3)
  })
})
