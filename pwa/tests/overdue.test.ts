// What counts as overdue on the device (isOverdue: the overdue list, the board's filter) against the
// server's cases (tests/data/overdue_cases.json, sync.followup_rules.is_overdue).
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { isOverdue, overdueList, type Problem } from '@/domain/followup'

interface Case { status: string | null; due_date: string | null; today: string; overdue: boolean }
const cases = (JSON.parse(readFileSync(resolve(__dirname, '../../tests/data/overdue_cases.json'), 'utf-8')) as { cases: Case[] }).cases

const problem = (c: Case, id = 'p'): Problem => ({ id, status: c.status, due_date: c.due_date })

describe('overdue', () => {
  it.each(cases)('$status due $due_date on $today → $overdue', (c) => {
    expect(isOverdue(problem(c), c.today)).toBe(c.overdue)
  })

  it('the overdue list holds exactly the overdue cases of a day', () => {
    const day = cases.filter((c) => c.today === '2026-11-02')
    const listed = overdueList(day.map((c, i) => problem(c, `p${i}`)), '2026-11-02').map((p) => p.id)
    expect(listed.sort()).toEqual(day.flatMap((c, i) => (c.overdue ? [`p${i}`] : [])).sort())
  })
})
