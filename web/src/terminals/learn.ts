import { createApp } from 'vue'
import './learn/learn.css'
import LearnApp from './learn/LearnApp.vue'

createApp(LearnApp).mount('#app')
