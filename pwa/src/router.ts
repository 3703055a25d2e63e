import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { currentUser } from '@/shell/session'

// Every screen is a lazily loaded chunk: the initial download is the shell only.
const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { public: true } },
  { path: '/', name: 'home', redirect: () => (currentUser.value ? homeFor(currentUser.value.roles) : '/login') },
  { path: '/interviews', name: 'interviews', component: () => import('@/views/InterviewsView.vue') },
  { path: '/interviews/new', name: 'interview-new', component: () => import('@/views/NewInterviewView.vue') },
  { path: '/interviews/:id', name: 'interview', component: () => import('@/views/InterviewView.vue'), props: true },
  { path: '/issues', name: 'issues', component: () => import('@/views/IssuesView.vue') },
  // Follow-up loop (issue 6 item 9), lazily loaded like every screen.
  { path: '/followup/reports', name: 'followup-reports', component: () => import('@/views/followup/ReportsView.vue') },
  { path: '/followup/hr', name: 'followup-hr', component: () => import('@/views/followup/HrView.vue') },
  { path: '/followup/tasks', name: 'followup-tasks', component: () => import('@/views/followup/TasksView.vue') },
  { path: '/followup/agenda', name: 'followup-agenda', component: () => import('@/views/followup/AgendaView.vue') },
  { path: '/inbox', name: 'inbox', component: () => import('@/views/InboxView.vue') },
  { path: '/keys', name: 'keys', component: () => import('@/views/KeysView.vue') },
  { path: '/remarks', name: 'remarks', component: () => import('@/views/RemarksView.vue') },
  { path: '/status', name: 'status', component: () => import('@/views/StatusView.vue') },
  { path: '/later/:feature', name: 'later', component: () => import('@/views/LaterView.vue'), props: true },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('@/views/NotFoundView.vue') },
]

export function homeFor(roles: string[]): string {
  if (roles.includes('cadre')) return '/interviews'
  if (roles.includes('hr')) return '/later/hr-plan'
  if (roles.includes('unit_lead')) return '/later/unit-plan'
  if (roles.includes('handler')) return '/followup/tasks'
  if (roles.includes('leader')) return '/followup/agenda'
  if (roles.includes('supervisor')) return '/later/spot-checks'
  if (roles.includes('officer')) return '/remarks'
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
  // A locked app (shell/lock.ts) renders only the lock screen (App.vue): no screen is mounted
  // behind it, and the route the user was on is shown again after unlocking.
  return true
})
