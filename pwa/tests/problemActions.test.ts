// The follow-up actions each role is offered on a problem follow the server's rules
// (sync/mutations/followup.py authorize, sync/issue_status.py): reopen for HR, the supervisor and
// the raising cadres once resolved or closed; comment for everyone who sees it; the agenda for HR.
import { describe, expect, it } from 'vitest'
import { problemActions, type ActionContext, type Problem } from '@/domain/followup'

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
