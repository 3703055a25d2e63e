// The outbox: named mutations waiting for the server. Ids are per device, strictly increasing by 1
// and persisted with the entry in one transaction, so a crash can neither reuse nor skip an id.
import { getDB, type OutboxEntry } from './db'
import { getSpec, mergeArgs } from './registry'
import { notifyChange } from './events'
import { spendInTx } from './receiptPool'

export class UnknownMutationError extends Error {}

export interface EnqueueOptions {
  base?: number
  /** Never merge into an earlier unsent mutation (e.g. a resend from the rejection inbox). */
  noCoalesce?: boolean
}

function nowIso(): string {
  return new Date().toISOString()
}

/**
 * Record a mutation. When the latest outbox entry for the same row has the same name and was never
 * sent, the new args merge into it (so auto-saving every keystroke does not grow the outbox).
 */
export async function enqueue(
  name: string,
  args: Record<string, unknown>,
  opts: EnqueueOptions = {},
): Promise<OutboxEntry> {
  const spec = getSpec(name)
  if (!spec) throw new UnknownMutationError(`unknown mutation ${name}`)
  // Args are JSON on the wire; a plain copy also strips Vue reactivity (IndexedDB cannot clone proxies).
  args = JSON.parse(JSON.stringify(args)) as Record<string, unknown>
  const target = spec.target(args)
  const db = await getDB()
  const tx = db.transaction(['outbox', 'meta', 'rows'], 'readwrite')
  const outbox = tx.objectStore('outbox')
  const meta = tx.objectStore('meta')
  const now = nowIso()
  const forRow = await outbox.index('by_row').getAll([target.entity, target.id])
  const latest = forRow.reduce<OutboxEntry | undefined>((a, b) => (!a || b.id > a.id ? b : a), undefined)
  let result: OutboxEntry | undefined
  if (spec.coalesce !== 'append' && !opts.noCoalesce && latest && latest.state === 'pending') {
    if (latest.name === name || spec.coalesceInto?.includes(latest.name)) {
      // Fold into the unsent mutation (an update of a not-yet-sent create becomes part of the create).
      latest.args = spec.coalesce === 'replace' && latest.name === name ? args : mergeArgs(latest.args, args, spec.deepKeys)
      latest.client_time = now
      await outbox.put(latest)
      result = latest
    }
  }
  if (!result) {
    const next = ((await meta.get('next_mutation_id')) as number | undefined) ?? 1
    // A new problem takes its 回执码 from the reserved pool in this transaction (store/receiptPool.ts):
    // shown at once, never reused after a reload; none left → the server assigns one at sync.
    if (name === 'issue.raise' && args.receipt_code === undefined) {
      const code = await spendInTx(meta)
      if (code) args.receipt_code = code
    }
    result = {
      id: next,
      name,
      args,
      client_time: now,
      created_at: now,
      state: 'pending',
      entity: target.entity,
      row_id: target.id,
      attempts: 0,
    }
    if (spec.base !== 'never') {
      const pulled = await tx.objectStore('rows').get([target.entity, target.id])
      // An earlier, unconfirmed mutation of this row is in the outbox: this one builds on it, so its
      // base is "the row as that mutation left it", decided when the entry is frozen (freezeBatch).
      if (opts.base !== undefined) result.base = opts.base
      else if (forRow.length > 0) result.needs_base = true
      else if (pulled && !pulled.deleted) result.base = pulled.seq
      else if (spec.base === 'always') result.needs_base = true
    }
    await outbox.add(result)
    await meta.put(next + 1, 'next_mutation_id')
  }
  await tx.done
  notifyChange('outbox')
  return result
}

export async function listOutbox(): Promise<OutboxEntry[]> {
  const db = await getDB()
  return db.getAll('outbox')
}

export async function outboxCount(): Promise<number> {
  const db = await getDB()
  return db.count('outbox')
}

/** Creation time of the oldest entry not yet confirmed by the server (ISO), if any. */
export async function oldestUnsynced(): Promise<string | undefined> {
  const db = await getDB()
  let oldest: string | undefined
  let cursor = await db.transaction('outbox').store.openCursor()
  while (cursor) {
    const c = cursor.value.created_at
    if (!oldest || c < oldest) oldest = c
    cursor = await cursor.continue()
  }
  const blobs = await db.getAllFromIndex('blobs', 'by_status', 'pending')
  const uploading = await db.getAllFromIndex('blobs', 'by_status', 'uploading')
  for (const b of [...blobs, ...uploading]) if (!oldest || b.created_at < oldest) oldest = b.created_at
  return oldest
}

/** Frozen: handed to a push at least once, never changed again (`sealed` from an older install). */
export function isFrozen(e: Pick<OutboxEntry, 'state'>): boolean {
  return e.state === 'frozen' || e.state === 'sealed'
}

/**
 * Take the next batch for a push: the first `limit` entries by id, all marked `frozen` in the same
 * transaction (a frozen entry never absorbs later keystrokes: it may already be on the server).
 * Entries with `id <= afterId` (acknowledged by the server, not yet confirmed by a pull) are skipped.
 * An update whose base is not decided yet gets it here: when an earlier mutation of its row is still
 * in the outbox (sent in this batch, acknowledged, or frozen earlier) it names that mutation
 * (`base_mutation`, resolved by the server to the seq that mutation ended at), so a row created and
 * edited offline goes out in one push; when none is left, `base` is the pulled row's seq.
 */
export async function freezeBatch(limit = 500, afterId = 0): Promise<OutboxEntry[]> {
  const db = await getDB()
  const tx = db.transaction(['outbox', 'rows'], 'readwrite')
  const rows = tx.objectStore('rows')
  const batch: OutboxEntry[] = []
  /** The latest entry seen so far for each row (entity, id). */
  const latestForRow = new Map<string, number>()
  let cursor = await tx.objectStore('outbox').openCursor()
  while (cursor && batch.length < limit) {
    const e = cursor.value
    const key = `${e.entity}\u0000${e.row_id}`
    let changed = false
    if (e.needs_base && e.base === undefined && e.base_mutation === undefined) {
      const earlier = latestForRow.get(key)
      if (earlier !== undefined) e.base_mutation = earlier
      else {
        const pulled = await rows.get([e.entity, e.row_id])
        // No earlier mutation of the row is left and the server never sent the row: its create was
        // rejected (it is in the rejection inbox). Send as is; the server's answer lands there too,
        // rather than wedging the outbox.
        if (pulled) e.base = pulled.seq
      }
      delete e.needs_base
      changed = true
    }
    if (e.state !== 'frozen') {
      e.state = 'frozen'
      changed = true
    }
    if (changed) await cursor.update(e)
    latestForRow.set(key, e.id)
    // Entries the server already acknowledged (<= afterId) wait for the pull that confirms them;
    // they are not sent again but still count for the base rule above.
    if (e.id > afterId) batch.push(e)
    cursor = await cursor.continue()
  }
  await tx.done
  return batch
}

/** Drop entries the server confirmed (`id <= lastMutationId`), e.g. after a pull. */
export async function dropConfirmed(lastMutationId: number): Promise<number> {
  const db = await getDB()
  const tx = db.transaction('outbox', 'readwrite')
  let n = 0
  let cursor = await tx.store.openCursor(IDBKeyRange.upperBound(lastMutationId))
  while (cursor) {
    await cursor.delete()
    n++
    cursor = await cursor.continue()
  }
  await tx.done
  if (n) notifyChange('outbox')
  return n
}

/**
 * 409 gap recovery: the server expects `expected` next. Entries with smaller ids are already there
 * (they will come back as duplicates); the rest are renumbered consecutively from `expected`, and
 * the id counter continues after them. Never renumbers below `expected`.
 */
export async function renumberFrom(expected: number): Promise<void> {
  const db = await getDB()
  const tx = db.transaction(['outbox', 'meta'], 'readwrite')
  const outbox = tx.objectStore('outbox')
  const all = await outbox.getAll()
  all.sort((a, b) => a.id - b.id)
  const move = all.filter((e) => e.id >= expected)
  for (const e of move) await outbox.delete(e.id)
  const moved = new Map<number, number>()
  let next = expected
  for (const e of move) moved.set(e.id, next++)
  for (const e of move) {
    e.id = moved.get(e.id)!
    if (e.base_mutation !== undefined) {
      // A named base moves with its mutation. One at or above `expected` that is not in the outbox
      // any more is a mutation the server has lost: decide the base again when next frozen.
      if (moved.has(e.base_mutation)) e.base_mutation = moved.get(e.base_mutation)
      else if (e.base_mutation >= expected) {
        delete e.base_mutation
        e.needs_base = true
      }
    }
    await outbox.add(e)
  }
  // The counter continues right after the renumbered entries (or at `expected` if none moved).
  await tx.objectStore('meta').put(next, 'next_mutation_id')
  await tx.done
  notifyChange('outbox')
}

/** Replace an entry the server cannot decode by `mutation.void` (same id), keeping what was typed. */
export async function voidEntry(id: number, reason: string): Promise<void> {
  const db = await getDB()
  const tx = db.transaction('outbox', 'readwrite')
  const e = await tx.store.get(id)
  if (e && e.name !== 'mutation.void') {
    await tx.store.put({
      ...e,
      name: 'mutation.void',
      args: { original_name: e.name, original_args: e.args, reason: reason.slice(0, 2000) },
      base: undefined,
      needs_base: undefined,
      base_mutation: undefined,
      state: 'frozen',
    })
  }
  await tx.done
  notifyChange('outbox')
}

/**
 * Discard an entry that was never sent (the user deliberately drops a change). Later entries are
 * renumbered down so the ids the server sees stay gap-free.
 */
export async function discardPending(id: number): Promise<void> {
  const db = await getDB()
  const tx = db.transaction(['outbox', 'meta'], 'readwrite')
  const outbox = tx.objectStore('outbox')
  const entry = await outbox.get(id)
  if (!entry) {
    await tx.done
    return
  }
  if (isFrozen(entry)) throw new Error('a sent mutation cannot be discarded')
  const later = (await outbox.getAll(IDBKeyRange.lowerBound(id, true))).sort((a, b) => a.id - b.id)
  if (later.some(isFrozen)) throw new Error('a sent mutation follows; cannot renumber')
  await outbox.delete(id)
  for (const e of later) await outbox.delete(e.id)
  let next = id
  for (const e of later) {
    e.id = next++
    await outbox.add(e)
  }
  await tx.objectStore('meta').put(next, 'next_mutation_id')
  await tx.done
  notifyChange('outbox')
}
