// Plan coverage warnings (每季度 1 次 / 年度深度复盘 / 每月 1 次): computed by the server, online only.
import { api } from '@/sync/api'

export interface CoverageWarning { kind: string; message_zh: string }

export function fetchCoverage(year: number): Promise<CoverageWarning[]> {
  return api<CoverageWarning[]>(`/api/plans/coverage?year=${year}`, { timeoutMs: 15000 })
}
