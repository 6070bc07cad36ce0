// The tickets and bookings taken on this phone, newest first (their tokens
// are kept under their own keys).
export interface Mine { kind: 'ticket' | 'appointment'; id: string; label: string }

const KEY = 'govhall.mine'

export function mine(): Mine[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]')
    return Array.isArray(v) ? v : []
  } catch {
    return []
  }
}

export function remember(m: Mine): void {
  const list = [m, ...mine().filter((x) => x.id !== m.id)].slice(0, 20)
  localStorage.setItem(KEY, JSON.stringify(list))
}
