// Plan coverage warnings (每季度 1 次 / 年度深度复盘 / 每月 1 次): computed by the server, online only.
import { api } from '@/sync/api'

export interface CoverageWarning { kind: string; message_zh: string }

export function fetchCoverage(year: number): Promise<CoverageWarning[]> {
  return api<CoverageWarning[]>(`/api/plans/coverage?year=${year}`, { timeoutMs: 15000 })
}

// 复制上年计划 (HR): `apply: false` counts, `apply: true` creates the items through plan.save on the server.
export interface PlanCopy { from_year: number; to_year: number; to_create: number; already_there: number; created: number; rejected: string[] }

export function copyPlan(fromYear: number, toYear: number, apply: boolean): Promise<PlanCopy> {
  return api<PlanCopy>('/api/plans/copy', { method: 'POST', json: { from_year: fromYear, to_year: toYear, apply }, timeoutMs: 120000 })
}
