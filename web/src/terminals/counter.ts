import { createApp, h } from 'vue'
import TerminalShell from './TerminalShell.vue'

createApp({
  render: () => h(TerminalShell, { terminal: 'counter', title: '窗口工作台', subtitle: '窗口叫号、受理与办结将在此进行', dark: false }),
}).mount('#app')
