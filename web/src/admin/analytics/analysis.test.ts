import { describe, expect, it } from 'vitest'
import { change, chartOption, formatValue, hallDay, nextDimension, presetRange, trend } from './analysis'
import type { QueryOutput } from '../../shared/api-types'

describe('period presets', () => {
  it('count from the hall day', () => {
    expect(presetRange('yesterday', '2026-03-01')).toEqual(['2026-02-28', '2026-02-28'])
    expect(presetRange('7d', '2026-12-03')).toEqual(['2026-11-27', '2026-12-03'])
    expect(presetRange('last_month', '2026-01-15')).toEqual(['2025-12-01', '2025-12-31'])
    expect(presetRange('quarter', '2026-11-20')).toEqual(['2026-10-01', '2026-11-20'])
    expect(presetRange('year', '2026-11-20')).toEqual(['2026-01-01', '2026-11-20'])
  })
  it('take the day in Asia/Shanghai, not UTC', () => {
    expect(hallDay(new Date('2026-12-02T17:30:00Z'))).toBe('2026-12-03')
  })
})

describe('drill-down', () => {
  it('goes hall → department → window → staff and then to records', () => {
    expect(nextDimension('hall', [])).toBe('department')
    expect(nextDimension('hall', [{ dimension: 'department', id: 'd', label: '' }])).toBe('window')
    expect(nextDimension('hall', [{ dimension: 'department', id: 'd', label: '' }, { dimension: 'window', id: 'w', label: '' }])).toBe('staff')
    expect(nextDimension('hall', [{ dimension: 'staff', id: 's', label: '' }])).toBeNull()
  })
  it('starts a department head at windows and a clerk at their records', () => {
    expect(nextDimension('department', [])).toBe('window')
    expect(nextDimension('staff', [])).toBeNull()
  })
})

describe('figures', () => {
  it('are formatted by unit', () => {
    expect(formatValue(1234, '张')).toBe('1,234 张')
    expect(formatValue(12.345, '%')).toBe('12.3%')
    expect(formatValue(null, '分钟')).toBe('—')
  })
  it('are coloured by which way is better', () => {
    expect(trend({ better: 'lower' }, change(12, 10))).toBe('bad')
    expect(trend({ better: 'higher' }, change(12, 10))).toBe('good')
    expect(trend({ better: 'neither' }, change(12, 10))).toBe('flat')
    expect(change(5, 0)).toBeNull()
  })
})

describe('chart', () => {
  const ind = { key: 'wait_avg', name: '平均等候时长', unit: '分钟', better: 'lower' } as QueryOutput['indicators'][number]
  it('orders bars by value and keeps the rows for drill-down', () => {
    const out = {
      grain: 'total',
      dimensions: ['window'],
      indicators: [ind],
      rows: [
        { members: { window: { id: 'a', label: '1号' } }, values: { wait_avg: 3 } },
        { members: { window: { id: 'b', label: '2号' } }, values: { wait_avg: 9 } },
      ],
    } as unknown as QueryOutput
    const o = chartOption(out, 'wait_avg') as { xAxis: { data: string[] }; rowsInOrder: { members: { window: { id: string } } }[] }
    expect(o.xAxis.data).toEqual(['2号', '1号'])
    expect(o.rowsInOrder[0].members.window.id).toBe('b')
  })
  it('draws hours in numeric order', () => {
    const out = {
      grain: 'hour',
      dimensions: [],
      indicators: [ind],
      rows: ['10', '9', '14'].map((p) => ({ period: p, members: {}, values: { wait_avg: 1 } })),
    } as unknown as QueryOutput
    const o = chartOption(out, 'wait_avg') as { xAxis: { data: string[] } }
    expect(o.xAxis.data).toEqual(['09时', '10时', '14时'])
  })
})
