// What the status bar shows. Plain Vue reactivity so any screen can read it.
import { reactive } from 'vue'

export interface MediaProgress {
  /** Blobs waiting or uploading */
  pending: number
  bytesTotal: number
  bytesDone: number
  current?: string
}

export const syncStatus = reactive({
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  syncing: false,
  phase: '' as '' | 'push' | 'pull' | 'media',
  /** Outbox entries not yet confirmed by the server */
  pendingCount: 0,
  /** Open conflicts and open rejections (for badges) */
  conflictCount: 0,
  rejectionCount: 0,
  lastSyncAt: null as string | null,
  lastSyncOkAt: null as string | null,
  lastError: null as { code: string; message: string } | null,
  /** ISO time of the oldest unsynced item */
  oldestUnsynced: null as string | null,
  clientTooOld: false,
  needsSignIn: false,
  /** The server revoked this device (shell/revocation.ts): no more syncing. */
  revoked: false,
  media: { pending: 0, bytesTotal: 0, bytesDone: 0 } as MediaProgress,
  /** Storage: navigator.storage.persisted() and estimate() */
  persisted: null as boolean | null,
  usage: null as number | null,
  quota: null as number | null,
})

export const STALE_AFTER_MS = 3 * 24 * 3600 * 1000

export function isStale(oldest: string | null, now = Date.now()): boolean {
  return !!oldest && now - Date.parse(oldest) > STALE_AFTER_MS
}
