// The sync client (DESIGN §4, docs/sync-protocol.md): push the outbox, pull pages until `has_more`
// is false, then upload media. Runs under a Web Lock so only one tab syncs at a time.
import { getDB } from '@/store/db'
import { getMeta, setMeta } from '@/store/meta'
import { freezeBatch, renumberFrom, voidEntry } from '@/store/outbox'
import { announcePulledRows, applyPullPage, applyPushResults, sealPage, storeSealedPage, type PullPage, type PushResponse, type SealedPage } from '@/store/apply'
import { queueDismissals } from '@/domain/inbox'
import { notifyChange } from '@/store/events'
import { api, ApiError, NetworkError } from './api'
import { uploadPendingBlobs } from './blobs'
import { withRetry, type SyncOptions } from './retry'
import { syncStatus, clockOffsetMs } from './status'

export type { SyncOptions }

export const PROTOCOL = 1
export const SCHEMA_VERSION = 1

/** Push + pull rounds of one sync at most (later rounds only carry changes made meanwhile). */
const MAX_ROUNDS = 5

export interface SyncReport {
  /** Push phase + pull phase rounds this sync ran (1 unless changes were made while it ran). */
  rounds: number
  pushed: number
  rejected: number
  conflicts: number
  pulled: number
  blobs: number
  resnapshot: boolean
  ok: boolean
  error?: { code: string; message: string }
  skipped?: 'locked' | 'offline' | 'not_enrolled' | 'client_too_old'
}

/**
 * Work that follows what a pull brought (e.g. re-wrapping remarks for an officer key just learnt
 * of, docs/security.md §4). Each returns how many mutations it queued; queued ones go out in
 * the same sync. Registered by the shell (main.ts), so this module imports no crypto.
 */
type AfterPull = () => Promise<number>
const afterPull: AfterPull[] = []
export function onAfterPull(fn: AfterPull): void {
  afterPull.push(fn)
}
async function runAfterPull(): Promise<number> {
  let n = 0
  for (const fn of afterPull) {
    try {
      n += await fn()
    } catch (e) {
      console.error('after-pull step failed', e) // retried at the next sync; the sync itself stands
    }
  }
  return n
}

class StopSync extends Error {
  constructor(public code: string, message: string) {
    super(message)
  }
}

/** Push every sendable outbox entry. Returns counts. */
export async function pushOutbox(opts: SyncOptions = {}): Promise<{ pushed: number; rejected: number; conflicts: number }> {
  const deviceId = await getMeta('device_id')
  if (!deviceId) throw new StopSync('not_enrolled', 'device not enrolled')
  let pushed = 0
  let rejected = 0
  let conflicts = 0
  let gapRecoveries = 0
  let voids = 0
  let limit = opts.pushBatch ?? 500
  for (;;) {
    const acked = (await getMeta('server_last_mutation_id')) ?? 0
    const batch = await freezeBatch(limit, acked)
    if (batch.length === 0) break
    let resp: PushResponse
    let sentAt = 0
    let receivedAt = 0
    try {
      resp = await withRetry(
        async () => {
          sentAt = Date.now()
          const r = await api<PushResponse>('/api/sync/push', {
            method: 'POST',
            json: {
              protocol: PROTOCOL,
              schema_version: SCHEMA_VERSION,
              device_id: deviceId,
              client_time: new Date().toISOString(),
              mutations: batch.map((e) => {
                const m: Record<string, unknown> = { id: e.id, name: e.name, args: e.args, client_time: e.client_time }
                if (e.base !== undefined) m.base = e.base
                if (e.base_mutation !== undefined) m.base_mutation = e.base_mutation
                return m
              }),
            },
            timeoutMs: 60_000,
          })
          receivedAt = Date.now()
          return r
        },
        opts,
      )
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && e.code === 'sync.mutation_gap' && gapRecoveries < 3) {
        // The server expects another id next: renumber what it has not got, then try again.
        const expected = Number(e.details?.expected ?? e.details?.expected_id ?? (Number(e.details?.last_mutation_id) + 1))
        if (!Number.isFinite(expected) || expected < 1) throw e
        await renumberFrom(expected)
        await setMeta('server_last_mutation_id', expected - 1)
        gapRecoveries++
        continue
      }
      if (e instanceof ApiError && e.status === 413 && limit > 1) {
        // Too many mutations or too large a body: smaller batches.
        const max = Number(e.details?.max_batch)
        limit = Number.isFinite(max) && max > 0 && max < limit ? max : Math.max(1, Math.floor(limit / 2))
        continue
      }
      if (e instanceof ApiError && e.status === 400 && voids < batch.length) {
        // A mutation the server cannot decode (unknown field/name): void it under the same id so
        // the ids keep advancing and what was typed comes back in the rejection inbox.
        const m = /^mutations\[(\d+)\]/.exec(e.field ?? '')
        const i = m ? Number(m[1]) : e.code === 'sync.unknown_mutation' && batch.length === 1 ? 0 : -1
        if (i >= 0 && i < batch.length) {
          await voidEntry(batch[i].id, `${e.code}: ${e.message}`)
          voids++
          continue
        }
      }
      if (e instanceof ApiError && e.code === 'sync.version_unsupported') {
        throw new StopSync(e.code, e.message)
      }
      if (e instanceof ApiError && e.status === 426) {
        // Too old: keep every entry (never drop), stop pushing until the app is updated.
        await setMeta('client_too_old', true)
        notifyChange('meta')
        throw new StopSync('sync.client_too_old', e.message)
      }
      throw e
    }
    const offset = clockOffsetMs(sentAt, receivedAt, resp.server_time)
    if (offset !== null) {
      await setMeta('clock_offset_ms', offset)
      syncStatus.clockOffsetMs = offset
    }
    const r = await applyPushResults(resp, deviceId, batch)
    pushed += batch.length
    rejected += r.rejected
    conflicts += r.conflicts
    if (await getMeta('client_too_old')) await setMeta('client_too_old', false)
    // A short batch means the outbox is empty (nothing waits for a pull: see freezeBatch).
    if (batch.length < limit) break
  }
  return { pushed, rejected, conflicts }
}

/** Pull pages until `has_more` is false. A 410 pushes first, then re-snapshots from cursor 0. */
export async function pullAll(opts: SyncOptions = {}): Promise<{ pulled: number; resnapshot: boolean }> {
  // 5,000 rows a page (the server allows 10,000, sync/pull.py MAX_LIMIT): a first sync of a year is
  // 150,000 rows, and each page is one IndexedDB transaction to commit (bench/growth.py).
  const limit = opts.pullLimit ?? 5000
  let cursor = (await getMeta('cursor')) ?? 0
  let pulled = 0
  let resnapshot = false
  // Resume an unfinished multi-page pull at the same end point (`pull_upto`).
  let upto: number | undefined = (await getMeta('pull_upto')) ?? undefined
  let unannounced = false // pages stored whose rows the screens were not told of yet (applyPullPage)
  // A page is fetched and then sealed for the device's store (store/apply.ts sealPage).
  const fetchPage = (from: number, to: number | undefined): Promise<SealedPage> => {
    // notes=opened: a company-wide role's device takes other people's notes when it opens their
    // interview (sync/opened.ts), not with the pull; for everyone else the pull is the same.
    const q = new URLSearchParams({ cursor: String(from), limit: String(limit), notes: 'opened' })
    if (to !== undefined) q.set('upto', String(to))
    return withRetry(() => api<PullPage>(`/api/sync/pull?${q}`, { timeoutMs: 60_000 }), opts).then(sealPage)
  }
  // The next page is asked for as soon as this one's cursor is known, and travels and is sealed
  // while this one is stored: the server's work, the network and WebCrypto's (off the main thread)
  // overlap the device's (a first sync of a year is tens of pages; sealing them one after another
  // left the page idle a tenth of the time, bench/growth.py). It is only a read; if storing fails
  // it is dropped, and the cursor in IndexedDB still names the last page stored.
  let ahead: Promise<SealedPage> | null = null
  try {
    for (;;) {
      let sealed: SealedPage
      try {
        sealed = await (ahead ?? fetchPage(cursor, upto))
        ahead = null
      } catch (e) {
        ahead = null
        if (e instanceof ApiError && e.status === 410 && !resnapshot) {
          // Our cursor is older than the tombstone horizon. Push what we have first (nothing typed
          // may be lost), then take a fresh snapshot.
          await pushOutbox(opts)
          resnapshot = true
          cursor = 0
          upto = undefined
          const first = await withRetry(() => api<PullPage>(`/api/sync/pull?cursor=0&limit=${limit}&notes=opened`, { timeoutMs: 60_000 }), opts)
          await applyPullPage(first, { resetRows: true, confirmUpTo: first.has_more ? undefined : first.last_mutation_id })
          unannounced = first.has_more
          pulled += first.changes.length
          cursor = first.cursor
          upto = first.upto
          if (!first.has_more) break
          continue
        }
        throw e
      }
      const page = sealed.page
      upto = page.upto
      if (page.has_more) {
        ahead = fetchPage(page.cursor, page.upto)
        ahead.catch(() => undefined) // awaited (and its error handled) at the next turn, or dropped
      }
      // The outbox is trimmed with the last page: `last_mutation_id` counts only mutations whose
      // effects are all at seq <= upto, i.e. in the pages just stored.
      await storeSealedPage(sealed, { confirmUpTo: page.has_more ? undefined : page.last_mutation_id })
      unannounced = page.has_more
      pulled += page.changes.length
      cursor = page.cursor
      if (!page.has_more) break
    }
  } finally {
    if (unannounced) announcePulledRows()
  }
  return { pulled, resnapshot }
}

async function countOutbox(): Promise<number> {
  const db = await getDB()
  return db.count('outbox')
}

/** Hand-rolled single-flight (also used when Web Locks are missing). */
let running: Promise<SyncReport> | null = null

export function syncNow(opts: SyncOptions = {}): Promise<SyncReport> {
  if (running) return running
  const run = async (): Promise<SyncReport> => {
    const report: SyncReport = { rounds: 0, pushed: 0, rejected: 0, conflicts: 0, pulled: 0, blobs: 0, resnapshot: false, ok: false }
    if (!(await getMeta('device_id'))) return { ...report, skipped: 'not_enrolled' }
    syncStatus.runs.begun++
    try {
      // One push phase and one pull phase sync the whole outbox: an update of a row created in this
      // session names its base by mutation id (store/outbox.ts freezeBatch), nothing waits for a
      // pull. Another round runs only for changes made while this one ran (the scheduler ignores
      // change events during a sync), while it makes progress, at most MAX_ROUNDS.
      for (let round = 0; round < MAX_ROUNDS; round++) {
        await queueDismissals() // discarded rejections whose server id arrived with the last pull
        report.rounds++
        const before = await countOutbox()
        const p = await pushOutbox(opts)
        report.pushed += p.pushed
        report.rejected += p.rejected
        report.conflicts += p.conflicts
        const q = await pullAll(opts)
        report.pulled += q.pulled
        report.resnapshot ||= q.resnapshot
        const queued = await runAfterPull()
        const after = await countOutbox()
        if (queued > 0 && round + 1 < MAX_ROUNDS) continue
        if (after === 0 || after >= before) break
      }
      if (opts.media !== false) report.blobs = await uploadPendingBlobs(opts)
      report.ok = true
      await setMeta('last_sync_ok_at', new Date().toISOString())
      await setMeta('last_sync_error', null)
    } catch (e) {
      const err =
        e instanceof StopSync || e instanceof ApiError
          ? { code: e instanceof ApiError ? e.code : e.code, message: e.message }
          : e instanceof NetworkError
            ? { code: 'network', message: e.message }
            : { code: 'internal', message: e instanceof Error ? e.message : String(e) }
      report.error = err
      if (e instanceof StopSync && e.code === 'not_enrolled') report.skipped = 'not_enrolled'
      if (e instanceof StopSync && e.code === 'sync.client_too_old') report.skipped = 'client_too_old'
      await setMeta('last_sync_error', err)
      if (!(e instanceof NetworkError || e instanceof StopSync || e instanceof ApiError)) console.error(e)
    } finally {
      await setMeta('last_sync_at', new Date().toISOString())
      syncStatus.runs.ended++
      notifyChange('sync', 'meta')
    }
    return report
  }
  const withLock = async (): Promise<SyncReport> => {
    if (typeof navigator !== 'undefined' && navigator.locks?.request) {
      // ifAvailable: when another tab is syncing, this one skips (it will see the changes).
      return (await navigator.locks.request('fangtan-sync', { ifAvailable: true }, async (lock) => {
        if (!lock) return { rounds: 0, pushed: 0, rejected: 0, conflicts: 0, pulled: 0, blobs: 0, resnapshot: false, ok: false, skipped: 'locked' as const }
        return run()
      })) as SyncReport
    }
    return run()
  }
  running = withLock().finally(() => {
    running = null
  })
  return running
}
