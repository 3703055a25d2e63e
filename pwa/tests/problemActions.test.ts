// The follow-up actions each role is offered on a problem follow the server's rules
// (sync/mutations/followup.py authorize, sync/issue_status.py): reopen for HR, the supervisor and
// the raising cadres once resolved or closed; comment for everyone who sees it; the agenda for HR.
import { describe, expect, it } from 'vitest'
import { eligibleVerifiers, problemActions, type ActionContext, type Problem, type VerifyContext } from '@/domain/followup'

const ctx = (roles: string[], over: Partial<ActionContext> = {}): ActionContext => ({ roles: new Set(roles), userId: 'me', unitId: 'ws1', isRaiser: false, ...over })
const p = (status: string, over: Partial<Problem> = {}): Problem => ({ id: 'i', status, handler_unit_id: 'emd', ...over })

describe('problemActions', () => {
  it('reopen: HR, supervisor and the raising cadre, only once resolved or closed', () => {
    for (const s of ['resolved', 'closed']) {
      expect(problemActions(p(s), ctx(['hr']))).toContain('reopen')
      expect(problemActions(p(s), ctx(['supervisor']))).toEqual(['reopen', 'comment'])
      expect(problemActions(p(s), ctx(['cadre'], { isRaiser: true }))).toEqual(['reopen', 'comment'])
      expect(problemActions(p(s), ctx(['cadre']))).toEqual(['comment'])
      expect(problemActions(p(s), ctx(['handler'], { unitId: 'emd' }))).toEqual(['comment'])
      expect(problemActions(p(s), ctx(['leader']))).not.toContain('reopen')
    }
    for (const s of ['raised', 'assigned', 'in_progress']) expect(problemActions(p(s), ctx(['hr', 'supervisor'], { isRaiser: true }))).not.toContain('reopen')
  })

  it('HR: assign and 列入议题 while open, 销号 when resolved; the agenda once only', () => {
    expect(problemActions(p('raised', { handler_unit_id: null }), ctx(['hr']))).toEqual(['assign', 'escalate', 'comment'])
    expect(problemActions(p('in_progress', { major: true }), ctx(['hr']))).toEqual(['assign', 'decide', 'comment'])
    expect(problemActions(p('in_progress', { major: true }), ctx(['hr'], { decided: true }))).toEqual(['assign', 'comment'])
    expect(problemActions(p('resolved'), ctx(['hr']))).toEqual(['close', 'reopen', 'comment'])
  })

  it('handlers act on their own department’s problems only; leaders decide and assign', () => {
    expect(problemActions(p('assigned'), ctx(['handler'], { unitId: 'emd' }))).toEqual(['start', 'progress', 'resolve', 'comment'])
    expect(problemActions(p('assigned'), ctx(['handler'], { unitId: 'ptd' }))).toEqual(['comment'])
    expect(problemActions(p('assigned', { owner_user_id: 'me' }), ctx(['handler'], { unitId: 'ptd' }))).toContain('resolve')
    expect(problemActions(p('raised', { major: true, handler_unit_id: null }), ctx(['leader']))).toEqual(['assign', 'decide', 'comment'])
  })

  it('nothing on an archived interview', () => {
    expect(problemActions(p('closed'), ctx(['hr', 'supervisor'], { archived: true }))).toEqual([])
  })
})

describe('eligibleVerifiers (销号 核实人, sync/policy.py issue.verify)', () => {
  const units = [{ id: 'co', path: '/co/' }, { id: 'emd', path: '/co/emd/' }, { id: 'emd-a', path: '/co/emd/a/' }, { id: 'ws1', path: '/co/ws1/' }, { id: 'ws1t1', path: '/co/ws1/t1/' }]
  const users = [
    { id: 'hr', unit_id: 'co', roles: ['hr'] }, { id: 'hr2', unit_id: 'co', roles: ['hr', 'supervisor'] },
    { id: 'sup', unit_id: 'co', roles: ['supervisor'] }, { id: 'lead', unit_id: 'co', roles: ['leader'] },
    { id: 'cad', unit_id: 'ws1', roles: ['cadre'] }, { id: 'ul', unit_id: 'ws1', roles: ['unit_lead'] },
    { id: 'h', unit_id: 'emd', roles: ['handler'] }, { id: 'emdcad', unit_id: 'emd-a', roles: ['cadre'] },
    { id: 'adm', unit_id: 'co', roles: ['admin'] }, { id: 'off', unit_id: 'co', roles: ['officer'] },
  ]
  const close = (closerId: string, handlerUnitId: string | null, extra: Partial<VerifyContext> = {}): VerifyContext =>
    ({ closerId, handlerUnitId, interviewCadres: ['cad', 'emdcad'], unitIds: ['ws1'], ...extra })
  it('offers verifying roles only, never the closer or the handler department', () => {
    expect(eligibleVerifiers(users, units, close('hr', 'emd')).map((u) => u.id)).toEqual(['hr2', 'sup', 'lead', 'cad', 'ul'])
    expect(eligibleVerifiers(users, units, close('hr2', 'emd')).map((u) => u.id)).toEqual(['sup', 'lead', 'cad', 'ul'])
    expect(eligibleVerifiers(users, units, close('hr', null)).map((u) => u.id)).toContain('emdcad')
  })
  it('offers only people close to the problem: the interview\'s cadres, leads in or above a unit concerned (issue 17)', () => {
    // the same cases as tests/unit/sync/test_close_needs_evidence_on_the_problem_and_an_independent_verifier.py
    const ids = (extra: Partial<VerifyContext>) => eligibleVerifiers(users, units, close('hr', 'emd', extra)).map((u) => u.id)
    expect(ids({ interviewCadres: [] })).toEqual(['hr2', 'sup', 'lead', 'ul'])
    expect(ids({ unitIds: ['emd-a'] })).not.toContain('ul')
    expect(ids({ unitIds: ['ws1t1'] })).toContain('ul')
    expect(ids({ unitIds: ['co'] })).not.toContain('ul') // the company is above the workshop lead, not below
  })
})
