// The follow-up loop's writes as the screens make them (rules in domain/followup.ts): follow-up
// events on a problem, the interview report (title/summary, submission) and notification receipts.
import { enqueue } from '@/store/outbox'

/** One follow-up event (交办, 进展, 办结, 销号 …) on an issue. */
export async function addFollowup(args: Record<string, unknown>): Promise<void> {
  await enqueue('followup.add', args)
}

/** The report's own text; only the fields in `patch` (those that changed) are sent. */
export async function saveReport(interviewId: string, patch: Record<string, unknown>): Promise<void> {
  if (Object.keys(patch).length) await enqueue('report.save', { interview_id: interviewId, ...patch })
}

export async function submitReport(interviewId: string): Promise<void> {
  await enqueue('report.submit', { interview_id: interviewId })
}

/** The server takes at most 500 ids a mutation. */
const READ_BATCH = 500

export async function markNotificationsRead(ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += READ_BATCH) await enqueue('notification.read', { ids: ids.slice(i, i + READ_BATCH) })
}
