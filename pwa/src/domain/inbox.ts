// Conflict and rejection inbox actions. Resolving is always a normal mutation (never a local edit
// of pulled rows): keeping a value is an update of the field, closing is `conflict.resolve`.
import { getDB, type StoredConflict, type StoredRejection } from '@/store/db'
import { enqueue, listOutbox } from '@/store/outbox'
import { notifyChange } from '@/store/events'

export type Choice = 'mine' | 'theirs' | 'merge'

export interface ConflictView {
  c: StoredConflict
  /** This user's value and the other side's */
  mine: unknown
  theirs: unknown
  /** True when the value currently on the server is mine */
  mineWon: boolean
  otherUserId: string | null
}

export function viewConflict(c: StoredConflict, me: string | undefined): ConflictView {
  const mineWon = !!me && c.winner_user_id === me && c.loser_user_id !== me
  return {
    c,
    mine: mineWon ? c.winner_value : c.loser_value,
    theirs: mineWon ? c.loser_value : c.winner_value,
    mineWon,
    otherUserId: (mineWon ? c.loser_user_id : c.winner_user_id) ?? null,
  }
}

/** The update that writes `value` into the conflicting field (patch semantics, base from the pull). */
export function updateFor(c: StoredConflict, value: unknown): { name: string; args: Record<string, unknown> } | null {
  if (!c.field) return null
  if (c.entity === 'issue') return { name: 'issue.update', args: { id: c.row_id, [c.field]: value } }
  if (c.entity === 'interview') return { name: 'interview.save', args: { id: c.row_id, [c.field]: value } }
  return null
}

/** Default merge: both texts, or the union of two lists. */
export function mergeValues(a: unknown, b: unknown): unknown {
  if (typeof a === 'string' && typeof b === 'string') return a === b ? a : `${a}\n${b}`
  if (Array.isArray(a) && Array.isArray(b)) {
    const seen = new Set(a.map((x) => JSON.stringify(x)))
    return [...a, ...b.filter((x) => !seen.has(JSON.stringify(x)))]
  }
  return a
}

export async function resolveConflict(v: ConflictView, choice: Choice, merged?: unknown): Promise<void> {
  // The server value is the winner's; writing is only needed when the kept value is not it.
  let value: unknown
  let write = false
  if (choice === 'mine') {
    value = v.mine
    write = !v.mineWon
  } else if (choice === 'theirs') {
    value = v.theirs
    write = v.mineWon
  } else {
    value = merged
    write = true
  }
  if (write) {
    const u = updateFor(v.c, value)
    if (u) await enqueue(u.name, u.args, { noCoalesce: true })
  }
  await enqueue('conflict.resolve', { id: v.c.id, note: choice === 'merge' ? 'merged' : choice === 'mine' ? 'kept mine' : 'kept theirs' })
}

export async function setRejectionStatus(key: string, status: StoredRejection['status']): Promise<void> {
  const db = await getDB()
  const tx = db.transaction('rejections', 'readwrite')
  const r = await tx.store.get(key)
  if (r) await tx.store.put({ ...r, status })
  await tx.done
  notifyChange('rejections')
}

/**
 * Discard a rejection deliberately: hidden here at once, and recorded on the server with
 * `rejection.dismiss` so the author's other devices hide it too. The mutation needs the server's
 * rejection id; a rejection known only from a push result gets it with the next pull, and
 * `queueDismissals` (run before every push) sends it then.
 */
export async function discardRejection(key: string): Promise<void> {
  await setRejectionStatus(key, 'discarded')
  await queueDismissals()
}

/** Enqueue `rejection.dismiss` for every rejection discarded here and not yet dismissed on the server. */
export async function queueDismissals(): Promise<number> {
  const db = await getDB()
  const todo = (await db.getAllFromIndex('rejections', 'by_status', 'discarded')).filter((r) => r.server_id && !r.dismissed_at && !r.dismiss_queued)
  for (const r of todo) {
    await enqueue('rejection.dismiss', { id: r.server_id })
    const tx = db.transaction('rejections', 'readwrite')
    const cur = await tx.store.get(r.key)
    if (cur) await tx.store.put({ ...cur, dismiss_queued: true })
    await tx.done
  }
  if (todo.length) notifyChange('rejections')
  return todo.length
}

/** Resend a refused mutation (possibly edited) as a new mutation with a new id. */
export async function resendRejection(r: StoredRejection, args: Record<string, unknown>): Promise<void> {
  // A refused 回执码 cannot become valid: the resent problem takes a fresh one from the pool.
  if (r.name === 'issue.raise' && r.error?.field === 'receipt_code') {
    const { receipt_code: _refused, ...rest } = args
    void _refused
    args = rest
  }
  await enqueue(r.name, args, { noCoalesce: true })
  await setRejectionStatus(r.key, 'resent')
}

/** Conflicts whose resolution is queued but not yet on the server (the inbox shows them as resolving). */
export async function conflictsBeingResolved(): Promise<Set<string>> {
  return new Set((await listOutbox()).filter((e) => e.name === 'conflict.resolve').map((e) => String(e.args.id)))
}
