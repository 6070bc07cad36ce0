import { createApp, h } from 'vue'
import TerminalShell from './TerminalShell.vue'

createApp({
  render: () => h(TerminalShell, { terminal: 'kiosk', title: '自助取号', subtitle: '请在此查询办事指南并取号', dark: false }),
}).mount('#app')
