// The report deadline on the device against the server's rule: sync/vectors/workdays.json is made by
// sync/calendar.py and sync.followup_rules.report_countdown (python -m sync.vectors.generate workdays)
// and covers year ends, 调休 make-up working days, HR's import of next year and an unknown year.
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { addWorkingDays, companyDate, reportCountdown, REPORT_DUE_WORKING_DAYS, UnknownYear, type WorkdayTable } from '@/domain/workdays'

interface Scenario {
  name: string
  table: WorkdayTable
  due: { interview: string; due: string | null; unknown_year: number | null }[]
  countdown: { interview: string; today: string; due_date: string | null; state: string; working_days: number | null; unknown_year: number | null }[]
}
const vectors = JSON.parse(readFileSync(resolve(__dirname, '../../sync/vectors/workdays.json'), 'utf-8')) as { working_days: number; scenarios: Scenario[] }

describe('report deadline vectors', () => {
  it('counts the same number of working days as the server', () => {
    expect(REPORT_DUE_WORKING_DAYS).toBe(vectors.working_days)
  })
  for (const s of vectors.scenarios) {
    it.each(s.due)(`${s.name}: interview $interview → due $due`, (c) => {
      try {
        expect(addWorkingDays(s.table, c.interview, REPORT_DUE_WORKING_DAYS)).toBe(c.due)
      } catch (e) {
        expect(e).toBeInstanceOf(UnknownYear)
        expect((e as UnknownYear).year).toBe(c.unknown_year)
        expect(c.due).toBeNull()
      }
    })
    it.each(s.countdown)(`${s.name}: interview $interview, today $today → $state $working_days`, (c) => {
      expect(reportCountdown(s.table, c.interview, c.today)).toEqual({ due_date: c.due_date, state: c.state, working_days: c.working_days, unknown_year: c.unknown_year })
    })
  }
  it('covers a 调休 Saturday, a year end and an unknown year', () => {
    const all = vectors.scenarios.flatMap((s) => s.countdown)
    expect(vectors.scenarios.some((s) => Object.entries(s.table.exceptions).some(([d, w]) => w && [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay())))).toBe(true)
    expect(all.some((c) => c.interview.slice(0, 4) !== (c.due_date ?? c.interview).slice(0, 4))).toBe(true)
    expect(all.some((c) => c.state === 'unknown')).toBe(true)
    expect(all.map((c) => c.state)).toEqual(expect.arrayContaining(['remaining', 'today', 'overdue']))
  })
})

describe('the server date wins and nothing is guessed', () => {
  const table = vectors.scenarios[0].table
  it('prefers the report row due date the server wrote', () => {
    expect(reportCountdown(table, '2025-09-26', '2025-10-14', '2025-10-15')).toMatchObject({ state: 'remaining', due_date: '2025-10-15', working_days: 1 })
  })
  it('a device that never fetched the calendar says it does not know', () => {
    expect(reportCountdown(null, '2025-09-26', '2025-09-26')).toEqual({ state: 'unknown', due_date: null, working_days: null, unknown_year: null })
  })
  it('the company date is Asia/Shanghai', () => {
    expect(companyDate('2025-09-25T16:30:00Z')).toBe('2025-09-26')
  })
})
