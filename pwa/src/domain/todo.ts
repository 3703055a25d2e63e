// 待办 (issue 17 point 1, docs/pwa.md "待办"): what waits for each role, computed on the device from
// the rows its pull carries (sync/policy.py decides what a role pulls), so the home screen works
// offline. Each list here is the one its target screen shows — the same rules (domain/followup.ts
// isOverdue, domain/plans.ts statusOf) — so the counts agree. Pure functions over plain rows; the
// screen (views/TodoView.vue) gets them through composables/todo.ts.
import { isOverdue, type Problem } from './followup'
import type { PlanCompletion, PlanItem } from './plans'
import { needsHr, reportNeeds } from './reportInbox'

export type Row = Record<string, unknown> & { id: string }

export interface TodoInput {
  today: string
  me: string
  myUnitId: string | null
  /** The user's unit subtree path (a unit lead sees the plan items of units under it). */
  myUnitPath: string
  unitPath: (unitId: string) => string
  interviews: Row[]
  problems: Row[]
  reports: Row[]
  followups: Row[]
  archivedIds: Set<string>
  notifications: Row[]
  plan: { item: PlanItem; status: PlanCompletion | 'cancelled'; interviewId: string | null }[]
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v))
const statusOf = (p: Row): string => str(p.status) || 'raised'
const byDue = (a: Row, b: Row): number => str(a.due_date || '9999').localeCompare(str(b.due_date || '9999')) || a.id.localeCompare(b.id)
const newestFirst = (key: string) => (a: Row, b: Row): number => str(b[key]).localeCompare(str(a[key]))
const asProblem = (p: Row): Problem => p as unknown as Problem

/** Submitted reports by interview id. */
function submittedReports(input: Pick<TodoInput, 'reports'>): Map<string, Row> {
  return new Map(input.reports.filter((r) => r.status === 'submitted').map((r) => [r.id, r]))
}

/**
 * A problem HR still has to route (rule book §五 问题交办): 待交办 and not on the meeting agenda,
 * under a submitted report of an interview not archived — where 交办 / 列入议题 are offered.
 */
export function waitsForRouting(p: Row, submitted: Set<string>, archived: Set<string>): boolean {
  const iv = str(p.interview_id)
  return statusOf(p) === 'raised' && !p.major && submitted.has(iv) && !archived.has(iv)
}

/** The 报告收件箱's 待处理 group (domain/reportInbox.ts, one definition for the badge, the inbox and
 *  this count): a problem to assign, one to close, or all closed and the report not archived. */
export function reportsToProcess(input: TodoInput): Row[] {
  const byIv = new Map<string, Problem[]>()
  for (const p of input.problems) {
    const iv = str(p.interview_id)
    byIv.set(iv, [...(byIv.get(iv) ?? []), asProblem(p)])
  }
  return [...submittedReports(input).values()]
    .filter((r) => needsHr(reportNeeds(byIv.get(r.id) ?? [], input.archivedIds.has(r.id))))
    .sort(newestFirst('submitted_at'))
}

export function problemsToAssign(input: TodoInput): Row[] {
  const ids = new Set(submittedReports(input).keys())
  return input.problems.filter((p) => waitsForRouting(p, ids, input.archivedIds)).sort(byDue)
}

/** Overdue problems (the one definition, sync.followup_rules.is_overdue), longest overdue first. */
export function overdueProblems(input: TodoInput): Row[] {
  return input.problems.filter((p) => isOverdue(asProblem(p), input.today)).sort(byDue)
}

/** 已解决, waiting for HR's 销号. */
export function problemsToClose(input: TodoInput): Row[] {
  return input.problems.filter((p) => statusOf(p) === 'resolved' && !input.archivedIds.has(str(p.interview_id))).sort(byDue)
}

/** Plan items whose window has passed with no interview held (未完成), in the given scope. */
export function missedPlanItems(input: TodoInput, scope: 'company' | 'unit', inScope: (item: PlanItem) => boolean = () => true): TodoInput['plan'] {
  const year = Number(input.today.slice(0, 4))
  return input.plan.filter((e) => e.item.scope === scope && e.item.year === year && e.status === 'missed' && inScope(e.item))
}

// --- leader ---------------------------------------------------------------------------------------

/** 经理层会议议题 without a recorded decision (where 记录决定 is offered). */
export function agendaToDecide(input: Pick<TodoInput, 'problems' | 'followups'>): Row[] {
  const decided = new Set(input.followups.filter((e) => e.kind === 'decide').map((e) => str(e.issue_id)))
  return input.problems.filter((p) => !!p.major && !decided.has(p.id) && statusOf(p) !== 'closed').sort(byDue)
}

/** Submitted reports whose 访谈情况报告已提交 notification (personal: only this user's are pulled) is unread. */
export function reportsToRead(input: Pick<TodoInput, 'reports' | 'notifications'>): Row[] {
  const submitted = submittedReports(input)
  const unread = new Set(input.notifications
    .filter((n) => n.kind === 'report_submitted' && n.entity === 'report' && !n.read_at)
    .map((n) => str(n.entity_id)))
  return [...submitted.values()].filter((r) => unread.has(r.id)).sort(newestFirst('submitted_at'))
}

/** The unread report notifications of one report (marked read when the report is opened). */
export function unreadReportNotifications(notifications: Row[], reportId: string): string[] {
  return notifications.filter((n) => n.kind === 'report_submitted' && n.entity_id === reportId && !n.read_at).map((n) => n.id)
}

// --- handler --------------------------------------------------------------------------------------

/** The department's problems still to work on (我的待办's 办理中 tab), by due date. */
export function assignedProblems(input: TodoInput): Row[] {
  return input.problems
    .filter((p) => (!!input.myUnitId && p.handler_unit_id === input.myUnitId) || (!!input.me && p.owner_user_id === input.me))
    .filter((p) => !['resolved', 'closed'].includes(statusOf(p)))
    .sort(byDue)
}

// --- unit lead ------------------------------------------------------------------------------------

export function unitInterviews(input: TodoInput): Row[] {
  return [...input.interviews].sort((a, b) => str(b.started_at || b.created_at).localeCompare(str(a.started_at || a.created_at)))
}

/** Not yet resolved (待交办, 已交办, 整改中) — 单位问题's 未解决 tab. */
export function openProblems(problems: Row[]): Row[] {
  return problems.filter((p) => !['resolved', 'closed'].includes(statusOf(p))).sort(byDue)
}

export function inSubtree(input: TodoInput, unitId: string): boolean {
  return input.unitPath(unitId).startsWith(input.myUnitPath)
}

// --- cadre ----------------------------------------------------------------------------------------

const addDays = (day: string, n: number): string => {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** How far ahead 近期访谈计划 looks (a window opening within this many days is listed). */
export const UPCOMING_DAYS = 14

/** My plan items not yet held whose window is open or opens within UPCOMING_DAYS, soonest end first. */
export function upcomingVisits(input: TodoInput): TodoInput['plan'] {
  const horizon = addDays(input.today, UPCOMING_DAYS)
  return input.plan
    .filter((e) => e.item.cadre_id === input.me && e.status === 'planned' && e.item.window_start <= horizon)
    .sort((a, b) => a.item.window_end.localeCompare(b.item.window_end) || a.item.id.localeCompare(b.item.id))
}

/** My held interviews (record submitted) whose 访谈情况报告 is not submitted yet, due date first. */
export function reportsDue(input: TodoInput): { interview: Row; report: Row | null; due: string | null; late: boolean }[] {
  const reports = new Map(input.reports.map((r) => [r.id, r]))
  return input.interviews
    .filter((iv) => iv.status === 'submitted' && (((iv.cadre_ids as string[] | undefined) ?? []).includes(input.me) || iv.author_id === input.me))
    .map((iv) => ({ interview: iv, report: reports.get(iv.id) ?? null }))
    .filter((e) => e.report?.status !== 'submitted')
    .map((e) => {
      const due = str(e.report?.due_date) || null
      return { ...e, due, late: !!due && due < input.today }
    })
    .sort((a, b) => str(a.due || '9999').localeCompare(str(b.due || '9999')) || a.interview.id.localeCompare(b.interview.id))
}

// --- supervisor (online: the draws and findings live on the server) ------------------------------

export interface DrawLike { id: string; period_start: string; period_end: string; seed: string | null; revealed_at: string | null }
export interface SampleLike { item_id: string; finding_id: string | null }

/** The month before `today` (YYYY-MM-DD bounds). */
export function lastMonth(today: string): [string, string] {
  const y = Number(today.slice(0, 4))
  const m = Number(today.slice(5, 7))
  const start = new Date(Date.UTC(y, m - 2, 1))
  const end = new Date(Date.UTC(y, m - 1, 0))
  return [start.toISOString().slice(0, 10), end.toISOString().slice(0, 10)]
}

/**
 * Draws the supervision group has to make: last month when no draw covers it yet (a period that has
 * ended can be checked), and every committed draw whose period has ended but is not revealed.
 */
export function drawsToMake(draws: DrawLike[], today: string): { kind: 'period' | 'reveal'; draw: DrawLike | null; period: [string, string] }[] {
  const out: { kind: 'period' | 'reveal'; draw: DrawLike | null; period: [string, string] }[] = []
  const [lo, hi] = lastMonth(today)
  if (!draws.some((d) => d.period_start <= lo && d.period_end >= hi)) out.push({ kind: 'period', draw: null, period: [lo, hi] })
  for (const d of draws) if (!d.revealed_at && !d.seed && d.period_end < today) out.push({ kind: 'reveal', draw: d, period: [d.period_start, d.period_end] })
  return out
}

/** Sampled items without a finding yet, per revealed draw. */
export function itemsToJudge(samples: Map<string, SampleLike[]>): { drawId: string; itemId: string }[] {
  const out: { drawId: string; itemId: string }[] = []
  for (const [drawId, entries] of samples) for (const s of entries) if (!s.finding_id) out.push({ drawId, itemId: s.item_id })
  return out
}

// --- which sections a user gets -------------------------------------------------------------------

export const TODO_ROLES = ['hr', 'leader', 'handler', 'unit_lead', 'supervisor', 'cadre'] as const
export type TodoRole = (typeof TODO_ROLES)[number]

/** The roles of this user that have a 待办 section, in the order the screen shows them. */
export function todoRoles(roles: Iterable<string>): TodoRole[] {
  const have = new Set(roles)
  return TODO_ROLES.filter((r) => have.has(r))
}
