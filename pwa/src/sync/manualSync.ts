// 立即同步 pressed by hand always answers (issue 16 point 7): offline, or the server out of reach, it
// says so and that the changes stay queued on this device; after a sync it says it is done. The
// automatic syncs stay silent (the status bar shows their state).
import { showToast } from 'vant'
import { i18n, keyOf } from '@/i18n'
import { syncStatus } from './status'
import { triggerSync } from './scheduler'
import type { SyncReport } from './client'

export interface Notice {
  key: string
  params?: Record<string, unknown>
}

/**
 * What to tell the user after a sync by hand. `report`: triggerSync's answer (null: not run);
 * `offline`: the browser knows it has no network; `pending`: outbox entries still waiting;
 * `media`: photos/recordings still waiting. null: nothing to say (e.g. the app is locked).
 */
export function manualSyncNotice(report: SyncReport | null, state: { offline: boolean; pending: number; media: number }): Notice | null {
  const n = state.pending
  if (state.offline || report?.skipped === 'offline') return n ? { key: 'manualSync.offline', params: { n } } : { key: 'manualSync.offlineNothing' }
  if (!report) return null
  if (report.error?.code === 'network') return n ? { key: 'manualSync.unreachable', params: { n } } : { key: 'manualSync.unreachableNothing' }
  if (report.error) return { key: 'manualSync.failed', params: { n, reason: { key: `syncError.${keyOf(report.error.code)}`, code: report.error.code } } }
  if (report.skipped) return null
  return state.media ? { key: 'manualSync.doneWithMedia', params: { n: state.media } } : { key: 'manualSync.done' }
}

/** The text of a notice in the current locale (a nested `reason` is a sync error code's text). */
export function noticeText(notice: Notice): string {
  const { t, te } = i18n.global as unknown as { t: (k: string, p?: Record<string, unknown>) => string; te: (k: string) => boolean }
  const params = { ...(notice.params ?? {}) }
  const reason = params.reason as { key: string; code: string } | undefined
  if (reason) params.reason = te(reason.key) ? t(reason.key) : t('syncError.other', { code: reason.code })
  return t(notice.key, params)
}

/** The 立即同步 button: sync, then say what happened. */
export async function syncByHand(): Promise<SyncReport | null> {
  const offline = typeof navigator !== 'undefined' && navigator.onLine === false
  const report = await triggerSync('button')
  const notice = manualSyncNotice(report, { offline, pending: syncStatus.pendingCount, media: syncStatus.media.pending })
  // Trouble stays up long enough to read; a plain 已同步 only confirms the tap.
  const trouble = notice && notice.key !== 'manualSync.done'
  if (notice) showToast({ message: noticeText(notice), position: 'top', duration: trouble ? 4000 : 1500, className: 'manual-sync-notice' })
  return report
}
