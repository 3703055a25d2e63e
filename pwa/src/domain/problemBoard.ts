// HR's tracking board (跟踪看板, issue 17 point 4): the filters and sorts of its table and card views,
// and the query string that asks the server for the same rows as a ledger .xlsx. The server's twin
// is server/followup/board.py; both are pinned to tests/data/board_query_cases.json, so the rows HR
// exports are the rows the table shows (docs/followup.md "The tracking board").
import { isOverdue, type Problem } from './followup'

export const BOARD_SORTS = ['newest', 'oldest', 'overdue', 'due'] as const
export type BoardSort = (typeof BOARD_SORTS)[number]

export interface BoardQuery {
  /** Keyword(s): every whitespace-separated word must appear (any case) in the description, the
   *  proposed solution, the owner (typed, or the owner account's name), the receipt code or the public summary. */
  q?: string
  /** A cadre of the problem's interview. */
  cadre?: string
  /** A unit among the problem's 涉及单位, or any unit below it. */
  unit?: string
  /** The handler department (责任部门). */
  dept?: string
  category?: string
  status?: string
  /** Due-date range, both ends included; a problem without a due date is outside every range. */
  due_from?: string
  due_to?: string
  overdue?: boolean
  sort?: BoardSort
}

/** What the filters look up: the org tree's paths, the interviews' cadres, account names. */
export interface BoardLookup {
  today: string
  unitPath: (unitId: string) => string | undefined
  cadresOf: (interviewId: string) => readonly string[]
  userName: (userId: string) => string | undefined
}

export interface BoardProblem extends Problem {
  public_summary?: string | null
}

/** Calendar days past the due date while overdue (sync.followup_rules.is_overdue), else 0. */
export function daysOverdue(p: Problem, todayIso: string): number {
  if (!isOverdue(p, todayIso)) return 0
  return Math.round((Date.parse(`${todayIso}T00:00:00Z`) - Date.parse(`${p.due_date}T00:00:00Z`)) / 86400000)
}

export function keywords(q: string | undefined): string[] {
  return (q ?? '').toLowerCase().split(/\s+/).filter(Boolean)
}

function haystack(p: BoardProblem, look: BoardLookup): string {
  const owner = p.owner_user_id ? look.userName(p.owner_user_id) ?? '' : ''
  return [p.description, p.solution, p.owner, owner, p.receipt_code, p.public_summary].filter(Boolean).join('\n').toLowerCase()
}

function inUnit(p: Problem, unitId: string, look: BoardLookup): boolean {
  const root = look.unitPath(unitId)
  return (p.unit_ids ?? []).some((u) => u === unitId || (!!root && (look.unitPath(u) ?? '').startsWith(root)))
}

export function matchesBoard(p: BoardProblem, f: BoardQuery, look: BoardLookup): boolean {
  if (f.status && (p.status ?? 'raised') !== f.status) return false
  if (f.category && p.category !== f.category) return false
  if (f.dept && p.handler_unit_id !== f.dept) return false
  if (f.unit && !inUnit(p, f.unit, look)) return false
  if (f.cadre && !look.cadresOf(String(p.interview_id ?? '')).includes(f.cadre)) return false
  if (f.due_from && !(p.due_date && p.due_date >= f.due_from)) return false
  if (f.due_to && !(p.due_date && p.due_date <= f.due_to)) return false
  if (f.overdue && !isOverdue(p, look.today)) return false
  const words = keywords(f.q)
  if (words.length) {
    const text = haystack(p, look)
    if (!words.every((w) => text.includes(w))) return false
  }
  return true
}

// Plain code-unit comparison (not localeCompare): Python compares strings the same way.
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
const created = (p: Problem) => String(p.created_at ?? '')
/** Due date ascending, problems without one last. */
const byDue = (a: Problem, b: Problem) => (a.due_date ? (b.due_date ? cmp(a.due_date, b.due_date) : -1) : b.due_date ? 1 : 0)

/** The order of a sort; every one ends on the id, so both twins give one order. */
export function compareBoard(sort: BoardSort, daysOf: (p: Problem) => number): (a: Problem, b: Problem) => number {
  switch (sort) {
    case 'newest':
      return (a, b) => cmp(created(b), created(a)) || cmp(a.id, b.id)
    case 'overdue':
      return (a, b) => daysOf(b) - daysOf(a) || byDue(a, b) || cmp(created(a), created(b)) || cmp(a.id, b.id)
    case 'due':
      return (a, b) => byDue(a, b) || cmp(created(a), created(b)) || cmp(a.id, b.id)
    default:
      return (a, b) => cmp(created(a), created(b)) || cmp(a.id, b.id)
  }
}

/** The board's rows: filtered, then sorted (the ledger export gives the same, in the same order). */
export function selectBoard<T extends BoardProblem>(problems: T[], f: BoardQuery, look: BoardLookup): T[] {
  const rows = problems.filter((p) => matchesBoard(p, f, look))
  // Days overdue once per row, not once per comparison (a year is ~12,000 problems).
  const days = new Map(rows.map((p) => [p.id, daysOverdue(p, look.today)]))
  return rows.sort(compareBoard(f.sort ?? 'newest', (p) => days.get(p.id) ?? 0))
}

/** A page of rows (1-based page, clamped to the pages there are). */
export function pageOf<T>(rows: T[], page: number, size: number): { rows: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(rows.length / size))
  const p = Math.min(Math.max(1, Math.floor(page) || 1), pages)
  return { rows: rows.slice((p - 1) * size, p * size), page: p, pages }
}

/** The query string of `GET /api/exports/ledger` for these filters (the server reads the same names). */
export function boardParams(f: BoardQuery): URLSearchParams {
  const out = new URLSearchParams()
  const q = keywords(f.q).length ? (f.q ?? '').trim() : ''
  if (q) out.set('q', q)
  for (const k of ['cadre', 'unit', 'dept', 'category', 'status', 'due_from', 'due_to'] as const) {
    const v = f[k]
    if (v) out.set(k, v)
  }
  if (f.overdue) out.set('overdue', '1')
  out.set('sort', f.sort ?? 'newest')
  return out
}

/** Whether any filter is set (the sort is not a filter). */
export function isFiltered(f: BoardQuery): boolean {
  return keywords(f.q).length > 0 || !!(f.cadre || f.unit || f.dept || f.category || f.status || f.due_from || f.due_to || f.overdue)
}
