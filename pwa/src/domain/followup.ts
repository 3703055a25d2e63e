// The follow-up loop on the client (docs/followup.md, issue 6 item 9): the report / notification
// mutations for the overlay, and the pure logic the screens share — grouping a report's problems by
// category, the five required fields of rule book §五, field errors from a refused report.submit,
// what counts as overdue (the tracking board's filters: problemBoard.ts).
import { defineMutation, upsertRow, rowKey } from '@/store/registry'

const str = (v: unknown): string => (typeof v === 'string' ? v : String(v))

export const CATEGORIES = ['business', 'management', 'demand', 'suggestion'] as const
export type Category = (typeof CATEGORIES)[number]
/** The five fields every problem of a report needs (问题描述、涉及单位、建议解决方案、责任人、预计完成时间). */
export const REPORT_FIELDS = ['description', 'unit_ids', 'solution', 'owner', 'due_date'] as const
export type ReportField = (typeof REPORT_FIELDS)[number] | 'category'
export const STATUSES = ['raised', 'assigned', 'in_progress', 'resolved', 'closed'] as const

export interface Problem {
  id: string
  interview_id?: string
  category?: string | null
  description?: string | null
  unit_ids?: string[] | null
  solution?: string | null
  owner?: string | null
  owner_user_id?: string | null
  due_date?: string | null
  status?: string | null
  handler_unit_id?: string | null
  major?: boolean | number | null
  receipt_code?: string | null
  created_at?: string | null
  raised_by?: string | null
}

export interface FollowupEvent {
  id: string
  issue_id: string
  kind: string
  text?: string | null
  created_at?: string | null
  client_time?: string | null
  to_status?: string | null
  author_id?: string | null
  evidence?: string[] | null
  handler_unit_id?: string | null
  owner?: string | null
  due_date?: string | null
  verifier_id?: string | null
}

const blank = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0)

/** Which of the report's required fields a problem lacks (category first, then the five of §五). */
export function missingFields(p: Problem): ReportField[] {
  const out: ReportField[] = []
  if (!p.category) out.push('category')
  for (const f of REPORT_FIELDS) {
    if (f === 'owner') {
      if (blank(p.owner) && blank(p.owner_user_id)) out.push('owner')
    } else if (blank(p[f])) out.push(f)
  }
  return out
}

/** Problems grouped by the four categories, in the report's order (unknown categories last, as `other`). */
export function groupByCategory<T extends Problem>(problems: T[], order?: string[]): Record<Category | 'other', T[]> {
  const out: Record<Category | 'other', T[]> = { business: [], management: [], demand: [], suggestion: [], other: [] }
  const pos = new Map((order ?? []).map((id, i) => [id, i]))
  const sorted = [...problems].sort(
    (a, b) => (pos.get(a.id) ?? 1e9) - (pos.get(b.id) ?? 1e9) || str(a.created_at ?? '').localeCompare(str(b.created_at ?? '')),
  )
  for (const p of sorted) {
    const c = (CATEGORIES as readonly string[]).includes(String(p.category)) ? (p.category as Category) : 'other'
    out[c].push(p)
  }
  return out
}

export interface RejectionLike {
  name: string
  args: Record<string, unknown>
  error: { code: string; message: string; field?: string | null }
}

/**
 * Field errors of a refused `report.submit`: the server names the first missing field as
 * `issues[i].<field>` (i in `issue_ids` order) and lists all of them in the message. The first is
 * taken from `field`; the others are completed from the problems themselves (missingFields), so
 * every gap shows at its field. Returns issue id → field → message.
 */
export function submitErrors(
  rej: RejectionLike | null | undefined,
  issueIds: string[],
  problems: Problem[],
  label: (f: ReportField) => string,
): Map<string, Partial<Record<ReportField, string>>> {
  const out = new Map<string, Partial<Record<ReportField, string>>>()
  if (!rej || rej.name !== 'report.submit') return out
  const m = /^issues\[(\d+)\]\.(\w+)$/.exec(rej.error.field ?? '')
  const set = (id: string, f: ReportField, msg: string) => {
    const e = out.get(id) ?? {}
    e[f] ??= msg
    out.set(id, e)
  }
  if (m) {
    const id = issueIds[Number(m[1])]
    const f = (m[2] === 'owner_user_id' ? 'owner' : m[2]) as ReportField
    // Once the problem has that field (filled in after the refusal), the refusal no longer applies
    // to it: an error that stays after the fix erodes trust (issue 16 point 7).
    const p = problems.find((x) => x.id === id)
    const fixed = !!p && (REPORT_FIELDS as readonly string[]).concat('category').includes(f) && !missingFields(p).includes(f)
    if (id && !fixed) set(id, f, `请填写${label(f)}`)
  }
  for (const p of problems) for (const f of missingFields(p)) set(p.id, f, `请填写${label(f)}`)
  return out
}

/** The Chinese part of a server message written as "中文 (English)". */
export function zhPart(msg: string): string {
  const m = /^(.*[\u4e00-\u9fff].*?)\s*\([^\u4e00-\u9fff]*\)$/s.exec(msg)
  return m ? m[1] : msg
}

/** Overdue: a due date before today and not resolved or closed — sync.followup_rules.is_overdue, pinned by tests/data/overdue_cases.json (pwa/tests/overdue.test.ts). */
export function isOverdue(p: Problem, todayIso: string): boolean {
  return !!p.due_date && p.due_date < todayIso && !['resolved', 'closed'].includes(String(p.status ?? 'raised'))
}

/** Overdue problems, longest overdue first. */
export function overdueList<T extends Problem>(problems: T[], todayIso: string): T[] {
  return problems.filter((p) => isOverdue(p, todayIso)).sort((a, b) => str(a.due_date).localeCompare(str(b.due_date)))
}

/** Counts per status for the board's header. */
export function countByStatus(problems: Problem[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(STATUSES.map((s) => [s, 0]))
  for (const p of problems) out[p.status ?? 'raised'] = (out[p.status ?? 'raised'] ?? 0) + 1
  return out
}

/** A problem's events in order (server time when known, else the device's). */
export function timeline<T extends FollowupEvent>(events: T[], issueId: string): T[] {
  return events
    .filter((e) => e.issue_id === issueId)
    .sort((a, b) => str(a.created_at ?? a.client_time ?? '').localeCompare(str(b.created_at ?? b.client_time ?? '')))
}

/** The role a step is taken in (a person may hold several): the roles that may take it, in order
 * (sync/policy.py: assign/decide HR or a leader, work the handler department, 销号 HR …). */
const ACTING_ROLES: Record<string, string[]> = {
  raise: ['cadre', 'hr', 'unit_lead'], assign: ['hr', 'leader'], escalate: ['hr'], decide: ['leader', 'hr'],
  start: ['handler', 'hr'], progress: ['handler', 'hr'], resolve: ['handler', 'hr'], close: ['hr'],
  reopen: ['hr', 'supervisor', 'cadre'],
}
const ROLE_ORDER = ['leader', 'hr', 'supervisor', 'unit_lead', 'handler', 'cadre', 'officer', 'admin']

export function actingRole(kind: string, roles: readonly string[] | null | undefined): string | null {
  const held = roles ?? []
  for (const r of [...(ACTING_ROLES[kind] ?? []), ...ROLE_ORDER]) if (held.includes(r)) return r
  return held[0] ?? null
}

/**
 * The 访谈情况综述 of a submitted report as the report .docx prints it (server/followup/exports/
 * report_docx.py): the report's own summary, else the interview's 访谈总结. Null for a draft (a draft
 * is its cadres' own work) or when neither says anything.
 */
export function reportSummary(report: Record<string, unknown> | null | undefined, interview: Record<string, unknown> | null | undefined): string | null {
  if (!report || report.status !== 'submitted') return null
  const pick = (v: unknown) => (typeof v === 'string' && v.trim() ? v : null)
  return pick(report.summary) ?? pick(interview?.summary)
}

/** Archive needs a submitted report and every problem closed (the server also checks uploads). */
export function canArchive(reportStatus: string | null | undefined, problems: Problem[]): boolean {
  return reportStatus === 'submitted' && problems.length > 0 && problems.every((p) => p.status === 'closed')
}

/**
 * The status a problem will have once this device's unsent events are applied (the server folds
 * them the same way, docs/sync-protocol.md §1.4), so the screens do not offer 办结 twice offline.
 */
export function foldStatus(status: string | null | undefined, handlerUnitId: string | null | undefined, kinds: string[]): string {
  let s = status ?? 'raised'
  let assigned = !!handlerUnitId
  for (const k of kinds) {
    if (k === 'assign') { s = 'assigned'; assigned = true }
    else if (k === 'start' || k === 'progress') s = 'in_progress'
    else if (k === 'resolve') s = 'resolved'
    else if (k === 'close') s = 'closed'
    else if (k === 'reopen') s = assigned ? 'in_progress' : 'raised'
  }
  return s
}

/** Follow-up kinds a handler may post from a status (docs/sync-protocol.md §1.4). */
export function handlerActions(status: string | null | undefined): string[] {
  switch (status ?? 'raised') {
    case 'assigned':
      return ['start', 'progress', 'resolve']
    case 'in_progress':
      return ['progress', 'resolve']
    default:
      return []
  }
}

/** Receipt codes are typed by employees: case-insensitive, dash optional → the /r/ link. */
export function receiptPath(code: string): string {
  const c = code.toUpperCase().replace(/[^0-9A-Z]/g, '')
  return `/r/${c.length === 8 ? `${c.slice(0, 4)}-${c.slice(4)}` : c}`
}

/** The receipt page on the public name employees' phones reach (FANGTAN_PUBLIC_BASE_URL), else this origin. */
export function receiptUrl(code: string, publicBaseUrl = ''): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${receiptPath(code)}`
}

// ---- mutations (docs/sync-protocol.md §1.4) ----

export const REPORT_DEFAULTS: Record<string, unknown> = {
  title: null,
  summary: null,
  status: 'draft',
  issue_ids: [],
  interview_date: null,
  due_date: null,
  calendar_unknown_year: null,
  submitted_at: null,
  submitted_by: null,
}

defineMutation({
  name: 'report.save',
  target: (a) => ({ entity: 'report', id: str(a.interview_id) }),
  coalesce: 'merge',
  base: 'ifExists',
  apply(rows, args, ctx) {
    const r = upsertRow(rows, 'report', str(args.interview_id), ctx.mutationId)
    if (!r.synced && r.row.created_at === undefined) Object.assign(r.row, REPORT_DEFAULTS, { interview_id: args.interview_id, author_id: ctx.userId ?? null, created_at: ctx.clientTime })
    for (const k of ['title', 'summary'] as const) if (k in args) r.row[k] = args[k]
    r.row.updated_at = ctx.clientTime
  },
})

defineMutation({
  name: 'report.submit',
  target: (a) => ({ entity: 'report', id: str(a.interview_id) }),
  coalesce: 'replace',
  base: 'never',
  apply(rows, args, ctx) {
    const r = upsertRow(rows, 'report', str(args.interview_id), ctx.mutationId)
    if (!r.synced && r.row.created_at === undefined) Object.assign(r.row, REPORT_DEFAULTS, { interview_id: args.interview_id, author_id: ctx.userId ?? null, created_at: ctx.clientTime })
    if (r.row.status !== 'submitted') Object.assign(r.row, { status: 'submitted', submitted_at: ctx.clientTime, submitted_by: ctx.userId ?? null })
  },
})

defineMutation({
  name: 'notification.read',
  target: (a) => ({ entity: 'notification', id: str((a.ids as string[])?.[0] ?? '') }),
  coalesce: 'append',
  base: 'never',
  apply(rows, args, ctx) {
    for (const id of (args.ids as string[]) ?? []) {
      if (!rows.has(rowKey('notification', id))) continue // only rows this device has pulled
      const r = upsertRow(rows, 'notification', id, ctx.mutationId)
      if (!r.row.read_at) r.row.read_at = ctx.clientTime
    }
  },
})

export interface ActionContext {
  roles: ReadonlySet<string>
  userId: string
  unitId?: string | null
  /** The user raised the problem or is a cadre of its interview (issue_editors on the server). */
  isRaiser: boolean
  /** The interview is archived: nothing can change any more. */
  archived?: boolean
  /** A `decide` was recorded already (the agenda item is settled). */
  decided?: boolean
}

const OPEN = ['raised', 'assigned', 'in_progress']

/**
 * The follow-up actions this user may take on a problem in its (locally folded) status, in the
 * order the screens show them — the server's rules (sync/mutations/followup.py authorize +
 * sync/issue_status.py), so the app never offers what the server would refuse.
 */
export function problemActions(p: Problem, c: ActionContext): string[] {
  if (c.archived) return []
  const s = p.status ?? 'raised'
  const hr = c.roles.has('hr')
  const leader = c.roles.has('leader')
  const out: string[] = []
  const add = (k: string, when: boolean) => { if (when && !out.includes(k)) out.push(k) }
  const handler = c.roles.has('handler') && !!p.handler_unit_id && (p.handler_unit_id === c.unitId || p.owner_user_id === c.userId)
  if (handler) for (const k of handlerActions(s)) add(k, true)
  add('assign', (hr || leader) && OPEN.includes(s))
  add('escalate', hr && !p.major && OPEN.includes(s))
  add('decide', (hr || leader) && !!p.major && !c.decided && s !== 'closed')
  add('close', hr && s === 'resolved')
  add('reopen', (hr || c.roles.has('supervisor') || c.isRaiser) && (s === 'resolved' || s === 'closed'))
  add('comment', true)
  return out
}

/** Roles that may be named as the verifier (核实人) of a 销号 — sync/policy.py `issue.verify`. */
export const VERIFIER_ROLES = ['supervisor', 'leader', 'cadre', 'unit_lead'] as const

interface VerifierCandidate { id: string; unit_id: string; roles: string[] }
interface UnitPath { id: string; path: string }

export interface VerifyContext {
  /** The person closing (never their own verifier). */
  closerId: string | undefined
  /** The department that did the work (nobody from it checks their own work). */
  handlerUnitId: string | null | undefined
  /** The interview's cadres and author: they heard the problem. */
  interviewCadres: readonly string[]
  /** The problem's units (涉及单位) and the interview's unit. */
  unitIds: readonly string[]
}

/**
 * Who the 销号 sheet offers as verifier — exactly the server's rule (sync/policy.py
 * `_independent_verifier`, docs/followup.md "Who may verify"): not the closer, not from the handler
 * department, and close to the problem: the supervision group or a leader, a cadre of this interview,
 * a unit lead in or above a unit concerned. Supervisors and leaders first, then cadres, then unit leads.
 */
export function eligibleVerifiers<T extends VerifierCandidate>(users: T[], units: UnitPath[], c: VerifyContext): T[] {
  const pathOf = new Map(units.map((u) => [u.id, u.path]))
  const dept = c.handlerUnitId ? pathOf.get(c.handlerUnitId) : undefined
  const paths = c.unitIds.map((id) => pathOf.get(id)).filter((p): p is string => !!p)
  const rank = (u: T): number => {
    const path = pathOf.get(u.unit_id) ?? ''
    if (u.id === c.closerId || (dept && path.startsWith(dept))) return -1
    if (u.roles.includes('supervisor') || u.roles.includes('leader')) return 0
    if (u.roles.includes('cadre') && c.interviewCadres.includes(u.id)) return 1
    if (u.roles.includes('unit_lead') && !!path && paths.some((p) => p.startsWith(path))) return 2
    return -1
  }
  return users.map((u) => ({ u, r: rank(u) })).filter((x) => x.r >= 0).sort((a, b) => a.r - b.r).map((x) => x.u)
}

/**
 * Where the report's 访谈情况综述 starts (issue 16 point 7): what the cadre wrote there; for a report
 * still empty (new, or nothing written yet) and not submitted, the interview's 访谈总结, which the
 * cadre then edits. Never replaces text the cadre wrote.
 */
export function reportSummaryStart(report: { summary?: unknown; status?: unknown } | undefined, interview: { summary?: unknown } | undefined): string {
  const own = typeof report?.summary === 'string' ? report.summary : ''
  if (own.trim() || report?.status === 'submitted') return own
  return typeof interview?.summary === 'string' ? interview.summary : ''
}
