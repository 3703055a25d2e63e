// Navigation by role. Cadres get the interview screens now; other roles' screens come with later
// issues and are listed as placeholders that say what will come.
export interface NavItem {
  to: string
  icon: string
  label: string // i18n key
  badge?: 'inbox'
}

export function navFor(roles: Set<string>): NavItem[] {
  const items: NavItem[] = []
  if (roles.has('cadre')) {
    items.push(
      { to: '/interviews', icon: 'notes-o', label: 'nav.myInterviews' },
      { to: '/interviews/new', icon: 'add-o', label: 'nav.newInterview' },
      { to: '/issues', icon: 'warning-o', label: 'nav.issues' },
    )
  }
  if (roles.has('hr')) items.push({ to: '/later/hr-plan', icon: 'calendar-o', label: 'nav.hrPlan' }, { to: '/later/hr-assign', icon: 'cluster-o', label: 'nav.hrAssign' })
  if (roles.has('unit_lead')) items.push({ to: '/later/unit-plan', icon: 'calendar-o', label: 'nav.unitPlan' })
  if (roles.has('handler')) items.push({ to: '/later/handler-tasks', icon: 'todo-list-o', label: 'nav.handlerTasks' })
  if (roles.has('leader')) items.push({ to: '/later/leader-reports', icon: 'chart-trending-o', label: 'nav.leaderReports' })
  if (roles.has('supervisor')) items.push({ to: '/later/spot-checks', icon: 'eye-o', label: 'nav.spotChecks' })
  if (roles.has('officer')) items.push({ to: '/later/remarks', icon: 'shield-o', label: 'nav.remarks' })
  if (roles.has('admin')) items.push({ to: '/later/admin', icon: 'manager-o', label: 'nav.admin' })
  items.push({ to: '/inbox', icon: 'envelop-o', label: 'nav.inbox', badge: 'inbox' })
  items.push({ to: '/status', icon: 'setting-o', label: 'nav.status' })
  return items
}
