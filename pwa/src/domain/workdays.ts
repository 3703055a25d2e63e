// The report deadline on the device (issue 16 point 2): 7 working days after the day the interview is
// held, on the working-day calendar the server ships (GET /api/calendar/table: the statutory
// calendar with 调休 make-up days plus HR's imports). Same rule as sync/calendar.py and
// sync.followup_rules.report_countdown, pinned by sync/vectors/workdays.json (tests/workdays.test.ts).
// The server's due date on the report row stays authoritative: screens prefer it when present.

import { chinaDay } from './validate'

export const REPORT_DUE_WORKING_DAYS = 7

export interface WorkdayTable {
  from_year: number
  to_year: number
  /** Years whose every day is known (library years and years HR marked complete). */
  known_years: number[]
  /** Days that differ from Monday–Friday: true = working day (调休), false = day off. */
  exceptions: Record<string, boolean>
}

export class UnknownYear extends Error {
  constructor(public year: number) {
    super(`calendar unknown for ${year}`)
  }
}

const iso = (d: Date) => d.toISOString().slice(0, 10)
const parse = (day: string) => new Date(`${day}T00:00:00Z`)
function next(day: string): string {
  const d = parse(day)
  d.setUTCDate(d.getUTCDate() + 1)
  return iso(d)
}

/** A working day? Throws UnknownYear for a year the table does not know (never a guess). */
export function isWorkday(table: WorkdayTable, day: string): boolean {
  if (day in table.exceptions) return table.exceptions[day]
  if (!table.known_years.includes(Number(day.slice(0, 4)))) throw new UnknownYear(Number(day.slice(0, 4)))
  const wd = parse(day).getUTCDay()
  return wd !== 0 && wd !== 6
}

/** The n-th working day after `start`. */
export function addWorkingDays(table: WorkdayTable, start: string, n: number): string {
  let day = start
  for (let left = n; left > 0; ) {
    day = next(day)
    if (isWorkday(table, day)) left--
  }
  return day
}

/** Working days in (start, end]; negative when end is before start. */
export function workingDaysBetween(table: WorkdayTable, start: string, end: string): number {
  if (end < start) return -workingDaysBetween(table, end, start)
  let count = 0
  for (let day = start; day < end; ) {
    day = next(day)
    if (isWorkday(table, day)) count++
  }
  return count
}

export type Countdown =
  | { state: 'remaining' | 'today' | 'overdue'; due_date: string; working_days: number | null; unknown_year: number | null }
  | { state: 'unknown'; due_date: null; working_days: null; unknown_year: number | null }

/**
 * Where an unsubmitted report stands on `today`: 还剩 N 个工作日 / 今天截止 / 已逾期 N 个工作日, or
 * `unknown` with the year whose calendar is not published yet. `serverDue` (the report row's
 * due_date) wins over the device's own count; without a table (`null`, never synced) and without
 * a server date the year is unknown with `unknown_year` null.
 */
export function reportCountdown(table: WorkdayTable | null, interviewDay: string, today: string, serverDue?: string | null): Countdown {
  let due = serverDue ?? null
  if (!due) {
    if (!table) return { state: 'unknown', due_date: null, working_days: null, unknown_year: null }
    try {
      due = addWorkingDays(table, interviewDay, REPORT_DUE_WORKING_DAYS)
    } catch (e) {
      if (e instanceof UnknownYear) return { state: 'unknown', due_date: null, working_days: null, unknown_year: e.year }
      throw e
    }
  }
  if (due === today) return { state: 'today', due_date: due, working_days: 0, unknown_year: null }
  const state = due < today ? 'overdue' : 'remaining'
  if (!table) return { state, due_date: due, working_days: null, unknown_year: null }
  try {
    const n = state === 'remaining' ? workingDaysBetween(table, today, due) : workingDaysBetween(table, due, today)
    return { state, due_date: due, working_days: n, unknown_year: null }
  } catch (e) {
    if (e instanceof UnknownYear) return { state, due_date: due, working_days: null, unknown_year: e.year }
    throw e
  }
}

/** The calendar date of an instant in the company's time zone (sync.calendar.local_date). */
export const companyDate = chinaDay
