// Navigation by role (docs/pwa.md). Admins import the roster and read the admin log here; the rest of
// their work is the `fangtan` CLI and the admin API (docs/administration.md).
export interface NavItem {
  to: string
  icon: string
  label: string // i18n key
  badge?: 'inbox'
}

export function navFor(roles: Set<string>): NavItem[] {
  const items: NavItem[] = []
  // 待办 first: every role with work waiting starts there (router.ts homeFor).
  if (['cadre', 'hr', 'leader', 'handler', 'unit_lead', 'supervisor'].some((r) => roles.has(r))) items.push({ to: '/todo', icon: 'todo-list-o', label: 'todo.nav' })
  if (roles.has('cadre')) {
    items.push(
      { to: '/interviews', icon: 'notes-o', label: 'nav.myInterviews' },
      { to: '/interviews/new', icon: 'add-o', label: 'nav.newInterview' },
      { to: '/plans/mine', icon: 'calendar-o', label: 'plans.mine' },
      { to: '/issues', icon: 'warning-o', label: 'nav.issues' },
      { to: '/followup/reports', icon: 'description', label: 'followup.nav.reports' },
      { to: '/evaluation/tickets', icon: 'qr', label: 'evaluation.nav.tickets' },
    )
  }
  // HR sees every interview (sync visibility): the list of submitted work arrives with its sync.
  if (roles.has('hr') && !roles.has('cadre')) items.push({ to: '/interviews', icon: 'notes-o', label: 'nav.allInterviews' })
  if (roles.has('hr')) items.push({ to: '/plans/company', icon: 'calendar-o', label: 'nav.hrPlan' }, { to: '/followup/hr', icon: 'cluster-o', label: 'followup.nav.hr' })
  if (roles.has('unit_lead')) {
    items.push({ to: '/plans/unit', icon: 'calendar-o', label: 'nav.unitPlan' })
    // The unit's interviews and problems (sync/policy.py: unit leads pull the work rows of their subtree).
    if (!roles.has('cadre') && !roles.has('hr')) items.push({ to: '/interviews', icon: 'notes-o', label: 'todo.unitInterviews' })
    items.push({ to: '/unit/problems', icon: 'warning-o', label: 'todo.unitProblems' })
  }
  if (roles.has('handler')) items.push({ to: '/followup/tasks', icon: 'todo-list-o', label: 'followup.nav.tasks' })
  if (roles.has('leader')) items.push({ to: '/followup/agenda', icon: 'chart-trending-o', label: 'followup.nav.leader' })
  if (roles.has('hr') || roles.has('leader')) {
    items.push(
      { to: '/dashboards', icon: 'bar-chart-o', label: 'evaluation.nav.dashboards' },
      { to: '/assessment', icon: 'medal-o', label: 'evaluation.nav.assessment' },
      { to: '/evaluation/results', icon: 'star-o', label: 'evaluation.nav.results' },
    )
  }
  if (roles.has('supervisor')) items.push({ to: '/supervision', icon: 'eye-o', label: 'nav.spotChecks' })
  // Those a supervision opinion is addressed to answer it there; HR and leaders also read the signals.
  else if (['cadre', 'handler', 'hr', 'leader'].some((r) => roles.has(r))) items.push({ to: '/supervision', icon: 'eye-o', label: 'supervision.nav' })
  if (roles.has('officer')) items.push({ to: '/remarks', icon: 'shield-o', label: 'nav.remarks' })
  // Report deadlines depend on it: HR and admins enter next year's holidays (docs/administration.md).
  if (roles.has('hr') || roles.has('admin')) items.push({ to: '/calendar', icon: 'todo-list-o', label: 'calendar.nav' })
  // Roster import, 用户与设备 and the admin log: admins and HR (sync/policy.py roster.import, user.list, audit.read).
  if (roles.has('admin') || roles.has('hr')) {
    items.push({ to: '/admin/roster', icon: 'manager-o', label: 'admin.nav.roster' }, { to: '/admin/users', icon: 'friends-o', label: 'admin.nav.users' }, { to: '/admin/units', icon: 'cluster-o', label: 'admin.nav.units' }, { to: '/admin/audit', icon: 'records-o', label: 'admin.nav.audit' })
  }
  items.push({ to: '/inbox', icon: 'envelop-o', label: 'nav.inbox', badge: 'inbox' })
  items.push({ to: '/status', icon: 'setting-o', label: 'nav.status' })
  return items
}
