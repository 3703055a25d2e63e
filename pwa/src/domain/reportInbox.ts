// HR's 报告收件箱 (issue 17 point 4): submitted reports grouped by whether HR has something to do on
// them, newest first, a page at a time (the demo's 11 reports with their problems made a 7,510 px page).
import type { Problem } from './followup'

/** What a report waits for from HR, by the problems' statuses: to assign (待交办 — on the agenda
 *  too: HR assigns once the meeting has decided), to close (待销号), or, all closed, the archive (可归档). */
export interface ReportNeeds {
  assign: number
  close: number
  archive: boolean
}

export function reportNeeds(problems: Problem[], archived: boolean): ReportNeeds {
  if (archived) return { assign: 0, close: 0, archive: false } // archived interviews are read-only
  const assign = problems.filter((p) => (p.status ?? 'raised') === 'raised').length
  const close = problems.filter((p) => p.status === 'resolved').length
  const archive = !archived && problems.length > 0 && problems.every((p) => p.status === 'closed')
  return { assign, close, archive }
}

export const needsHr = (n: ReportNeeds): boolean => n.assign > 0 || n.close > 0 || n.archive

export interface InboxReport {
  id: string
  submitted_at?: string | null
}

/** The inbox's two groups, each newest first: 待处理 (something waits for HR) and 已处理. */
export function groupInbox<T extends InboxReport>(reports: T[], needsOf: (r: T) => ReportNeeds): { todo: T[]; done: T[] } {
  const newest = [...reports].sort((a, b) => {
    const x = String(a.submitted_at ?? ''), y = String(b.submitted_at ?? '')
    return x < y ? 1 : x > y ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
  })
  const todo: T[] = [], done: T[] = []
  for (const r of newest) (needsHr(needsOf(r)) ? todo : done).push(r)
  return { todo, done }
}
