import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { currentUser } from '@/shell/session'

// Every screen is a lazily loaded chunk: the initial download is the shell only.
const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { public: true } },
  { path: '/', name: 'home', redirect: () => (currentUser.value ? homeFor(currentUser.value.roles) : '/login') },
  // 待办: every role's home (issue 17 point 1, docs/pwa.md).
  { path: '/todo', name: 'todo', component: () => import('@/views/TodoView.vue') },
  { path: '/interviews', name: 'interviews', component: () => import('@/views/InterviewsView.vue') },
  { path: '/interviews/new', name: 'interview-new', component: () => import('@/views/NewInterviewView.vue') },
  { path: '/interviews/:id', name: 'interview', component: () => import('@/views/InterviewView.vue'), props: true },
  { path: '/issues', name: 'issues', component: () => import('@/views/IssuesView.vue') },
  // Follow-up loop (issue 6 item 9), lazily loaded like every screen.
  { path: '/followup/reports', name: 'followup-reports', component: () => import('@/views/followup/ReportsView.vue') },
  { path: '/followup/hr', name: 'followup-hr', component: () => import('@/views/followup/HrView.vue') },
  { path: '/followup/tasks', name: 'followup-tasks', component: () => import('@/views/followup/TasksView.vue') },
  { path: '/followup/agenda', name: 'followup-agenda', component: () => import('@/views/followup/AgendaView.vue') },
  // Single problem / report: where notifications (inbox and Web Push) open (domain/notificationLinks.ts).
  { path: '/followup/problems/:id', name: 'followup-problem', component: () => import('@/views/followup/ProblemView.vue'), props: true },
  { path: '/followup/reports/:id', name: 'followup-report', component: () => import('@/views/followup/ReportView.vue'), props: true },
  // Anonymous evaluation, cadre assessment and dashboards (issue 7 items 3-5, docs/evaluation.md).
  { path: '/evaluation/tickets', name: 'evaluation-tickets', component: () => import('@/views/evaluation/TicketsView.vue') },
  { path: '/evaluation/results', name: 'evaluation-results', component: () => import('@/views/evaluation/ResultsView.vue') },
  { path: '/dashboards', name: 'dashboards', component: () => import('@/views/dashboards/DashboardsView.vue') },
  { path: '/assessment', name: 'assessment', component: () => import('@/views/dashboards/AssessmentView.vue') },
  // Plans (issue 7 item 1, docs/plans-and-supervision.md).
  // A plan reminder's link (domain/notificationLinks.ts): each role sees the item on its own plan screen.
  { path: '/plans/item/:id', name: 'plan-item', redirect: () => planScreenFor(currentUser.value?.roles ?? []) },
  { path: '/plans/mine', name: 'plans-mine', component: () => import('@/views/plans/MyPlanView.vue') },
  { path: '/plans/company', name: 'plans-company', component: () => import('@/views/plans/PlanView.vue'), props: { scope: 'company' } },
  { path: '/plans/unit', name: 'plans-unit', component: () => import('@/views/plans/PlanView.vue'), props: { scope: 'unit' } },
  // The unit lead's problems (its interviews are /interviews: the pull carries the unit's rows).
  { path: '/unit/problems', name: 'unit-problems', component: () => import('@/views/unit/UnitProblemsView.vue') },
  { path: '/supervision', name: 'supervision', component: () => import('@/views/supervision/SpotChecksView.vue') },
  // Admin screens (issue 15 item 2, docs/administration.md).
  { path: '/admin/roster', name: 'admin-roster', component: () => import('@/views/admin/RosterImportView.vue') },
  { path: '/admin/users', name: 'admin-users', component: () => import('@/views/admin/UsersView.vue') },
  { path: '/admin/units', name: 'admin-units', component: () => import('@/views/admin/UnitsView.vue') },
  { path: '/admin/audit', name: 'admin-audit', component: () => import('@/views/admin/AuditView.vue') },
  { path: '/calendar', name: 'calendar', component: () => import('@/views/admin/CalendarView.vue') },
  { path: '/inbox', name: 'inbox', component: () => import('@/views/InboxView.vue') },
  { path: '/keys', name: 'keys', component: () => import('@/views/KeysView.vue') },
  { path: '/remarks', name: 'remarks', component: () => import('@/views/RemarksView.vue') },
  { path: '/status', name: 'status', component: () => import('@/views/StatusView.vue') },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('@/views/NotFoundView.vue') },
]

export function planScreenFor(roles: string[]): string {
  if (roles.includes('hr')) return '/plans/company'
  if (roles.includes('unit_lead')) return '/plans/unit'
  return '/plans/mine'
}

/** Roles whose home is 待办 (views/TodoView.vue); officers and admins keep their one screen. */
const TODO_HOME = ['cadre', 'hr', 'leader', 'handler', 'unit_lead', 'supervisor']

export function homeFor(roles: string[]): string {
  if (roles.some((r) => TODO_HOME.includes(r))) return '/todo'
  if (roles.includes('officer')) return '/remarks'
  if (roles.includes('admin')) return '/admin/roster'
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
