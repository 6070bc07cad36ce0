// What the reception desk sends and shows: the body of a proxy ticket, a
// line's wait in words, and the ledger's entry form. The server checks
// everything again and names any bad field.

export interface Choice { code: string; label: string }
export interface Choices { green_reasons: Choice[]; assist_kinds: Choice[]; assist_results: Choice[] }

export interface LineQueue { line_id: string; prefix: string; name: string; waiting: number; next: string[]; wait_minutes: number; open_windows: number }
export interface QueueView { day: string; lines: LineQueue[]; serving: [string, string][] }

export interface Assist {
  id: string; at: string; kind: string; kind_label: string; citizen_name: string; citizen_phone: string | null
  item_code: string | null; item_name: string; ticket_number: string | null; helper_name: string
  result: string; result_label: string; note: string
}

export interface TicketForm { line: string; idNumber: string; phone: string; green: boolean; greenReason: string }

/** A ticket taken at the desk for a citizen (代取号); the green channel only with its class. */
export function proxyTicketBody(f: TicketForm): Record<string, unknown> {
  return {
    line: f.line,
    channel: 'proxy',
    green: f.green,
    green_reason: f.green ? f.greenReason || null : null,
    id_number: f.idNumber.trim() || null,
    phone: f.phone.trim() || null,
  }
}

/** How a line stands, in a few words. */
export function lineState(l: LineQueue): string {
  if (!l.open_windows) return `等候 ${l.waiting} 人 · 暂无窗口在岗`
  if (!l.waiting) return '无人等候，可直接办理'
  return `等候 ${l.waiting} 人 · 约 ${l.wait_minutes} 分钟`
}

export interface AssistForm { kind: string; citizenName: string; phone: string; item: string; itemName: string; ticket: string; result: string; note: string }

export function emptyAssist(): AssistForm {
  return { kind: 'help', citizenName: '', phone: '', item: '', itemName: '', ticket: '', result: 'in_progress', note: '' }
}

/** A ledger entry: a catalog matter by its code, else the matter in words. */
export function assistBody(f: AssistForm): Record<string, unknown> {
  return {
    kind: f.kind,
    citizen_name: f.citizenName,
    citizen_phone: f.phone.trim() || null,
    item: f.item || null,
    item_name: f.item ? null : f.itemName.trim() || null,
    ticket_number: f.ticket.trim() || null,
    result: f.result,
    note: f.note.trim() || null,
  }
}
