// The big screen's data: each widget is fetched on its own interval (and
// sooner when the live feed says something changed), keeps the time of its
// last good fetch for the freshness stamp, and keeps showing its last figures
// when a fetch fails — a screen on the wall never goes blank.
import { onUnmounted, ref, type Ref } from 'vue'
import { ApiError } from '../../shared/api'
import type { Widget } from '../../shared/api-types'
import { deviceRequest } from '../../shared/device'

export interface WidgetState {
  data: Ref<Widget | null>
  fetchedAt: Ref<Date | null>
  error: Ref<string>
  /** Refresh soon (debounced), e.g. after a live event. */
  poke: () => void
  /** Refresh now (the focus changed). */
  reload: () => void
}

/** The part of the hall the screen shows (its filter box): a department or an area, or neither. */
export interface Focus {
  department?: string
  area?: string
}

export interface Source {
  token: Ref<string | null>
  hall: string
  focus: Ref<Focus>
  onUnauthorized: () => void
}

/** The query string of a focus (`&department=…`), empty for the whole hall. */
export function focusQuery(f: Focus): string {
  return (['department', 'area'] as const)
    .filter((k) => f[k])
    .map((k) => `&${k}=${encodeURIComponent(f[k] as string)}`)
    .join('')
}

export function useWidget(src: Source, widget: string, everyMs: number): WidgetState {
  const data = ref<Widget | null>(null)
  const fetchedAt = ref<Date | null>(null)
  const error = ref('')
  let debounce: number | undefined
  const load = async () => {
    try {
      const hall = src.hall ? `&hall=${encodeURIComponent(src.hall)}` : ''
      const path = `/api/v1/analytics/screen?widget=${widget}${hall}${focusQuery(src.focus.value)}`
      data.value = await deviceRequest<Widget>(src.token.value, 'GET', path)
      fetchedAt.value = new Date()
      error.value = ''
    } catch (e) {
      error.value = e instanceof ApiError ? e.message : String(e)
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) src.onUnauthorized()
    }
  }
  load()
  const timer = window.setInterval(load, everyMs)
  onUnmounted(() => {
    window.clearInterval(timer)
    window.clearTimeout(debounce)
  })
  return {
    data,
    fetchedAt,
    error,
    poke: () => {
      window.clearTimeout(debounce)
      debounce = window.setTimeout(load, 1500)
    },
    reload: () => {
      window.clearTimeout(debounce)
      load()
    },
  }
}

/** A figure with its unit, as the screen shows it. */
export function big(v: number | null | undefined, unit: string): { n: string; unit: string } {
  if (v === null || v === undefined) return { n: '—', unit: '' }
  const whole = ['张', '件', '条', '次', '个'].includes(unit)
  return { n: whole ? Math.round(v).toLocaleString('zh-CN') : v.toFixed(1), unit }
}

/** The change against the comparison, arrow and percent, with its colour class. */
export function versus(f: { value?: number | null; compare?: number | null; better: string }): { text: string; cls: string } {
  const { value, compare } = f
  if (value === null || value === undefined || compare === null || compare === undefined) return { text: '上周同期 —', cls: 'flat' }
  if (compare === 0) return { text: value === 0 ? '与上周同期持平' : '上周同期 0', cls: 'flat' }
  const d = (value - compare) / Math.abs(compare)
  if (Math.abs(d) < 0.005) return { text: '与上周同期持平', cls: 'flat' }
  const good = f.better === 'neither' ? null : (d > 0) === (f.better === 'higher')
  return { text: `较上周同期 ${d > 0 ? '▲' : '▼'}${Math.abs(d * 100).toFixed(1)}%`, cls: good === null ? 'flat' : good ? 'good' : 'bad' }
}

export const stamp = (d: Date | null) =>
  d ? new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(d) : '—'
