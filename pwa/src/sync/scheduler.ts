// When sync runs: on open, on `online`, when the app becomes visible, every few minutes while
// visible and online, shortly after local changes, and on the 立即同步 button.
import { syncNow, type SyncReport } from './client'
import { syncStatus } from './status'
import { onChange } from '@/store/events'
import { getDB } from '@/store/db'
import { getMetaMany } from '@/store/meta'
import { oldestUnsynced } from '@/store/outbox'
import { flushAutosave } from '@/store/autosave'
import { refreshEstimate } from '@/shell/storage'
import { isWriter } from '@/shell/writer'
import { handleRevocation } from '@/shell/revocation'
import { hasDataKey, locked } from '@/shell/lock'
import { refreshUnlockShare } from '@/shell/unlockShare'
import { tellServerLocale } from '@/shell/localeChoice'
import { watch } from 'vue'

const PERIODIC_MS = 3 * 60 * 1000
const AFTER_CHANGE_MS = 8 * 1000

let changeTimer: ReturnType<typeof setTimeout> | null = null
let started = false

export async function refreshStatus(): Promise<void> {
  const db = await getDB()
  const [pending, rejections, oldest, meta] = await Promise.all([
    db.count('outbox'),
    db.countFromIndex('rejections', 'by_status', 'open'),
    oldestUnsynced(),
    getMetaMany(['last_sync_at', 'last_sync_ok_at', 'last_sync_error', 'client_too_old', 'needs_sign_in', 'persisted', 'revoked', 'clock_offset_ms']),
  ])
  const conflictRows = await db.getAllFromIndex('conflicts', 'by_status', 'open')
  syncStatus.pendingCount = pending
  syncStatus.conflictCount = conflictRows.filter((c) => c.kind !== 'soft').length
  syncStatus.rejectionCount = rejections
  syncStatus.oldestUnsynced = oldest ?? null
  syncStatus.lastSyncAt = meta.last_sync_at ?? null
  syncStatus.lastSyncOkAt = meta.last_sync_ok_at ?? null
  syncStatus.lastError = meta.last_sync_error ?? null
  syncStatus.clientTooOld = !!meta.client_too_old
  syncStatus.needsSignIn = !!meta.needs_sign_in
  syncStatus.revoked = !!meta.revoked
  syncStatus.clockOffsetMs = meta.clock_offset_ms ?? null
  if (syncStatus.persisted === null && meta.persisted !== undefined) syncStatus.persisted = meta.persisted
}

/** Run a sync now (no-op offline, in a read-only tab, or while one is running). */
export async function triggerSync(reason = 'manual'): Promise<SyncReport | null> {
  if (!isWriter.value || syncStatus.revoked) return null
  // Locked, or no PIN set yet: nothing may be decrypted or stored (docs/security.md §6).
  if (!hasDataKey()) return null
  // A one-time password not yet replaced: the server refuses everything until then.
  if ((await getMetaMany(['must_change_password'])).must_change_password) return null
  if (typeof navigator !== 'undefined' && navigator.onLine === false) {
    syncStatus.online = false
    return null
  }
  await flushAutosave()
  syncStatus.syncing = true
  try {
    const report = await syncNow()
    if (report.error?.code === 'network') syncStatus.online = false
    else if (report.ok) syncStatus.online = true
    // Every sync contact renews the cached unlock share (docs/security.md §6).
    if (report.ok) await refreshUnlockShare()
    // A language chosen offline is told with the first sync that gets through.
    if (report.ok) await tellServerLocale()
    void reason
    return report
  } finally {
    syncStatus.syncing = false
    await refreshStatus()
    // The sync may have learnt that this device was revoked: purge or offer the export now that
    // nothing writes any more (shell/revocation.ts).
    if (syncStatus.revoked) await handleRevocation()
    else void refreshEstimate()
  }
}

export function startScheduler(): void {
  if (started) return
  started = true
  void refreshStatus()
  // Sync right after an unlock (or the PIN being set): what waited while locked goes out.
  watch(locked, (isLocked) => {
    if (!isLocked) void triggerSync('unlock')
  })
  window.addEventListener('online', () => {
    syncStatus.online = true
    void triggerSync('online')
  })
  window.addEventListener('offline', () => {
    syncStatus.online = false
  })
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void triggerSync('visible')
  })
  setInterval(() => {
    if (document.visibilityState === 'visible') void triggerSync('periodic')
  }, PERIODIC_MS)
  onChange(async (kinds) => {
    await refreshStatus()
    // Local edits: sync soon after (the office Wi-Fi case). Not while a sync runs (its own writes
    // notify too), not when nothing waits, and at most once a minute after a failed attempt.
    if (!(kinds.has('outbox') || kinds.has('blobs')) || syncStatus.syncing) return
    if (syncStatus.pendingCount === 0 && syncStatus.media.pending === 0) return
    const last = syncStatus.lastSyncAt ? Date.parse(syncStatus.lastSyncAt) : 0
    const gap = syncStatus.lastError ? 60_000 : 30_000
    const wait = Math.max(AFTER_CHANGE_MS, last + gap - Date.now())
    if (changeTimer) return // already scheduled
    changeTimer = setTimeout(() => {
      changeTimer = null
      void triggerSync('change')
    }, wait)
  })
  void triggerSync('open')
}
