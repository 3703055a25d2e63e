// Online-only calls of the follow-up screens: archiving and the late-report list (server-computed).
import { api } from '@/sync/api'
import { isOnline, OfflineError } from './online'

/** POST /api/archives/{id}: the server refuses unless the report is submitted and all is closed and uploaded. */
export async function archiveInterview(interviewId: string): Promise<void> {
  if (!isOnline()) throw new OfflineError('offline')
  await api(`/api/archives/${encodeURIComponent(interviewId)}`, { method: 'POST', timeoutMs: 120000 })
}

export interface LateReportItem {
  interview_id: string
  interview_date: string
  due_date: string
  days_overdue: number
  working_days_overdue: number
  report_status: 'draft' | 'none'
}
export interface LateReports {
  today: string
  cadres: { cadre_id: string; cadre_name: string; reports: LateReportItem[] }[]
  unknown_due: { interview_id: string; interview_date: string; calendar_unknown_year: number; cadre_ids: string[] }[]
}

/** GET /api/followup/late-reports (HR, leaders): computed by the server, which has the working-day calendar. */
export async function fetchLateReports(): Promise<LateReports> {
  if (!isOnline()) throw new OfflineError('offline')
  return api<LateReports>('/api/followup/late-reports', { timeoutMs: 30000 })
}
