// The typed events the terminals read, by type: the payload types come from
// the OpenAPI document (`api-types`, generated), the list from the server's
// event catalogue (`docs/events.json`; a unit test keeps the two in step).
import type * as Api from './api-types'
import type { FeedEvent } from './feed'

export interface EventPayloads {
  'directory.hall.created': Api.HallDto
  'directory.hall.updated': Api.HallDto
  'directory.area.created': Api.AreaDto
  'directory.area.updated': Api.AreaDto
  'directory.area.deleted': Api.Removed
  'directory.department.created': Api.DepartmentDto
  'directory.department.updated': Api.DepartmentDto
  'directory.department.deleted': Api.Removed
  'directory.staff.created': Api.StaffDto
  'directory.staff.updated': Api.StaffDto
  'directory.staff.deleted': Api.StaffRemoved
  'directory.staff.photo_set': Api.StaffPhoto
  'directory.staff.photo_removed': Api.StaffPhoto
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
  'queue.ticket.wechat_bound': Api.TicketWechatBound
  'queue.appointment.booked': Api.AppointmentBooked
  'queue.appointment.cancelled': Api.AppointmentCancelled
  'queue.rating.recorded': Api.RatingRecorded
  'queue.rectification.opened': Api.RectificationOpened
  'queue.rectification.advanced': Api.RectificationAdvanced
  'cases.case.received': Api.CaseEvent
  'cases.case.accepted': Api.CaseEvent
  'cases.case.correction_requested': Api.CaseEvent
  'cases.case.refused': Api.CaseEvent
  'cases.case.finished': Api.CaseEvent
  'cases.case.accept': Api.CaseEvent
  'cases.case.refuse': Api.CaseEvent
  'cases.case.request_correction': Api.CaseEvent
  'cases.case.hand_over': Api.CaseEvent
  'cases.case.sign_for': Api.CaseEvent
  'cases.case.start_special': Api.CaseEvent
  'cases.case.end_special': Api.CaseEvent
  'cases.case.decide': Api.CaseEvent
  'cases.case.return_result': Api.CaseEvent
  'cases.case.deliver': Api.CaseEvent
  'cases.case.withdraw': Api.CaseEvent
  'cases.case.material_supplemented': Api.CaseEvent
  'cases.case.material_forwarded': Api.CaseEvent
  'cases.case.material_received': Api.CaseEvent
  'cases.case.material_returned': Api.CaseEvent
  'cases.case.result_file_attached': Api.CaseEvent
  'cases.handover.created': Api.HandoverEvent
  'cases.handover.signed': Api.HandoverEvent
}

/** Each event type's payload schema name, as the catalogue lists it. */
export const PAYLOAD_SCHEMAS: Record<keyof EventPayloads, string> = {
  'directory.hall.created': 'HallDto',
  'directory.hall.updated': 'HallDto',
  'directory.area.created': 'AreaDto',
  'directory.area.updated': 'AreaDto',
  'directory.area.deleted': 'Removed',
  'directory.department.created': 'DepartmentDto',
  'directory.department.updated': 'DepartmentDto',
  'directory.department.deleted': 'Removed',
  'directory.staff.created': 'StaffDto',
  'directory.staff.updated': 'StaffDto',
  'directory.staff.deleted': 'StaffRemoved',
  'directory.staff.photo_set': 'StaffPhoto',
  'directory.staff.photo_removed': 'StaffPhoto',
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
  'queue.ticket.wechat_bound': 'TicketWechatBound',
  'queue.appointment.booked': 'AppointmentBooked',
  'queue.appointment.cancelled': 'AppointmentCancelled',
  'queue.rating.recorded': 'RatingRecorded',
  'queue.rectification.opened': 'RectificationOpened',
  'queue.rectification.advanced': 'RectificationAdvanced',
  'cases.case.received': 'CaseEvent',
  'cases.case.accepted': 'CaseEvent',
  'cases.case.correction_requested': 'CaseEvent',
  'cases.case.refused': 'CaseEvent',
  'cases.case.finished': 'CaseEvent',
  'cases.case.accept': 'CaseEvent',
  'cases.case.refuse': 'CaseEvent',
  'cases.case.request_correction': 'CaseEvent',
  'cases.case.hand_over': 'CaseEvent',
  'cases.case.sign_for': 'CaseEvent',
  'cases.case.start_special': 'CaseEvent',
  'cases.case.end_special': 'CaseEvent',
  'cases.case.decide': 'CaseEvent',
  'cases.case.return_result': 'CaseEvent',
  'cases.case.deliver': 'CaseEvent',
  'cases.case.withdraw': 'CaseEvent',
  'cases.case.material_supplemented': 'CaseEvent',
  'cases.case.material_forwarded': 'CaseEvent',
  'cases.case.material_received': 'CaseEvent',
  'cases.case.material_returned': 'CaseEvent',
  'cases.case.result_file_attached': 'CaseEvent',
  'cases.handover.created': 'HandoverEvent',
  'cases.handover.signed': 'HandoverEvent',
}

/** The payload of `e` when it is an event of `type`, typed; else null. */
export function payloadOf<K extends keyof EventPayloads>(e: FeedEvent, type: K): EventPayloads[K] | null {
  return e.event_type === type ? (e.payload as unknown as EventPayloads[K]) : null
}
