// Online-only actions of the follow-up screens: file downloads (exports, archive) and archiving.
import { api, ApiError, NetworkError } from '@/sync/api'

export class OfflineError extends Error {}

export function isOnline(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false
}

/** Download an authenticated file (the bearer token cannot go in a plain link). */
export async function download(path: string, fallbackName: string): Promise<void> {
  if (!isOnline()) throw new OfflineError('offline')
  const res = await api<Response>(path, { raw: true, timeoutMs: 60000 })
  const blob = await res.blob()
  const cd = res.headers.get('content-disposition') ?? ''
  const m = /filename\*=UTF-8''([^;]+)/i.exec(cd)
  const name = m ? decodeURIComponent(m[1]) : fallbackName
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10000)
}

/** POST /api/archives/{id}: the server refuses unless the report is submitted and all is closed and uploaded. */
export async function archiveInterview(interviewId: string): Promise<void> {
  if (!isOnline()) throw new OfflineError('offline')
  await api(`/api/archives/${encodeURIComponent(interviewId)}`, { method: 'POST', timeoutMs: 120000 })
}

export function errorText(e: unknown, offlineText: string): string {
  if (e instanceof OfflineError || e instanceof NetworkError) return offlineText
  if (e instanceof ApiError) return e.message
  if (e instanceof Error && /network|fetch/i.test(e.message)) return offlineText
  return String((e as Error)?.message ?? e)
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
