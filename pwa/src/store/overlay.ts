// The overlay: what screens show = pulled rows ⊕ outbox. Pulled rows are the server's truth as of the
// cursor; every outbox mutation not yet confirmed by a pull is replayed on top, in id order, through
// its spec's `apply` (domain/mutations.ts). Typed text therefore shows at once, offline.
import { getDB, type OutboxEntry, type StoredRow } from './db'
import { getSpec, rowKey, type OverlayRow, type RowMap } from './registry'
import { getAllSealed, writesBegun } from './encryptedDb'
import { decryptRecords, onAtRestKeyChange } from './atrest'
import { onChange } from './events'

export interface OverlayOptions {
  /** Only rows of these entities (mutations touching others are skipped). */
  entities?: string[]
  userId?: string
}

export function buildOverlay(pulled: StoredRow[], outbox: OutboxEntry[], opts: OverlayOptions = {}): RowMap {
  const rows: RowMap = new Map()
  for (const p of pulled) {
    rows.set(rowKey(p.entity, p.id), {
      entity: p.entity,
      id: p.id,
      row: p.row,
      seq: p.seq,
      deleted: p.deleted,
      pending: [],
      synced: true,
    })
  }
  const wanted = opts.entities ? new Set(opts.entities) : null
  for (const m of [...outbox].sort((a, b) => a.id - b.id)) {
    if (wanted && !wanted.has(m.entity)) continue
    const spec = getSpec(m.name)
    if (!spec) continue
    spec.apply(rows, m.args, { mutationId: m.id, clientTime: m.client_time, userId: opts.userId })
  }
  return rows
}

// An entity's pulled rows, opened, kept for the screens that open at once: after a sync the HR
// desk's board, its to-do count and the sidebar each read the year's problems and events, and
// opening them is most of a screen's start (bench/growth.py: seconds at a year). Kept for
// KEEP_MS only (a screen left behind must not hold a year's rows in memory: 3 years of notes are
// hundreds of MB), while this tab began no write to the rows store and no tab announced one
// (store/events.ts), and dropped when the key is set or forgotten: nothing opened outlives the
// lock. Screens never change these objects: the overlay copies a row before a mutation is
// replayed on it (registry.upsertRow).
const KEEP_MS = 15_000
interface Opened {
  db: unknown
  writes: number
  rows: StoredRow[]
}
const opened = new Map<string, Opened>()
function keep(entity: string, entry: Opened): void {
  opened.set(entity, entry)
  setTimeout(() => {
    if (opened.get(entity) === entry) opened.delete(entity)
  }, KEEP_MS)
}
let openedSince = 0 // bumped by other tabs' announcements
function forgetOpened(): void {
  opened.clear()
  openedSince++
}
onAtRestKeyChange(forgetOpened)
/** Changes when this tab begins a write to the rows store or any tab announces one. */
const rowsVersion = () => writesBegun('rows') + openedSince * 2 ** 32
onChange((kinds) => {
  if (kinds.has('rows')) forgetOpened()
})

/** Read the overlay for some entities (all when omitted) from IndexedDB. */
export async function loadOverlay(opts: OverlayOptions = {}): Promise<RowMap> {
  const db = await getDB()
  const writes = rowsVersion()
  const tx = db.transaction(['rows', 'outbox'])
  // Pulled rows are read as stored and opened after the transaction, in bulk (atrest.decryptRecords).
  if (opts.entities) {
    const entities = [...new Set(opts.entities)]
    const kept = new Map<string, StoredRow[]>() // taken now: a notification may drop them meanwhile
    for (const e of entities) {
      const o = opened.get(e)
      if (o && o.db === db && o.writes === writes) kept.set(e, o.rows)
    }
    const read = new Map<string, StoredRow[]>()
    for (const e of entities) {
      if (!kept.has(e)) read.set(e, await getAllSealed<StoredRow>(tx.objectStore('rows').index('by_entity'), e))
    }
    const outbox = await tx.objectStore('outbox').getAll()
    await tx.done
    const fresh = await decryptRecords('rows', [...read.values()].flat())
    let at = 0
    const unchanged = rowsVersion() === writes
    for (const [e, sealed] of read) {
      const rows = fresh.slice(at, (at += sealed.length))
      read.set(e, rows)
      if (unchanged) keep(e, { db, writes, rows })
    }
    return buildOverlay(entities.flatMap((e) => read.get(e) ?? kept.get(e) ?? []), outbox, opts)
  }
  const sealed = await getAllSealed<StoredRow>(tx.objectStore('rows'))
  const outbox = await tx.objectStore('outbox').getAll()
  await tx.done
  return buildOverlay(await decryptRecords('rows', sealed), outbox, opts)
}

/** Live rows of one entity (tombstones dropped). */
export function rowsOf(map: RowMap, entity: string): OverlayRow[] {
  const out: OverlayRow[] = []
  for (const r of map.values()) if (r.entity === entity && !r.deleted) out.push(r)
  return out
}

export function getRow(map: RowMap, entity: string, id: string): OverlayRow | undefined {
  const r = map.get(rowKey(entity, id))
  return r && !r.deleted ? r : undefined
}

/** Sync state of a row for badges: on the server and unchanged, or with local changes waiting. */
export function syncState(r: OverlayRow): 'synced' | 'pending' | 'local' {
  if (r.pending.length === 0) return 'synced'
  return r.synced ? 'pending' : 'local'
}
