// Times are stored in UTC and shown in the hall's time zone.
const fmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
})

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? '' : fmt.format(d)
}

const clock = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })
const clockShort = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false })

/** Time of day in the hall's time zone: `09:41:07`, or `09:41` when `short`. */
export function formatClock(iso: string | null | undefined, short = false): string {
  if (!iso) return ''
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? '' : (short ? clockShort : clock).format(d)
}

export const PRODUCT_NAME = 'govhall 政务服务中心一体化平台'

/** A line's expected wait as citizens read it; before any window serving it
 *  is staffed there is nothing to estimate from, so say so instead. */
export function waitText(line: { wait_minutes: number; open_windows: number }): string {
  return line.open_windows > 0 ? `约 ${line.wait_minutes} 分钟` : '窗口尚未开放'
}

/** A case number as people read it aloud: groups of four from the end
 *  (the server's `numbering::readable`). */
export function readableNumber(number: string): string {
  const head = number.length % 4
  const groups = head ? [number.slice(0, head)] : []
  for (let i = head; i < number.length; i += 4) groups.push(number.slice(i, i + 4))
  return groups.join(' ')
}

/** The hall's calendar day now, `YYYY-MM-DD` (China has no daylight saving). */
export function today(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
}
