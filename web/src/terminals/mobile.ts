import { createApp, h } from 'vue'
import './mobile/mobile.css'
import TicketPage from './mobile/TicketPage.vue'
import AppointmentPage from './mobile/AppointmentPage.vue'
import MobileHome from './mobile/MobileHome.vue'
import CasePage from './mobile/CasePage.vue'
import JointPage from './mobile/JointPage.vue'

// `?ticket=<id>#token=…` (the slip's QR code) follows one ticket;
// `?appointment=<id>#token=…` shows a booking; `?hall=…&case=<number>#code=…`
// (a notice's QR code) a case's progress; `?hall=…&bundle=<一件事编号>#code=…`
// a 一件事's; otherwise the hall's front page.
const params = new URLSearchParams(window.location.search)
const ticket = params.get('ticket')
const appointment = params.get('appointment')
const caseNumber = params.get('case')
const bundleNumber = params.get('bundle')

createApp({
  render: () =>
    ticket
      ? h(TicketPage, { ticketId: ticket })
      : appointment
        ? h(AppointmentPage, { appointmentId: appointment })
        : caseNumber
          ? h(CasePage, { hall: params.get('hall') ?? 'CA-ZWFW', number: caseNumber })
          : bundleNumber
            ? h(JointPage, { hall: params.get('hall') ?? 'CA-ZWFW', number: bundleNumber })
            : h(MobileHome),
}).mount('#app')
