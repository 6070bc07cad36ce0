import { createApp, h } from 'vue'
import TerminalShell from './TerminalShell.vue'
import TicketPage from './mobile/TicketPage.vue'

// `?ticket=<id>#token=<token>` (the slip's QR code) follows one ticket; otherwise the hall's front page.
const ticket = new URLSearchParams(window.location.search).get('ticket')

createApp({
  render: () =>
    ticket
      ? h(TicketPage, { ticketId: ticket })
      : h(TerminalShell, { terminal: 'mobile', title: '掌上办事', subtitle: '远程取号、排队进度与办件查询', dark: false }),
}).mount('#app')
