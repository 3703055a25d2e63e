// @vitest-environment happy-dom
// 待办 (issue 17 point 1): what waits for each role, from synced rows (domain/todo.ts) — the same rules
// as the target screens (HR's inbox badge, the overdue list, 我的待办, the agenda, the plans).
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import {
  agendaToDecide, assignedProblems, drawsToMake, itemsToJudge, lastMonth, missedPlanItems, openProblems, overdueProblems,
  problemsToAssign, problemsToClose, reportsDue, reportsToProcess, reportsToRead, todoRoles, unreadReportNotifications,
  upcomingVisits, type Row, type TodoInput,
} from '@/domain/todo'
import { isOverdue, overdueList, type Problem } from '@/domain/followup'
import { groupInbox, reportNeeds } from '@/domain/reportInbox'
import { homeFor } from '@/router'
import { navFor } from '@/shell/nav'
import type { PlanItem } from '@/domain/plans'

const TODAY = '2026-12-03'
const plan = (id: string, over: Partial<PlanItem>, status: 'planned' | 'done' | 'late' | 'missed' | 'cancelled' = 'planned') => ({
  item: { id, scope: 'company', kind: 'quarterly', year: 2026, quarter: 4, month: null, cadre_id: 'c1', unit_id: 'u-ws',
    window_start: '2026-10-01', window_end: '2026-12-31', title: null, reason: null, status: 'active', ...over } as PlanItem,
  status, interviewId: null,
})

function world(over: Partial<TodoInput> = {}): TodoInput {
  const paths: Record<string, string> = { 'u-ws': '/c/ws/', 'u-team': '/c/ws/team/', 'u-other': '/c/other/', 'u-eq': '/c/eq/' }
  return {
    today: TODAY, me: 'c1', myUnitId: 'u-eq', myUnitPath: '/c/ws/', unitPath: (id) => paths[id] ?? '',
    interviews: [
      { id: 'iv1', status: 'submitted', cadre_ids: ['c1'], author_id: 'c1', unit_id: 'u-ws', started_at: '2026-11-02T09:00:00+08:00' },
      { id: 'iv2', status: 'submitted', cadre_ids: ['c2'], author_id: 'c2', unit_id: 'u-team', started_at: '2026-11-20T09:00:00+08:00' },
      { id: 'iv3', status: 'submitted', cadre_ids: ['c1'], author_id: 'c1', unit_id: 'u-ws', started_at: '2026-11-28T09:00:00+08:00' },
      { id: 'iv4', status: 'draft', cadre_ids: ['c1'], author_id: 'c1', unit_id: 'u-ws', started_at: '2026-12-02T09:00:00+08:00' },
      { id: 'iv5', status: 'submitted', cadre_ids: ['c2'], author_id: 'c2', unit_id: 'u-ws', started_at: '2026-10-02T09:00:00+08:00' },
    ],
    reports: [
      { id: 'iv1', status: 'submitted', submitted_at: '2026-11-05T10:00:00+08:00' },
      { id: 'iv2', status: 'submitted', submitted_at: '2026-11-24T10:00:00+08:00' },
      { id: 'iv3', status: 'draft', due_date: '2026-12-09' },
      { id: 'iv5', status: 'submitted', submitted_at: '2026-10-09T10:00:00+08:00' },
    ],
    problems: [
      // iv1: one still to route, one on the agenda (not to assign: it waits for the decision)
      { id: 'p1', interview_id: 'iv1', status: 'raised', due_date: '2026-12-20' },
      { id: 'p2', interview_id: 'iv1', status: 'raised', major: true, due_date: '2026-11-30' },
      // iv2: assigned (overdue), resolved past due (not overdue), closed
      { id: 'p3', interview_id: 'iv2', status: 'assigned', handler_unit_id: 'u-eq', due_date: '2026-11-25' },
      { id: 'p4', interview_id: 'iv2', status: 'resolved', handler_unit_id: 'u-eq', due_date: '2026-11-20' },
      { id: 'p5', interview_id: 'iv2', status: 'closed', handler_unit_id: 'u-eq', due_date: '2026-11-10' },
      // iv3: report not submitted — HR cannot route it yet, but it is overdue all the same
      { id: 'p6', interview_id: 'iv3', status: 'raised', due_date: '2026-12-01' },
      // iv5: archived; its raised problem is not HR's to route any more
      { id: 'p7', interview_id: 'iv5', status: 'in_progress', handler_unit_id: 'u-other', owner_user_id: 'c1', due_date: '2026-12-15' },
      { id: 'p8', interview_id: 'iv5', status: 'raised', due_date: '2026-12-31' },
    ],
    followups: [{ id: 'e1', issue_id: 'p2', kind: 'escalate' }],
    archivedIds: new Set(['iv5']),
    notifications: [
      { id: 'n1', kind: 'report_submitted', entity: 'report', entity_id: 'iv1', read_at: null },
      { id: 'n2', kind: 'report_submitted', entity: 'report', entity_id: 'iv2', read_at: '2026-11-25T08:00:00Z' },
      { id: 'n3', kind: 'assigned', entity: 'issue', entity_id: 'p3', read_at: null },
    ],
    plan: [
      plan('q4', {}),
      plan('q3', { quarter: 3, window_start: '2026-07-01', window_end: '2026-09-30' }, 'missed'),
      plan('q2', { quarter: 2, window_start: '2026-04-01', window_end: '2026-06-30' }, 'done'),
      plan('old', { year: 2025, quarter: 4, window_start: '2025-10-01', window_end: '2025-12-31' }, 'missed'),
      plan('m11', { scope: 'unit', kind: 'monthly', month: 11, unit_id: 'u-team', window_start: '2026-11-01', window_end: '2026-11-30' }, 'missed'),
      plan('m11x', { scope: 'unit', kind: 'monthly', month: 11, unit_id: 'u-other', window_start: '2026-11-01', window_end: '2026-11-30' }, 'missed'),
      plan('next', { scope: 'unit', kind: 'adhoc', unit_id: 'u-team', window_start: '2026-12-12', window_end: '2026-12-20' }),
      plan('far', { scope: 'unit', kind: 'monthly', month: 12, unit_id: 'u-team', window_start: '2026-12-28', window_end: '2026-12-31' }),
      plan('cx', { window_start: '2026-12-01', window_end: '2026-12-31' }, 'cancelled'),
    ],
    ...over,
  }
}
const ids = (rows: { id: string }[]) => rows.map((r) => r.id)

describe('HR', () => {
  it('reports to process are the 待处理 group of the inbox: something to assign, close or archive; archived ones never', () => {
    // iv2 has a problem to close (newest first), iv1 two to assign (one on the agenda: HR assigns it
    // once the meeting has decided); iv5 is archived.
    expect(ids(reportsToProcess(world()))).toEqual(['iv2', 'iv1'])
    const inbox = groupInbox(world().reports.filter((r) => r.status === 'submitted') as { id: string; submitted_at?: string }[],
      (r) => reportNeeds(world().problems.filter((p) => p.interview_id === r.id) as unknown as Problem[], world().archivedIds.has(r.id)))
    expect(ids(reportsToProcess(world()))).toEqual(ids(inbox.todo))
    expect(ids(problemsToAssign(world()))).toEqual(['p1'])
    // Everything routed and closed, the report archived: nothing waits.
    const done = world({
      problems: world().problems.map((p) => ({ ...p, status: 'closed' })),
      archivedIds: new Set(['iv1', 'iv2', 'iv5']),
    })
    expect(reportsToProcess(done)).toEqual([])
  })

  it('overdue is the one definition (isOverdue), longest overdue first, and agrees with the overdue list', () => {
    const w = world()
    expect(ids(overdueProblems(w))).toEqual(['p3', 'p2', 'p6'])
    expect(ids(overdueProblems(w))).toEqual(ids(overdueList(w.problems as unknown as Problem[], TODAY)))
    for (const p of w.problems) expect(overdueProblems(w).some((o) => o.id === p.id)).toBe(isOverdue(p as unknown as Problem, TODAY))
  })

  it('resolved problems wait for 销号', () => {
    expect(ids(problemsToClose(world()))).toEqual(['p4'])
  })

  it('plan gaps: this year’s items of the scope whose window passed with nothing held', () => {
    expect(missedPlanItems(world(), 'company').map((e) => e.item.id)).toEqual(['q3'])
    const w = world()
    expect(missedPlanItems(w, 'unit', (it) => w.unitPath(it.unit_id).startsWith(w.myUnitPath)).map((e) => e.item.id)).toEqual(['m11'])
  })
})

describe('leader', () => {
  it('agenda items without a decision, and not closed', () => {
    expect(ids(agendaToDecide(world()))).toEqual(['p2'])
    const decided = world({ followups: [...world().followups, { id: 'e2', issue_id: 'p2', kind: 'decide' }] })
    expect(agendaToDecide(decided)).toEqual([])
  })

  it('reports to read are the submitted ones whose notification is unread; opening reads it', () => {
    expect(ids(reportsToRead(world()))).toEqual(['iv1'])
    expect(unreadReportNotifications(world().notifications, 'iv1')).toEqual(['n1'])
    expect(unreadReportNotifications(world().notifications, 'iv2')).toEqual([])
  })
})

describe('handler', () => {
  it('the department’s (or my own) problems not yet resolved, by due date', () => {
    expect(ids(assignedProblems(world()))).toEqual(['p3', 'p7'])
  })
})

describe('unit lead', () => {
  it('open problems are the ones not resolved or closed, by due date', () => {
    expect(ids(openProblems(world().problems))).toEqual(['p2', 'p6', 'p7', 'p3', 'p1', 'p8'].sort((a, b) => {
      const due = (id: string) => String(world().problems.find((p) => p.id === id)!.due_date)
      return due(a).localeCompare(due(b))
    }))
  })
})

describe('cadre', () => {
  it('upcoming visits: my items not held whose window is open or opens within two weeks', () => {
    expect(upcomingVisits(world()).map((e) => e.item.id)).toEqual(['next', 'q4'])
  })

  it('reports due: my held interviews whose report is not submitted, with the due date the server stored', () => {
    const due = reportsDue(world())
    expect(due.map((e) => e.interview.id)).toEqual(['iv3'])
    expect(due[0].due).toBe('2026-12-09')
    expect(due[0].late).toBe(false)
    const late = reportsDue(world({ today: '2026-12-10' }))
    expect(late[0].late).toBe(true)
    // No report row yet: listed, due date unknown until sync.
    const fresh = reportsDue(world({ reports: world().reports.filter((r) => r.id !== 'iv3') }))
    expect(fresh.map((e) => [e.interview.id, e.due])).toEqual([['iv3', null]])
  })
})

describe('supervisor', () => {
  it('last month is a draw to make until a draw covers it; an ended unrevealed draw waits for its seed', () => {
    expect(lastMonth('2026-12-03')).toEqual(['2026-11-01', '2026-11-30'])
    expect(lastMonth('2026-01-15')).toEqual(['2025-12-01', '2025-12-31'])
    expect(drawsToMake([], TODAY).map((d) => d.kind)).toEqual(['period'])
    const committed = { id: 'd1', period_start: '2026-11-01', period_end: '2026-11-30', seed: null, revealed_at: null }
    expect(drawsToMake([committed], TODAY).map((d) => d.kind)).toEqual(['reveal'])
    expect(drawsToMake([{ ...committed, seed: 'ab', revealed_at: '2026-12-01T00:00:00Z' }], TODAY)).toEqual([])
  })

  it('items to judge are the sampled ones without a finding', () => {
    const s = new Map([['d1', [{ item_id: 'a', finding_id: null }, { item_id: 'b', finding_id: 'f1' }]]])
    expect(itemsToJudge(s)).toEqual([{ drawId: 'd1', itemId: 'a' }])
  })
})

describe('home and menus follow the role', () => {
  it('every role with work lands on 待办; officers and admins keep their screen', () => {
    for (const r of ['cadre', 'hr', 'leader', 'handler', 'unit_lead', 'supervisor']) {
      expect(homeFor([r])).toBe('/todo')
      expect(navFor(new Set([r]))[0].to).toBe('/todo')
    }
    expect(homeFor(['officer'])).toBe('/remarks')
    expect(homeFor(['admin'])).toBe('/admin/roster')
    expect(navFor(new Set(['admin'])).some((i) => i.to === '/todo')).toBe(false)
  })

  it('the unit lead’s menu has its interviews and problems', () => {
    const to = navFor(new Set(['unit_lead'])).map((i) => i.to)
    expect(to).toEqual(expect.arrayContaining(['/plans/unit', '/interviews', '/unit/problems']))
  })

  it('several roles get a section each, in a fixed order', () => {
    expect(todoRoles(['cadre', 'unit_lead', 'hr', 'officer'])).toEqual(['hr', 'unit_lead', 'cadre'])
  })

  it('every route the 待办 home links to is a route of the router', () => {
    const src = readFileSync(resolve(__dirname, '../src/composables/todo.ts'), 'utf-8')
    const router = readFileSync(resolve(__dirname, '../src/router.ts'), 'utf-8')
    const paths = [...router.matchAll(/path: '([^']+)'/g)].map((m) => m[1])
    const linked = [...src.matchAll(/'(\/[a-z/]+)(?:\?[^']*)?'/g)].map((m) => m[1])
    expect(linked.length).toBeGreaterThan(8)
    for (const l of linked) expect(paths, l).toContain(l)
  })
})

// The rows the device holds are plain objects with an id: the functions take nothing else.
const _typecheck: Row = { id: 'x' }
void _typecheck
