import { createApp, h } from 'vue'
import TerminalShell from './TerminalShell.vue'

createApp({
  render: () => h(TerminalShell, { terminal: 'screen', title: '叫号显示屏', subtitle: '叫号信息与语音播报将在此显示', dark: true }),
}).mount('#app')
