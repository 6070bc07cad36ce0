// ECharts options in the big screen's style: light text on dark, thin axes,
// glowing gradients. Built from a widget's categories and series.
import type { Widget } from '../../shared/api-types'

const TEXT = '#9cc3ee'
const GRID_LINE = 'rgba(100, 160, 255, 0.12)'
export const COLORS = ['#3fa9ff', '#35e0a1', '#ffb547', '#ff6b6b', '#a78bfa']

const axis = (data?: string[]) => ({
  type: data ? 'category' : 'value',
  data,
  axisLine: { lineStyle: { color: 'rgba(120,170,255,0.35)' } },
  axisTick: { show: false },
  axisLabel: { color: TEXT, fontSize: 14 },
  splitLine: { show: !data, lineStyle: { color: GRID_LINE } },
})

const gradient = (c: string) => ({
  type: 'linear',
  x: 0,
  y: 0,
  x2: 0,
  y2: 1,
  colorStops: [
    { offset: 0, color: `${c}88` },
    { offset: 1, color: `${c}05` },
  ],
})

const BAR = { type: 'linear', x: 0, y: 0, x2: 0, y2: 1, colorStops: [{ offset: 0, color: '#4fd1ff' }, { offset: 1, color: '#1d4fd8' }] }

/** Filled lines over time (the 30-day trend); `zoomed` starts the axis near the lowest value (a rate around 95 %). */
export function area(w: Widget, labels: (c: string) => string, zoomed = false): Record<string, unknown> {
  return {
    ...base(),
    xAxis: axis(w.categories.map(labels)),
    yAxis: zoomed ? { ...axis(), min: (v: { min: number }) => Math.max(0, Math.floor(v.min / 5) * 5 - 5) } : axis(),
    series: w.series.map((s, i) => ({ name: s.name, type: 'line', smooth: true, showSymbol: false, data: s.values, lineStyle: { width: 2 }, areaStyle: { color: gradient(COLORS[i]) } })),
  }
}

const base = () => ({
  color: COLORS,
  backgroundColor: 'transparent',
  textStyle: { fontFamily: 'Noto Sans CJK SC, sans-serif' },
  tooltip: { trigger: 'axis', backgroundColor: 'rgba(6,24,56,0.92)', borderColor: '#2f6bff', textStyle: { color: '#e6f3ff' } },
  legend: { top: 0, right: 0, textStyle: { color: TEXT, fontSize: 14 }, itemWidth: 14, itemHeight: 8 },
  grid: { left: 8, right: 12, top: 34, bottom: 4, containLabel: true },
})

/** Lines over the categories; `areas` fills under the first series; a series named in `right` uses a second axis. */
export function lines(w: Widget, labels: (c: string) => string, right: string[] = []): Record<string, unknown> {
  return {
    ...base(),
    xAxis: axis(w.categories.map(labels)),
    yAxis: right.length ? [axis(), { ...axis(), splitLine: { show: false } }] : axis(),
    series: w.series.map((s, i) => ({
      name: s.name,
      type: right.includes(s.name) ? 'line' : i === 0 ? 'bar' : 'line',
      yAxisIndex: right.includes(s.name) ? 1 : 0,
      smooth: true,
      symbol: 'circle',
      symbolSize: 6,
      barMaxWidth: 18,
      data: s.values,
      lineStyle: { width: 2, type: s.name.startsWith('上周') ? 'dashed' : 'solid' },
      itemStyle: i === 0 && !right.includes(s.name) ? { color: BAR, borderRadius: [3, 3, 0, 0] } : undefined,
    })),
  }
}

/** Horizontal bars, largest on top (top matters, departments). */
export function ranking(w: Widget): Record<string, unknown> {
  const cats = [...w.categories].reverse()
  return {
    ...base(),
    tooltip: { ...base().tooltip, axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 48, top: w.series.length > 1 ? 30 : 4, bottom: 4, containLabel: true },
    legend: { ...base().legend, show: w.series.length > 1 },
    xAxis: { ...axis(), axisLabel: { show: false } },
    yAxis: { ...axis(cats), axisLabel: { color: '#d6e8ff', fontSize: 15, width: 230, overflow: 'truncate' } },
    series: w.series.map((s, i) => ({
      name: s.name,
      type: 'bar',
      barMaxWidth: 16,
      barGap: '30%',
      data: [...s.values].reverse(),
      label: { show: true, position: 'right', color: '#e6f3ff', fontSize: 14 },
      itemStyle: {
        borderRadius: [0, 8, 8, 0],
        color: { type: 'linear', x: 0, y: 0, x2: 1, y2: 0, colorStops: [{ offset: 0, color: `${COLORS[i === 0 ? 0 : 3]}33` }, { offset: 1, color: COLORS[i === 0 ? 0 : 3] }] },
      },
    })),
  }
}
