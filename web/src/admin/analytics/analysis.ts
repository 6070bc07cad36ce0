// The analysis page's rules, kept out of the component so they can be tested:
// the period presets, the drill-down path, value formatting and colouring,
// and the chart built from a query's rows.
import type { IndicatorDto, QueryOutput, Row } from '../../shared/api-types'

export const DIMENSION_LABELS: Record<string, string> = {
  hall: '大厅',
  area: '区域',
  department: '部门',
  window: '窗口',
  staff: '人员',
  line: '队列',
  matter: '事项',
  bundle: '一件事',
  channel: '渠道',
}

export const GRAIN_LABELS: Record<string, string> = {
  total: '合计',
  hour: '按小时',
  day: '按日',
  week: '按周',
  month: '按月',
  quarter: '按季度',
  year: '按年',
}

/** Drill-down order: each click on a row narrows to it and breaks down by the next. */
export const DRILL = ['department', 'window', 'staff'] as const

/** The day in the hall's time zone (Asia/Shanghai), `YYYY-MM-DD`. */
export function hallDay(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(now)
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

function monthStart(day: string, back = 0): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`)
  d.setUTCMonth(d.getUTCMonth() - back)
  return d.toISOString().slice(0, 10)
}

export const PRESETS = [
  { key: 'today', label: '今天' },
  { key: 'yesterday', label: '昨天' },
  { key: '7d', label: '近7天' },
  { key: '30d', label: '近30天' },
  { key: 'month', label: '本月' },
  { key: 'last_month', label: '上月' },
  { key: 'quarter', label: '本季度' },
  { key: 'year', label: '今年' },
] as const

/** The inclusive `[from, to]` of a preset, counted from `today`. */
export function presetRange(key: string, today: string): [string, string] {
  switch (key) {
    case 'today':
      return [today, today]
    case 'yesterday':
      return [addDays(today, -1), addDays(today, -1)]
    case '7d':
      return [addDays(today, -6), today]
    case '30d':
      return [addDays(today, -29), today]
    case 'month':
      return [monthStart(today), today]
    case 'last_month':
      return [monthStart(today, 1), addDays(monthStart(today), -1)]
    case 'quarter': {
      const m = Number(today.slice(5, 7))
      const q = `${today.slice(0, 4)}-${String(m - ((m - 1) % 3)).padStart(2, '0')}-01`
      return [q, today]
    }
    case 'year':
      return [`${today.slice(0, 4)}-01-01`, today]
    default:
      throw new Error(`unknown preset ${key}`)
  }
}

export interface DrillStep {
  dimension: string
  id: string
  label: string
}

/** The dimension to break down by after the drill path `path`, starting from
 *  the user's scope; `null` once the path reaches a person (then a click lists
 *  the records behind the number). */
export function nextDimension(scope: string, path: DrillStep[]): string | null {
  const start = scope === 'staff' ? DRILL.length : scope === 'department' ? 1 : 0
  const done = path.filter((s) => (DRILL as readonly string[]).includes(s.dimension)).map((s) => DRILL.indexOf(s.dimension as (typeof DRILL)[number]))
  const after = Math.max(start, ...done.map((i) => i + 1))
  return after < DRILL.length ? DRILL[after] : null
}

/** A figure as shown: counts whole, others to one decimal, with the unit. */
export function formatValue(v: number | null | undefined, unit: string): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—'
  const whole = ['张', '件', '条', '次', '个'].includes(unit)
  const n = whole ? Math.round(v).toLocaleString('zh-CN') : v.toLocaleString('zh-CN', { maximumFractionDigits: 1, minimumFractionDigits: 1 })
  return unit === '%' ? `${n}%` : `${n} ${unit}`
}

/** Change against the comparison period, as a share (0.1 = +10 %); `null` when it cannot be computed. */
export function change(v: number | null | undefined, before: number | null | undefined): number | null {
  if (v === null || v === undefined || before === null || before === undefined || before === 0) return null
  return (v - before) / Math.abs(before)
}

/** `good`/`bad`/`flat` for a change, by which way the indicator is better. */
export function trend(ind: Pick<IndicatorDto, 'better'>, delta: number | null): 'good' | 'bad' | 'flat' {
  if (delta === null || Math.abs(delta) < 0.005 || ind.better === 'neither') return 'flat'
  return (delta > 0) === (ind.better === 'higher') ? 'good' : 'bad'
}

/** A row's label along the requested dimensions (“不动产登记中心 / 3号窗口”). */
export function rowLabel(out: Pick<QueryOutput, 'dimensions'>, row: Row): string {
  const parts = out.dimensions.map((d) => row.members[d]?.label ?? '')
  if (row.period !== null && row.period !== undefined) parts.push(periodLabel(row.period))
  return parts.filter(Boolean).join(' / ') || '合计'
}

/** Hour buckets come as `0`…`23`; everything else is shown as it is. */
export function periodLabel(p: string): string {
  return /^\d{1,2}$/.test(p) ? `${p.padStart(2, '0')}时` : p
}

const PALETTE = ['#2f6bff', '#12b886', '#f59f00', '#e8590c', '#7048e8', '#0c8599', '#c2255c', '#5c940d']

/** The chart for one indicator of a query: a series over time (one line per
 *  member, the largest eight), or bars per member, with the comparison period
 *  beside when there is one. */
export function chartOption(out: QueryOutput, key: string): Record<string, unknown> {
  const ind = out.indicators.find((i) => i.key === key)
  const name = ind ? `${ind.name}（${ind.unit}）` : key
  const members = (r: Row) => out.dimensions.map((d) => r.members[d]?.label ?? '').join(' / ') || '合计'
  const base = {
    color: PALETTE,
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => formatValue(v, ind?.unit ?? '') },
    grid: { left: 56, right: 24, top: 40, bottom: 60, containLabel: true },
    legend: { top: 0, type: 'scroll' },
  }
  if (out.grain !== 'total') {
    const periods = [...new Set(out.rows.map((r) => r.period ?? ''))].sort((a, b) => (/^\d+$/.test(a) && /^\d+$/.test(b) ? Number(a) - Number(b) : a.localeCompare(b)))
    const totals = new Map<string, number>()
    for (const r of out.rows) totals.set(members(r), (totals.get(members(r)) ?? 0) + Math.abs(r.values[key] ?? 0))
    const top = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([m]) => m)
    const series = top.map((m) => ({
      name: out.dimensions.length ? m : name,
      type: 'line',
      smooth: true,
      showSymbol: periods.length < 40,
      data: periods.map((p) => out.rows.find((r) => members(r) === m && (r.period ?? '') === p)?.values[key] ?? null),
    }))
    if (out.compare_from && !out.dimensions.length) {
      series.push({
        name: `${name}（对比期）`,
        type: 'line',
        smooth: true,
        showSymbol: false,
        data: periods.map((p) => out.rows.find((r) => (r.period ?? '') === p)?.compare?.[key] ?? null),
        lineStyle: { type: 'dashed' },
      } as (typeof series)[number])
    }
    return { ...base, xAxis: { type: 'category', data: periods.map(periodLabel) }, yAxis: { type: 'value', name }, series }
  }
  const rows = [...out.rows].sort((a, b) => (b.values[key] ?? -Infinity) - (a.values[key] ?? -Infinity)).slice(0, 30)
  const series: Record<string, unknown>[] = [{ name, type: 'bar', barMaxWidth: 36, data: rows.map((r) => r.values[key] ?? null) }]
  if (out.compare_from) series.push({ name: '对比期', type: 'bar', barMaxWidth: 36, data: rows.map((r) => r.compare?.[key] ?? null), itemStyle: { opacity: 0.45 } })
  return {
    ...base,
    tooltip: { ...base.tooltip, axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: rows.map(members), axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', name },
    series,
    // The member each bar stands for, for drill-down on click.
    rowsInOrder: rows,
  }
}
