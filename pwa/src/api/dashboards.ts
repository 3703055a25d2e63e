// Online figures of the dashboard and the cadre assessment (HR and leaders).
import { api } from '@/sync/api'
import type { PendingPeriod, ScoreMeans } from '@/api/evaluation'

export interface Count { key: string; label: string; count: number }
export interface PlanCount { key: string; label: string; total: number; done: number; late: number; missed: number; planned: number }
export interface UnitScores { unit: string; responses: number; cadres: number; attitude: number | null; professionalism: number | null; responsiveness: number | null }

export interface Dashboard {
  year: number
  quarter: number | null
  k: number
  start: string
  end: string
  plan_by_unit: PlanCount[]
  plan_by_month: PlanCount[]
  problems_total: number
  problems_by_category: Count[]
  problems_by_status: Count[]
  problems_by_department: Count[]
  overdue: number
  median_days_to_close: number | null
  closure_time: Count[]
  evaluation_company: UnitScores
  evaluation_by_unit: UnitScores[]
  signals: { kind: string; label: string; count: number }[]
  /** Quarters of the period not over yet: their ratings and the all-5s signal are 待发布. */
  evaluation_pending: PendingPeriod[]
}

export interface AssessmentRow {
  cadre_id: string
  cadre_name: string
  unit_name: string
  post: string | null
  /** released | pending (待发布, the quarter is not over) | insufficient (样本不足) */
  evaluation_status: 'released' | 'pending' | 'insufficient'
  evaluation_release_on: string
  evaluation_responses: number | null
  scores: ScoreMeans | null
  /** held/due with rate = held/due, all computed by the server once (server/plans/progress.py CompletionCount). */
  plan: { total: number; done: number; late: number; missed: number; planned: number; held: number; due: number; rate: number | null }
  reports: { due: number; on_time: number; late: number; overdue: number; not_yet_due: number }
  problems: { raised: number; assigned: number; closed: number; overdue: number; median_days_to_assign: number | null; median_days_to_close: number | null }
}

export interface Assessment { year: number; quarter: number; period: string; k: number; rows: AssessmentRow[] }

export function periodQuery(year: number, quarter: number | null): string {
  const q = new URLSearchParams({ year: String(year) })
  if (quarter) q.set('quarter', String(quarter))
  return q.toString()
}

export const fetchDashboard = (year: number, quarter: number | null) => api<Dashboard>(`/api/dashboards?${periodQuery(year, quarter)}`)
export const fetchAssessment = (year: number, quarter: number) => api<Assessment>(`/api/assessment?${periodQuery(year, quarter)}`)
