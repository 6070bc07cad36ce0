import { createApp } from 'vue'
import ScreenApp from './screen/ScreenApp.vue'

createApp(ScreenApp).mount('#app')
