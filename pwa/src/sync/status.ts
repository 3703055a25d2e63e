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
  /** This device's clock minus the server's (ms), measured at the last push; null before the first. */
  clockOffsetMs: null as number | null,
  /** Sync runs begun and ended in this tab. A run asked for while one is going joins it, so
   *  whoever must see a sync that began after asking (立即同步 in the browser checks) waits for
   *  `ended` to pass the `begun` it read before asking; the status bar exposes both. */
  runs: { begun: 0, ended: 0 },
})

export const STALE_AFTER_MS = 3 * 24 * 3600 * 1000

export function isStale(oldest: string | null, now = Date.now()): boolean {
  return !!oldest && now - Date.parse(oldest) > STALE_AFTER_MS
}

/** Beyond this the tablet's clock is called wrong (banner on every screen). */
export const CLOCK_WARN_MS = 5 * 60 * 1000

/**
 * This device's clock minus the server's, in ms: the server stamped `serverTime` somewhere between
 * sending (`sentAtMs`) and receiving (`receivedAtMs`), both read from this device's clock; the
 * midpoint is the best guess of when (error at most half the round trip). Null when unparsable.
 */
export function clockOffsetMs(sentAtMs: number, receivedAtMs: number, serverTime: string | undefined | null): number | null {
  if (!serverTime) return null
  const server = Date.parse(serverTime)
  if (!Number.isFinite(server) || !Number.isFinite(sentAtMs) || !Number.isFinite(receivedAtMs)) return null
  return Math.round((sentAtMs + receivedAtMs) / 2 - server)
}

/** True when the offset is known and larger than five minutes either way. */
export function clockWrong(offsetMs: number | null | undefined): boolean {
  return offsetMs != null && Math.abs(offsetMs) > CLOCK_WARN_MS
}

/** The offset in whole seconds for display (+ means the device is ahead). */
export function offsetSeconds(offsetMs: number): number {
  return Math.round(offsetMs / 1000)
}

/** What the wrong-clock banner says, or null when no banner is due. */
export function clockBanner(offsetMs: number | null | undefined): { min: number; ahead: boolean } | null {
  if (offsetMs == null || !clockWrong(offsetMs)) return null
  return { min: Math.round(Math.abs(offsetMs) / 60_000), ahead: offsetMs > 0 }
}
