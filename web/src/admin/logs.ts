// How the audit log and the event log name the object of an entry, and which
// admin page opens it. The server gives the action in Chinese (`summary`);
// these add "which one" from the payload or the request path.

/** A readable name of what an event is about: number, name, code, in that order. */
export function objectOf(payload: Record<string, unknown> | null | undefined): string {
  const p = payload ?? {}
  const text = (k: string) => (typeof p[k] === 'string' || typeof p[k] === 'number' ? String(p[k]) : '')
  const parts = [text('number'), text('item_name') || text('task_name') || text('name') || text('display_name'), text('code') || text('employee_no') || text('username')]
  return parts.filter(Boolean).join(' ')
}

/** The admin page (and object id) an entry links to, when there is one. */
export interface Link { page: string; id: string; label: string }

/** From an event: a case's events open the case. */
export function eventLink(eventType: string, payload: Record<string, unknown> | null | undefined): Link | null {
  const id = payload?.case_id ?? (eventType.startsWith('cases.case.') ? payload?.id : undefined)
  return typeof id === 'string' && id ? { page: 'cases', id, label: '查看办件' } : null
}

/** From an audit entry: the route template and the path called give the object's id. */
export function auditLink(action: string, target: string): Link | null {
  const template = action.split(' ')[1] ?? ''
  const t = template.split('/')
  const p = target.split('?')[0].split('/')
  const at = t.findIndex((s, i) => s === 'cases' && t[i + 1] === '{id}')
  if (at < 0 || t.length !== p.length || !p[at + 1]) return null
  return { page: 'cases', id: decodeURIComponent(p[at + 1]), label: '查看办件' }
}
