// Revocation purge (docs/security.md §6 "Revocation"): what counts as unsynced work, and wiping
// everything this install keeps. No Vue here; shell/revocation.ts decides *when* to purge.
import { getDB } from './db'

export interface UnsyncedCounts {
  /** Outbox mutations not yet confirmed by the server. */
  outbox: number
  /** Typed text that is not a mutation yet (note composers, issue forms). */
  drafts: number
  /** Photos and voice memos whose bytes the server does not have yet. */
  blobs: number
  /** Voice memo chunks of a recording not yet assembled. */
  recordings: number
  total: number
}

export async function unsyncedCounts(): Promise<UnsyncedCounts> {
  const db = await getDB()
  const [outbox, drafts, recordings, blobList] = await Promise.all([
    db.count('outbox'),
    db.count('drafts'),
    db.count('recordings'),
    db.getAll('blobs'),
  ])
  const blobs = blobList.filter((b) => b.status !== 'done').length
  return { outbox, drafts, blobs, recordings, total: outbox + drafts + blobs + recordings }
}

/** The BroadcastChannel other tabs listen on: a purge in one tab sends the others to sign-in. */
export const PURGE_CHANNEL = 'fangtan-purged'

/**
 * Wipe this install: every IndexedDB store in one transaction (rows, outbox, drafts, blobs, keys,
 * app lock, tokens — all of `meta`), localStorage (the auto-save journal, the locale),
 * sessionStorage and every Cache Storage cache except the service worker's precache (the app's
 * own public code, no user data; keeping it lets the sign-in page open). The caller checks first
 * that nothing unsynced is left or that the user exported or acknowledged it.
 */
export async function purgeLocalData(): Promise<void> {
  const db = await getDB()
  const names = [...db.objectStoreNames]
  const tx = db.transaction(names, 'readwrite')
  await Promise.all([...names.map((n) => tx.objectStore(n).clear()), tx.done])
  try {
    if (typeof localStorage !== 'undefined') localStorage.clear()
    if (typeof sessionStorage !== 'undefined') sessionStorage.clear()
  } catch {
    /* storage disabled */
  }
  if (typeof caches !== 'undefined') {
    for (const name of await caches.keys()) if (!name.startsWith('workbox-precache')) await caches.delete(name)
  }
  if (typeof BroadcastChannel !== 'undefined') {
    const ch = new BroadcastChannel(PURGE_CHANNEL)
    ch.postMessage('purged')
    ch.close()
  }
}
