// Which hall a terminal belongs to: `?hall=<code or id>`, else the first hall
// the server serves.
import { api } from './api'

export interface PublicHall {
  id: string
  code: string
  name: string
  region_code: string
  address: string
  opens_at: string
  closes_at: string
  hours_note: string
}

export interface PublicWindow {
  code: string
  name: string
  kind: string
  kind_label: string
  status: string
  status_label: string
  area_name: string | null
}

export interface PublicHallDetail {
  hall: PublicHall
  areas: { name: string; floor: string | null }[]
  windows: PublicWindow[]
}

export function hallKeyFromUrl(search: string = window.location.search): string | null {
  const key = new URLSearchParams(search).get('hall')
  return key && key.trim() ? key.trim() : null
}

export async function loadTerminalHall(): Promise<PublicHallDetail> {
  let key = hallKeyFromUrl()
  if (!key) {
    const halls = await api.get<PublicHall[]>('/api/v1/public/halls')
    if (halls.length === 0) throw new Error('服务器上还没有配置任何大厅，请先在管理后台创建大厅')
    key = halls[0].code
  }
  return api.get<PublicHallDetail>(`/api/v1/public/halls/${encodeURIComponent(key)}`)
}
