// Issue 17 point 7: a due date before the interview's day is refused on screen, by the server's rule
// (tests/data/due_date_cases.json, sync.followup_rules.due_date_before_interview).
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { dueBeforeInterview, interviewDay, validateIssue } from '@/domain/validate'

interface Case { started_at: string | null; created_at: string; due_date: string | null; refused: boolean }
const cases = (JSON.parse(readFileSync(resolve(__dirname, '../../tests/data/due_date_cases.json'), 'utf-8')) as { cases: Case[] }).cases

describe('due date before the interview', () => {
  it.each(cases)('$started_at / $created_at, due $due_date → refused $refused', (c) => {
    expect(dueBeforeInterview(c.due_date, interviewDay(c))).toBe(c.refused)
  })

  it('the problem editor names the due date when it is before the interview (even a future interview)', () => {
    const now = new Date('2026-10-20T10:00:00+08:00')
    const base = { category: 'business', description: '热水供应不足', unit_ids: ['u1'] }
    const e = validateIssue({ ...base, due_date: '2026-10-25' }, { now, interviewDay: '2026-10-27' })
    expect(e.due_date).toEqual({ key: 'v.dueBeforeInterview', params: { day: '2026-10-27' } })
    expect(validateIssue({ ...base, due_date: '2026-10-27' }, { now, interviewDay: '2026-10-27' }).due_date).toBeUndefined()
  })
})
