// The tablet's pool of anonymous evaluation tickets (docs/evaluation.md). The server issues
// tickets while online; the tablet keeps ~50 unused ones in IndexedDB so it can hand them out
// offline after an interview, and tops the pool up after each successful sync.
import { decryptString, encryptString } from '@/store/atrest'
import { getDB } from '@/store/db'
import { onChange } from '@/store/events'
import { api } from '@/sync/api'
import { currentUser } from '@/shell/session'

export const POOL_SIZE = 50
const META_KEY = 'evaluation_tickets'
/** Handed-out tickets are kept this long (to reprint a sheet), then forgotten. */
const KEEP_HANDED_OUT_MS = 30 * 24 * 3600 * 1000

export interface PoolTicket {
  ticket: string
  number: string
  issued_at: string
  handed_out_at?: string
  /** The server's FANGTAN_PUBLIC_BASE_URL when the ticket was issued: the name employees' phones reach. */
  base_url?: string
}

interface IssuedBatch {
  tickets: { ticket: string; number: string }[]
  outstanding: number
  public_base_url?: string
}

// Unused tickets are bearer tokens (whoever holds one may rate the cadre), so the pool is encrypted
// under the local data key like every other record (store/atrest.ts), although it lives in `meta`,
// which is otherwise kept readable for the lock itself. An older plaintext pool is read once and
// encrypted on the next write.
async function readPool(): Promise<PoolTicket[]> {
  const db = await getDB()
  const stored = (await db.get('meta', META_KEY)) as string | PoolTicket[] | undefined
  if (stored === undefined) return []
  if (Array.isArray(stored)) return stored
  return JSON.parse(decryptString('meta', META_KEY, stored)) as PoolTicket[]
}

async function writePool(pool: PoolTicket[]): Promise<void> {
  const encrypted = encryptString('meta', META_KEY, JSON.stringify(pool))
  if (encrypted === null) throw new Error('the ticket pool is written only while unlocked')
  const db = await getDB()
  await db.put('meta', encrypted, META_KEY)
}

export async function unusedTickets(): Promise<PoolTicket[]> {
  return (await readPool()).filter((t) => !t.handed_out_at)
}

/** The link a ticket's QR code carries: the server's rating page, absolute from this origin. */
export function ticketUrl(ticket: string, origin = location.origin): string {
  return `${origin}/e/${ticket}`
}

/** The link on a pooled ticket's slip: the public base URL it was issued with (employees' phones
 *  cannot trust the plant's private CA, docs/deploy.md §6), else this tablet's origin. */
export function slipUrl(p: PoolTicket, origin?: string): string {
  return ticketUrl(p.ticket, p.base_url || origin || location.origin)
}

/** The rating link with the interview's date and place in its fragment (never sent to the server). */
export function withContext(url: string, ctx: { d?: string; p?: string }): string {
  const parts = Object.entries(ctx).filter(([, v]) => v).map(([k, v]) => `${k}=${encodeURIComponent(v as string)}`)
  return parts.length ? `${url}#${parts.join('&')}` : url
}

let topping: Promise<number> | null = null

/** Ask the server for enough tickets to fill the pool (online cadres only); returns the unused count. */
export function topUp(): Promise<number> {
  if (!topping) {
    topping = (async () => {
      const pool = await readPool()
      const unused = pool.filter((t) => !t.handed_out_at).length
      const online = typeof navigator === 'undefined' || navigator.onLine !== false
      if (!currentUser.value?.roles.includes('cadre') || !online || unused >= POOL_SIZE) return unused
      const batch = await api<IssuedBatch>('/api/evaluation/tickets', { method: 'POST', json: { count: POOL_SIZE - unused } })
      const now = new Date().toISOString()
      const base = batch.public_base_url ? { base_url: batch.public_base_url } : {}
      const fresh = batch.tickets.map((t) => ({ ...t, issued_at: now, ...base }))
      // Re-read: a ticket may have been handed out while the request was in flight.
      const latest = await readPool()
      const horizon = Date.now() - KEEP_HANDED_OUT_MS
      const kept = latest.filter((t) => !t.handed_out_at || Date.parse(t.handed_out_at) > horizon)
      await writePool([...kept, ...fresh])
      return kept.filter((t) => !t.handed_out_at).length + fresh.length
    })().finally(() => {
      topping = null
    })
  }
  return topping
}

/** Mark tickets as handed out (shown on screen or printed): they are never shown again as new. */
export async function markHandedOut(tickets: string[]): Promise<void> {
  const wanted = new Set(tickets)
  const now = new Date().toISOString()
  const pool = await readPool()
  await writePool(pool.map((t) => (wanted.has(t.ticket) && !t.handed_out_at ? { ...t, handed_out_at: now } : t)))
}

let started = false

/** Top the pool up after every sync (the moment the tablet is known to be online and signed in). */
export function startTicketTopUp(): void {
  if (started) return
  started = true
  onChange((kinds) => {
    if (kinds.has('sync')) void topUp().catch(() => undefined)
  })
}
