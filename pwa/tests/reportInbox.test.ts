// HR's report inbox: 待处理 / 已处理, newest first (domain/reportInbox.ts).
import { describe, expect, it } from 'vitest'
import { groupInbox, needsHr, reportNeeds } from '@/domain/reportInbox'
import type { Problem } from '@/domain/followup'

const p = (status: string, major = false): Problem => ({ id: status, status, major })

describe('the report inbox', () => {
  it('says what a report waits for from HR', () => {
    // On the agenda and not assigned yet: still HR's to assign (after the meeting's decision).
    expect(reportNeeds([p('raised'), p('raised', true), p('assigned')], false)).toEqual({ assign: 2, close: 0, archive: false })
    expect(reportNeeds([p('resolved'), p('in_progress')], false)).toEqual({ assign: 0, close: 1, archive: false })
    expect(reportNeeds([p('closed'), p('closed')], false)).toEqual({ assign: 0, close: 0, archive: true })
    expect(reportNeeds([p('closed')], true).archive).toBe(false)
    expect(reportNeeds([], false)).toEqual({ assign: 0, close: 0, archive: false })
    expect(needsHr(reportNeeds([p('assigned'), p('in_progress')], false))).toBe(false)
  })

  it('groups the reports, newest first in each group', () => {
    const reports = [
      { id: 'a', submitted_at: '2026-11-01T01:00:00Z', ps: [p('raised')] },
      { id: 'b', submitted_at: '2026-11-03T01:00:00Z', ps: [p('assigned')] },
      { id: 'c', submitted_at: '2026-11-02T01:00:00Z', ps: [p('resolved')] },
      { id: 'd', submitted_at: '2026-11-04T01:00:00Z', ps: [p('closed')] },
    ]
    const { todo, done } = groupInbox(reports, (r) => reportNeeds(r.ps, r.id === 'd'))
    expect(todo.map((r) => r.id)).toEqual(['c', 'a'])
    expect(done.map((r) => r.id)).toEqual(['d', 'b'])
  })
})
