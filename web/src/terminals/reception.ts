import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import 'element-plus/dist/index.css'
import ReceptionApp from './reception/ReceptionApp.vue'

createApp(ReceptionApp).use(ElementPlus, { locale: zhCn }).mount('#app')
