import { createApp, h } from 'vue'
import TicketPage from './mobile/TicketPage.vue'
import AppointmentPage from './mobile/AppointmentPage.vue'
import MobileHome from './mobile/MobileHome.vue'

// `?ticket=<id>#token=…` (the slip's QR code) follows one ticket;
// `?appointment=<id>#token=…` shows a booking; otherwise the hall's front page.
const params = new URLSearchParams(window.location.search)
const ticket = params.get('ticket')
const appointment = params.get('appointment')

createApp({
  render: () =>
    ticket
      ? h(TicketPage, { ticketId: ticket })
      : appointment
        ? h(AppointmentPage, { appointmentId: appointment })
        : h(MobileHome),
}).mount('#app')
