// Writing what the server said into IndexedDB: a pulled page with its cursor (one transaction),
// and push results (rejections moved out of the outbox into the rejection inbox).
import { getDB, type OutboxEntry, type StoredConflict, type StoredRejection, type StoredRow } from './db'
import { notifyChange } from './events'
import { encryptRecords } from './atrest'
import { quietWrites } from './encryptedDb'
import { measured } from './timing'

export interface PullChange {
  seq: number
  entity: string
  id: string
  deleted: boolean
  row: Record<string, unknown> | null
}

export interface PullPage {
  changes: PullChange[]
  cursor: number
  upto: number
  has_more: boolean
  last_mutation_id: number
}

export interface PushResult {
  id: number
  status: 'applied' | 'duplicate' | 'conflict' | 'rejected'
  seq?: number
  conflicts?: unknown[]
  error?: { code: string; message: string; field?: string; details?: unknown }
  /** Some servers echo the refused mutation; the outbox copy is used otherwise. */
  mutation?: unknown
}

export interface PushResponse {
  results: PushResult[]
  last_mutation_id: number
  server_time?: string
}

/** The row's parent, indexed so an interview's notes/issues/attachments are one index read. */
export function parentOf(entity: string, row: Record<string, unknown> | null): string | undefined {
  if (!row) return undefined
  if (entity === 'attachment') return typeof row.parent_id === 'string' ? row.parent_id : undefined
  for (const k of ['interview_id', 'issue_id', 'parent_id']) {
    const v = row[k]
    if (typeof v === 'string') return v
  }
  return undefined
}

export function conflictFromRow(row: Record<string, unknown>, seq: number): StoredConflict {
  return { ...(row as unknown as StoredConflict), seq }
}

export function rejectionFromRow(row: Record<string, unknown>, existing?: StoredRejection): StoredRejection {
  const deviceId = String(row.device_id ?? '')
  const mutationId = Number(row.mutation_id)
  return {
    key: `${deviceId}:${mutationId}`,
    server_id: row.id as string | undefined,
    device_id: deviceId,
    mutation_id: mutationId,
    name: String(row.name),
    args: (row.args as Record<string, unknown>) ?? {},
    base: (row.base as number | null | undefined) ?? null,
    client_time: (row.client_time as string | null | undefined) ?? null,
    error: (row.error as StoredRejection['error']) ?? { code: 'unknown', message: '' },
    rejected_at: String(row.created_at ?? new Date().toISOString()),
    // A decision taken on this device (resent/discarded) survives later pulls of the same row; a
    // dismissal recorded on the server (rejection.dismiss, from any of the author's devices) wins.
    status: row.dismissed_at ? 'discarded' : (existing?.status ?? 'open'),
    dismissed_at: (row.dismissed_at as string | null | undefined) ?? null,
    dismiss_queued: existing?.dismiss_queued ?? false,
  }
}

/** A change that becomes a row of the `rows` store (not a conflict, a rejection or a deletion). */
function isStoredRow(ch: PullChange): boolean {
  return ch.entity !== 'conflict' && ch.entity !== 'rejection' && !ch.deleted && !!ch.row
}

function storedRowOf(ch: PullChange): StoredRow {
  const stored: StoredRow = { entity: ch.entity, id: ch.id, seq: ch.seq, deleted: false, row: ch.row! }
  const parent = parentOf(ch.entity, ch.row)
  if (parent) stored.parent = parent
  return stored
}

export interface ApplyPageOptions {
  /** First page of a re-snapshot (after 410): clear pulled rows in the same transaction. */
  resetRows?: boolean
  /** Last page: drop outbox entries the server confirmed, in the same transaction. */
  confirmUpTo?: number
}

/** The User Timing entry each stored page leaves: the wait for its transaction to commit
 * (bench/first_sync.mjs sums them). */
export const COMMIT_MEASURE = 'fangtan:pull-commit'

/** A pulled page with its rows sealed for the `rows` store (`sealPage`), ready to be stored. */
export interface SealedPage {
  page: PullPage
  stored: StoredRow[]
}

/** Seal a pulled page's rows (WebCrypto, atrest.encryptRecords) before its transaction: the
 * transaction then only puts them, and would commit early if it waited on anything else. Apart
 * from storing, so a pull seals the next page while this one is stored (sync/client.ts pullAll). */
export async function sealPage(page: PullPage): Promise<SealedPage> {
  return { page, stored: await encryptRecords('rows', page.changes.filter(isStoredRow).map(storedRowOf)) }
}

/** Store one pulled page and its cursor atomically; optionally trim the outbox in the same step. */
export async function applyPullPage(page: PullPage, opts: ApplyPageOptions = {}): Promise<void> {
  await storeSealedPage(await sealPage(page), opts)
}

/** `applyPullPage` of a page already sealed. */
export async function storeSealedPage(sealed: SealedPage, opts: ApplyPageOptions = {}): Promise<void> {
  const { page, stored } = sealed
  let next = 0
  const db = await getDB()
  const tx = db.transaction(['rows', 'conflicts', 'rejections', 'meta', 'outbox'], 'readwrite')
  const rows = tx.objectStore('rows')
  if (opts.resetRows) await rows.clear()
  // Row writes are issued, not awaited one by one: IndexedDB runs a transaction's requests in
  // order, and awaiting each put cost a round trip to the browser's database process per row
  // (~0.3 ms: a third of a second per page); a promise per put was still ~30 µs of main thread a row
  // (bench/growth.py's CPU profile). A failed request aborts the transaction (tx.done).
  const rowWrites = quietWrites(rows)
  try {
    for (const ch of page.changes) {
      if (ch.entity === 'conflict') {
        if (ch.deleted || !ch.row) await tx.objectStore('conflicts').delete(ch.id)
        else await tx.objectStore('conflicts').put(conflictFromRow(ch.row, ch.seq))
        continue
      }
      if (ch.entity === 'rejection') {
        if (ch.deleted || !ch.row) continue
        const fresh = rejectionFromRow(ch.row)
        const existing = await tx.objectStore('rejections').get(fresh.key)
        await tx.objectStore('rejections').put(rejectionFromRow(ch.row, existing))
        continue
      }
      if (ch.deleted || !ch.row) {
        rowWrites.delete([ch.entity, ch.id])
        continue
      }
      rowWrites.put(stored[next++])
    }
    const meta = tx.objectStore('meta')
    await meta.put(page.cursor, 'cursor')
    if (page.has_more) await meta.put(page.upto, 'pull_upto')
    else await meta.delete('pull_upto')
    await meta.put(page.last_mutation_id, 'server_last_mutation_id')
    if (opts.confirmUpTo !== undefined) {
      let cursor = await tx.objectStore('outbox').openCursor(IDBKeyRange.upperBound(opts.confirmUpTo))
      while (cursor) {
        await cursor.delete()
        cursor = await cursor.continue()
      }
    }
  } catch (e) {
    // A request refused as it was made (a key IndexedDB cannot hold) must not let the requests
    // already made commit: the page is stored whole or not at all.
    try {
      tx.abort()
    } catch {
      // already aborted by the request that failed
    }
    await tx.done.catch(() => undefined)
    throw e
  }
  await measured(COMMIT_MEASURE, () => tx.done)
  // Screens re-read the overlay at the pull's end, not after every page: a page with more to come
  // is a torn snapshot (a problem before its interview), and re-reading (and decrypting) every
  // row after each page made a first sync of a year quadratic. pullAll announces the rows when
  // a multi-page pull stops early (announcePulledRows).
  if (page.has_more) notifyChange('conflicts', 'rejections')
  else notifyChange('rows', 'outbox', 'conflicts', 'rejections')
}

/**
 * Rows fetched by their parent (an interview's notes, opened on a device of a company-wide role:
 * docs/sync-protocol.md §3.1), stored like a pull page's rows but leaving the cursor alone. A row
 * already held at the same or a later seq stays: a pull may have stored it meanwhile. Returns how
 * many rows were stored.
 */
export async function applyFetchedRows(changes: PullChange[]): Promise<number> {
  const fresh = changes.filter(isStoredRow)
  if (!fresh.length) return 0
  const sealed = await encryptRecords('rows', fresh.map(storedRowOf)) // before the transaction, as a page's
  const db = await getDB()
  const tx = db.transaction('rows', 'readwrite')
  const writes = quietWrites(tx.store)
  let stored = 0
  for (let i = 0; i < fresh.length; i++) {
    const held = await tx.store.get([fresh[i].entity, fresh[i].id])
    if (held && held.seq >= fresh[i].seq) continue
    writes.put(sealed[i])
    stored++
  }
  await tx.done
  if (stored) notifyChange('rows')
  return stored
}

/** Rows stored by pages of a pull that stopped before its last page: let the screens see them. */
export function announcePulledRows(): void {
  notifyChange('rows')
}

/**
 * Record a push's results: `rejected` mutations leave the outbox for the rejection inbox (nothing
 * typed is dropped), conflicts reported inline are stored. Applied/duplicate entries stay in the
 * outbox until a pull confirms them, so the overlay never flickers back to an older value.
 */
export async function applyPushResults(resp: PushResponse, deviceId: string, sent: OutboxEntry[]): Promise<{ rejected: number; conflicts: number }> {
  const byId = new Map(sent.map((e) => [e.id, e]))
  const db = await getDB()
  const tx = db.transaction(['outbox', 'rejections', 'conflicts', 'meta'], 'readwrite')
  let rejected = 0
  let conflicts = 0
  const now = new Date().toISOString()
  for (const r of resp.results) {
    if (r.status === 'rejected') {
      const entry = byId.get(r.id) ?? (await tx.objectStore('outbox').get(r.id))
      if (!entry) continue
      // A voided mutation shows as what the user originally typed.
      const voided = entry.name === 'mutation.void'
      const rej: StoredRejection = {
        key: `${deviceId}:${entry.id}`,
        device_id: deviceId,
        mutation_id: entry.id,
        name: voided ? String(entry.args.original_name) : entry.name,
        args: voided ? ((entry.args.original_args as Record<string, unknown>) ?? {}) : entry.args,
        base: entry.base ?? null,
        client_time: entry.client_time,
        error: r.error ?? { code: 'unknown', message: '' },
        rejected_at: now,
        status: 'open',
      }
      await tx.objectStore('rejections').put(rej)
      await tx.objectStore('outbox').delete(entry.id)
      rejected++
    } else if (r.status === 'conflict') {
      for (const c of r.conflicts ?? []) {
        if (c && typeof c === 'object' && typeof (c as { id?: unknown }).id === 'string' && typeof (c as { entity?: unknown }).entity === 'string') {
          const existing = await tx.objectStore('conflicts').get((c as { id: string }).id)
          if (!existing) await tx.objectStore('conflicts').put(conflictFromRow(c as Record<string, unknown>, r.seq ?? 0))
        }
        conflicts++
      }
    }
  }
  await tx.objectStore('meta').put(resp.last_mutation_id, 'server_last_mutation_id')
  await tx.done
  if (rejected || conflicts) notifyChange('outbox', 'rejections', 'conflicts')
  return { rejected, conflicts }
}
