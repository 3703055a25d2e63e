import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { currentUser } from '@/shell/session'
import { isLocked } from '@/shell/lock'

// Every screen is a lazily loaded chunk: the initial download is the shell only.
const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { public: true } },
  { path: '/', name: 'home', redirect: () => (currentUser.value ? homeFor(currentUser.value.roles) : '/login') },
  { path: '/interviews', name: 'interviews', component: () => import('@/views/InterviewsView.vue') },
  { path: '/interviews/new', name: 'interview-new', component: () => import('@/views/NewInterviewView.vue') },
  { path: '/interviews/:id', name: 'interview', component: () => import('@/views/InterviewView.vue'), props: true },
  { path: '/issues', name: 'issues', component: () => import('@/views/IssuesView.vue') },
  { path: '/inbox', name: 'inbox', component: () => import('@/views/InboxView.vue') },
  { path: '/status', name: 'status', component: () => import('@/views/StatusView.vue') },
  { path: '/later/:feature', name: 'later', component: () => import('@/views/LaterView.vue'), props: true },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('@/views/NotFoundView.vue') },
]

export function homeFor(roles: string[]): string {
  if (roles.includes('cadre')) return '/interviews'
  if (roles.includes('hr')) return '/later/hr-plan'
  if (roles.includes('unit_lead')) return '/later/unit-plan'
  if (roles.includes('handler')) return '/later/handler-tasks'
  if (roles.includes('leader')) return '/later/leader-reports'
  if (roles.includes('supervisor')) return '/later/spot-checks'
  if (roles.includes('officer')) return '/later/remarks'
  if (roles.includes('admin')) return '/later/admin'
  return '/inbox'
}

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
})

router.beforeEach((to) => {
  if (to.meta.public) return true
  if (!currentUser.value) return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  // Issue 5: a locked app goes to the lock screen here.
  if (isLocked()) return { name: 'login' }
  return true
})
