import { createApp, h } from 'vue'
import TerminalShell from './TerminalShell.vue'

createApp({
  render: () => h(TerminalShell, { terminal: 'dashboard', title: '数据大屏', subtitle: '大厅运行态势与服务成效', dark: true }),
}).mount('#app')
