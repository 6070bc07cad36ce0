import { createApp, h } from 'vue'
import TerminalShell from './TerminalShell.vue'

createApp({
  render: () => h(TerminalShell, { terminal: 'mobile', title: '掌上办事', subtitle: '远程取号、排队进度与办件查询', dark: false }),
}).mount('#app')
