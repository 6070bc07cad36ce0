// The signed-in user and the hall being administered, shared by all admin pages.
import { reactive } from 'vue'
import { api } from '../shared/api'

export interface Me {
  id: string
  username: string
  display_name: string
  roles: { code: string; label: string }[]
  permissions: string[]
  hall_id: string | null
  must_change_password: boolean
  must_enroll_totp: boolean
  totp_enabled: boolean
}

export interface Hall {
  id: string
  code: string
  name: string
  region_code: string
  address: string
  opens_at: string
  closes_at: string
  hours_note: string
}

export const session = reactive({
  me: null as Me | null,
  halls: [] as Hall[],
  hallId: '' as string,
  /** The object another page asked to open here (a case id from the audit log). */
  focus: '' as string,
})

/** Opens an admin page, and in it the object `focus` (e.g. a case id). */
export function navigate(page: string, focus = ''): void {
  session.focus = focus
  window.location.hash = page
}

export function can(permission: string): boolean {
  return session.me?.permissions.includes(permission) ?? false
}

export function currentHall(): Hall | undefined {
  return session.halls.find((h) => h.id === session.hallId)
}

export async function loadHalls(): Promise<void> {
  session.halls = await api.get<Hall[]>('/api/v1/halls')
  if (!session.halls.some((h) => h.id === session.hallId)) session.hallId = session.halls[0]?.id ?? ''
}
