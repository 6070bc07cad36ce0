import { createApp, h } from 'vue'
import TerminalShell from './TerminalShell.vue'

const links = [
  ['admin', '管理后台'],
  ['counter', '窗口工作台'],
  ['reception', '导服台'],
  ['kiosk', '取号机'],
  ['screen', '叫号屏'],
  ['mobile', '群众端 H5'],
  ['dashboard', '数据大屏'],
  ['learn', '培训学习'],
]

createApp({
  render: () =>
    h(TerminalShell, { terminal: 'portal', title: '终端入口', subtitle: '请选择要打开的终端' }, () =>
      h('nav', { class: 'portal' }, links.map(([path, label]) => h('a', { href: `/${path}/${window.location.search}`, class: 'portal-link' }, label))),
    ),
}).mount('#app')
