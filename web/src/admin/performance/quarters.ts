// Quarters as the pages pick them: `2026-Q4`, in the hall's time zone.

/** The quarter holding today in Asia/Shanghai. */
export function thisQuarter(): string {
  const now = new Date(Date.now() + 8 * 3600_000)
  return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`
}

/** `key` moved by `n` quarters. */
export function shiftQuarter(key: string, n: number): string {
  const [y, q] = key.split('-Q').map(Number)
  const index = y * 4 + (q - 1) + n
  return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`
}

/** Two quarters back, this one and the next: what the pickers offer. */
export function quarterChoices(): string[] {
  const now = thisQuarter()
  return [shiftQuarter(now, 1), now, shiftQuarter(now, -1), shiftQuarter(now, -2)]
}

const NUMBERS = ['一', '二', '三', '四']
export function quarterLabel(key: string): string {
  const [y, q] = key.split('-Q').map(Number)
  return `${y}年第${NUMBERS[q - 1]}季度`
}
