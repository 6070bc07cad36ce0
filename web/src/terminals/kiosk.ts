import { createApp } from 'vue'
import KioskApp from './kiosk/KioskApp.vue'

createApp(KioskApp).mount('#app')
