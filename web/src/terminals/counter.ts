import { createApp } from 'vue'
import CounterApp from './counter/CounterApp.vue'

createApp(CounterApp).mount('#app')
