import { createApp } from 'vue'
import DashboardApp from './dashboard/DashboardApp.vue'

createApp(DashboardApp).mount('#app')
