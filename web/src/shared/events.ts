// The typed events the terminals read, by type: the payload types come from
// the OpenAPI document (`api-types`, generated), the list from the server's
// event catalogue (`docs/events.json`; a unit test keeps the two in step).
import type * as Api from './api-types'
import type { FeedEvent } from './feed'

export interface EventPayloads {
  'directory.window.created': Api.WindowDto
  'directory.window.updated': Api.WindowDto
  'directory.window.deleted': Api.WindowDeleted
  'directory.window.paused': Api.WindowDto
  'directory.window.resumed': Api.WindowDto
  'directory.window.signed_in': Api.WindowSignedIn
  'directory.window.signed_out': Api.WindowSignedOut
  'queue.ticket.issued': Api.TicketIssued
  'queue.ticket.called': Api.TicketCalled
  'queue.ticket.recalled': Api.TicketAtWindow
  'queue.ticket.started': Api.TicketAtWindow
  'queue.ticket.finished': Api.TicketAtWindow
  'queue.ticket.no_show': Api.TicketAtWindow
  'queue.ticket.parked': Api.TicketAtWindow
  'queue.ticket.resumed': Api.TicketAtWindow
  'queue.ticket.transferred': Api.TicketAtWindow
  'queue.ticket.cancelled': Api.TicketCancelled
  'queue.day.closed': Api.DayClosed
}

/** Each event type's payload schema name, as the catalogue lists it. */
export const PAYLOAD_SCHEMAS: Record<keyof EventPayloads, string> = {
  'directory.window.created': 'WindowDto',
  'directory.window.updated': 'WindowDto',
  'directory.window.deleted': 'WindowDeleted',
  'directory.window.paused': 'WindowDto',
  'directory.window.resumed': 'WindowDto',
  'directory.window.signed_in': 'WindowSignedIn',
  'directory.window.signed_out': 'WindowSignedOut',
  'queue.ticket.issued': 'TicketIssued',
  'queue.ticket.called': 'TicketCalled',
  'queue.ticket.recalled': 'TicketAtWindow',
  'queue.ticket.started': 'TicketAtWindow',
  'queue.ticket.finished': 'TicketAtWindow',
  'queue.ticket.no_show': 'TicketAtWindow',
  'queue.ticket.parked': 'TicketAtWindow',
  'queue.ticket.resumed': 'TicketAtWindow',
  'queue.ticket.transferred': 'TicketAtWindow',
  'queue.ticket.cancelled': 'TicketCancelled',
  'queue.day.closed': 'DayClosed',
}

/** The payload of `e` when it is an event of `type`, typed; else null. */
export function payloadOf<K extends keyof EventPayloads>(e: FeedEvent, type: K): EventPayloads[K] | null {
  return e.event_type === type ? (e.payload as unknown as EventPayloads[K]) : null
}
