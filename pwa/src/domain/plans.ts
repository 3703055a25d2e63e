// Plans (docs/plans-and-supervision.md): the `plan.save` mutation as the client sees it, and the
// completion status of a plan item computed from the interviews on this device — the twin of
// server/plans/progress.py, so a tablet shows 已完成/逾期完成/未完成 offline.
import { defineMutation, upsertRow } from '@/store/registry'
import { enqueue } from '@/store/outbox'
import { chinaDay } from './validate'

export type PlanCompletion = 'planned' | 'done' | 'late' | 'missed'
export type PlanScope = 'company' | 'unit'
export type PlanKind = 'quarterly' | 'deep_review' | 'monthly' | 'adhoc'
export const KINDS: Record<PlanScope, PlanKind[]> = { company: ['quarterly', 'deep_review'], unit: ['monthly', 'adhoc'] }

export interface PlanItem {
  id: string
  scope: PlanScope
  kind: PlanKind
  year: number
  quarter: number | null
  month: number | null
  cadre_id: string
  unit_id: string
  window_start: string
  window_end: string
  title: string | null
  reason: string | null
  status: 'active' | 'cancelled'
}

const pad = (n: number): string => String(n).padStart(2, '0')

/** First and last day (YYYY-MM-DD) of a month, a quarter or the whole year. */
export function periodBounds(year: number, quarter?: number | null, month?: number | null): [string, string] {
  const last = (m: number): number => new Date(Date.UTC(year, m, 0)).getUTCDate()
  if (month) return [`${year}-${pad(month)}-01`, `${year}-${pad(month)}-${pad(last(month))}`]
  if (quarter) {
    const first = 3 * (quarter - 1) + 1
    return [`${year}-${pad(first)}-01`, `${year}-${pad(first + 2)}-${pad(last(first + 2))}`]
  }
  return [`${year}-01-01`, `${year}-12-31`]
}

/** The calendar day of an instant in China Standard Time (one definition: domain/validate.ts). */
export { chinaDay }

export function statusOf(windowEnd: string, heldOn: string | null, today: string): PlanCompletion {
  if (heldOn) return heldOn <= windowEnd ? 'done' : 'late'
  return today > windowEnd ? 'missed' : 'planned'
}

/** Per plan item id: the first day a submitted interview that links it was held. */
export function heldDays(interviews: Record<string, unknown>[]): Map<string, { day: string; interviewId: string }> {
  const out = new Map<string, { day: string; interviewId: string }>()
  for (const iv of interviews) {
    const pid = iv.plan_item_id
    if (typeof pid !== 'string' || iv.status !== 'submitted') continue
    const when = (iv.started_at ?? iv.submitted_at ?? iv.created_at) as string | undefined
    if (!when) continue
    const day = chinaDay(when)
    const seen = out.get(pid)
    if (!seen || day < seen.day) out.set(pid, { day, interviewId: String(iv.id) })
  }
  return out
}

/**
 * Where a plan item stands for the cadre who visits (issue 16 point 7): 已逾期 (the window is over and
 * no visit was held — it can still be done, late), 待访谈 (the window is open now), 未开始 (the window
 * is still ahead), or completed (已完成 / 逾期完成).
 */
export type VisitStanding = 'overdue' | 'current' | 'upcoming' | 'completed'

export function visitStanding(item: Pick<PlanItem, 'window_start'>, status: PlanCompletion, today: string): VisitStanding {
  if (status === 'done' || status === 'late') return 'completed'
  if (status === 'missed') return 'overdue'
  return item.window_start <= today ? 'current' : 'upcoming'
}

/**
 * A cadre's plan items in the order they are worked through: the overdue and current ones first
 * (earliest deadline first, so the overdue lead), then the upcoming ones (soonest first), then the
 * completed ones (most recent first), which the screens fold away. Cancelled items are left out.
 */
export function visitOrder<T extends { item: Pick<PlanItem, 'window_start' | 'window_end'>; status: PlanCompletion | 'cancelled' }>(
  entries: T[],
  today: string,
): { due: Array<T & { standing: VisitStanding }>; upcoming: Array<T & { standing: VisitStanding }>; completed: Array<T & { standing: VisitStanding }> } {
  const withStanding = entries
    .filter((e) => e.status !== 'cancelled')
    .map((e) => ({ ...e, standing: visitStanding(e.item, e.status as PlanCompletion, today) }))
  const by = (a: string, b: string) => a.localeCompare(b)
  return {
    due: withStanding.filter((e) => e.standing === 'overdue' || e.standing === 'current').sort((a, b) => by(a.item.window_end, b.item.window_end) || by(a.item.window_start, b.item.window_start)),
    upcoming: withStanding.filter((e) => e.standing === 'upcoming').sort((a, b) => by(a.item.window_start, b.item.window_start) || by(a.item.window_end, b.item.window_end)),
    completed: withStanding.filter((e) => e.standing === 'completed').sort((a, b) => by(b.item.window_end, a.item.window_end)),
  }
}

export interface Counts { total: number; planned: number; done: number; late: number; missed: number }

export function countBy<T>(items: T[], key: (t: T) => string, status: (t: T) => PlanCompletion): Map<string, Counts> {
  const out = new Map<string, Counts>()
  for (const it of items) {
    const k = key(it)
    const c = out.get(k) ?? { total: 0, planned: 0, done: 0, late: 0, missed: 0 }
    c.total += 1
    c[status(it)] += 1
    out.set(k, c)
  }
  return out
}

defineMutation({
  name: 'plan.save',
  target: (a) => ({ entity: 'plan_item', id: String(a.id) }),
  coalesce: 'merge',
  base: 'ifExists',
  apply(rows, args, ctx) {
    const r = upsertRow(rows, 'plan_item', String(args.id), ctx.mutationId)
    if (!r.synced && r.row.created_at === undefined) {
      Object.assign(r.row, { quarter: null, month: null, title: null, reason: null, status: 'active', created_by: ctx.userId ?? null, created_at: ctx.clientTime })
      const [lo, hi] = periodBounds(Number(args.year), args.quarter as number | null, args.month as number | null)
      Object.assign(r.row, { window_start: lo, window_end: hi })
    }
    for (const [k, v] of Object.entries(args)) if (k !== 'id') r.row[k] = v
    r.row.updated_at = ctx.clientTime
  },
})

/** Add or edit a plan item (`plan.save`). */
export async function savePlan(args: Record<string, unknown>): Promise<void> {
  await enqueue('plan.save', args)
}

export async function cancelPlan(id: string): Promise<void> {
  await enqueue('plan.save', { id, status: 'cancelled' })
}
