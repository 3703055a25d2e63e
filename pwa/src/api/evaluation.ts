// Online calls of the evaluation screens (HR and leaders read results; HR enters paper questionnaires).
import { api } from '@/sync/api'

export interface ScoreMeans {
  attitude: number | null
  professionalism: number | null
  responsiveness: number | null
}

export interface ReleasedCell {
  cadre_id: string
  cadre_name: string
  unit_name: string
  period: string
  responses: number
  scores: ScoreMeans
  comments: string[] | null
}

export interface EvaluationResults {
  k: number
  k_comments: number
  periods: string[]
  cells: ReleasedCell[]
  suppressed: { cadre_id: string; cadre_name: string; period: string }[]
  pooled: { responses: number; cadres: number; scores: ScoreMeans }
  /** Quarters not over yet: nothing of them is shown before `release_on` (待发布). */
  pending: PendingPeriod[]
}

export interface PendingPeriod {
  period: string
  release_on: string
  reason: string
}

export interface Filter {
  year: number
  quarter?: number | null
  unitId?: string | null
}

export function query(f: Filter): string {
  const q = new URLSearchParams({ year: String(f.year) })
  if (f.quarter) q.set('quarter', String(f.quarter))
  if (f.unitId) q.set('unit_id', f.unitId)
  return q.toString()
}

export function fetchResults(f: Filter): Promise<EvaluationResults> {
  return api<EvaluationResults>(`/api/evaluation/results?${query(f)}`)
}

export interface PaperAnswer {
  ticket: string
  attitude: number
  professionalism: number
  responsiveness: number
  comment?: string
}

export async function enterPaper(answer: PaperAnswer): Promise<void> {
  await api('/api/evaluation/paper', { method: 'POST', json: answer })
}

export const SCORE_FIELDS = ['attitude', 'professionalism', 'responsiveness'] as const

export function currentQuarter(d = new Date()): { year: number; quarter: number } {
  return { year: d.getFullYear(), quarter: Math.floor(d.getMonth() / 3) + 1 }
}
