import { createRouter, createWebHashHistory } from 'vue-router'
import CatalogView from './views/CatalogView.vue'

// Hash history: the app is served from app:// where there is no server to rewrite deep links.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/catalog' },
    { path: '/catalog', name: 'catalog', component: CatalogView },
    { path: '/compare', name: 'compare', component: () => import('./views/CompareView.vue') },
    { path: '/snapshots', name: 'snapshots', component: () => import('./views/SnapshotsView.vue') },
    { path: '/changes', name: 'changes', component: () => import('./views/ChangesView.vue') },
    { path: '/settings', name: 'settings', component: () => import('./views/SettingsView.vue') },
  ],
})
