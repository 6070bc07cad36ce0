// What the 80 mm slip carries: the number, the line, people ahead, the
// estimate, and a QR code that opens the ticket on the holder's phone (the
// token rides in the URL fragment, which browsers never send to a server).
export { qrDataUrl } from '../../shared/qr'

export interface IssuedTicket {
  ticket: {
    id: string; number: string; line_name: string; ahead: number; quoted_wait: number | null
    issued_at: string; class: string; green_reason: string | null; green_label: string | null; appointment_slot: string | null
  }
  token: string
}

export function followUrl(origin: string, hall: string, t: IssuedTicket): string {
  const q = new URLSearchParams({ hall, ticket: t.ticket.id })
  return `${origin}/mobile/?${q.toString()}#token=${encodeURIComponent(t.token)}`
}
