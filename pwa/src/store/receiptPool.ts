// The tablet's pool of 回执码 reserved for it by the server (docs/followup.md "回执码 in the
// employee's hand"): a problem raised offline takes one at once — in the same IndexedDB transaction
// as its `issue.raise` outbox entry (store/outbox.ts), so a reload can never hand the same code out
// twice — and the server accepts it at sync only from this device. Topped up after every sync.
// Codes are not secrets (an unspent code opens nothing at /r/), so they are kept readable in `meta`.
import type { IDBPObjectStore } from 'idb'
import { getDB } from './db'
import { notifyChange, onChange } from './events'
import { api } from '@/sync/api'

export const POOL_KEY = 'receipt_pool'
/** Codes spent here whose problem the server may not have yet (kept out of a refreshed pool). */
export const SPENT_KEY = 'receipt_spent'
/** Fewer left than this: warn (the server's `low`, until the first top-up says). */
export const DEFAULT_LOW = 20

interface PoolResponse {
  codes: string[]
  pool_size: number
  low: number
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type MetaStore = IDBPObjectStore<any, any, 'meta', 'readwrite'>

/** Take the oldest unspent code inside the caller's transaction; null when the pool is empty. */
export async function spendInTx(meta: MetaStore): Promise<string | null> {
  const pool = ((await meta.get(POOL_KEY)) as string[] | undefined) ?? []
  const code = pool[0]
  if (!code) return null
  const spent = ((await meta.get(SPENT_KEY)) as string[] | undefined) ?? []
  await meta.put(pool.slice(1), POOL_KEY)
  await meta.put([...spent, code], SPENT_KEY)
  return code
}

export async function poolLeft(): Promise<{ left: number; low: number }> {
  const db = await getDB()
  const pool = ((await db.get('meta', POOL_KEY)) as string[] | undefined) ?? []
  const low = ((await db.get('meta', 'receipt_pool_low')) as number | undefined) ?? DEFAULT_LOW
  return { left: pool.length, low }
}

let refreshing: Promise<number> | null = null

/** Ask the server to top the pool up; the codes this tablet already spent stay out of it. */
export function refreshReceiptPool(): Promise<number> {
  if (!refreshing) {
    refreshing = (async () => {
      const res = await api<PoolResponse>('/api/sync/receipt-codes', { method: 'POST', json: {} })
      const db = await getDB()
      const tx = db.transaction('meta', 'readwrite')
      const meta = tx.objectStore('meta')
      const server = new Set(res.codes)
      // A spent code the server no longer lists as free has reached it with its problem: forget it.
      const spent = (((await meta.get(SPENT_KEY)) as string[] | undefined) ?? []).filter((c) => server.has(c))
      const taken = new Set(spent)
      const pool = res.codes.filter((c) => !taken.has(c))
      await meta.put(pool, POOL_KEY)
      await meta.put(spent, SPENT_KEY)
      await meta.put(res.low, 'receipt_pool_low')
      await tx.done
      notifyChange('meta')
      return pool.length
    })().finally(() => {
      refreshing = null
    })
  }
  return refreshing
}

let started = false

/**
 * Top up after every sync (the tablet is online and signed in then — the first sync after sign-in
 * delivers the pool at enrolment), and once at start when already signed in.
 */
export function startReceiptTopUp(signedIn: boolean): void {
  if (started) return
  started = true
  if (signedIn) void refreshReceiptPool().catch(() => undefined)
  onChange((kinds) => {
    if (kinds.has('sync')) void refreshReceiptPool().catch(() => undefined)
  })
}
