// The overlay: what screens show = pulled rows ⊕ outbox. Pulled rows are the server's truth as of the
// cursor; every outbox mutation not yet confirmed by a pull is replayed on top, in id order, through
// its spec's `apply` (domain/mutations.ts). Typed text therefore shows at once, offline.
import { getDB, type OutboxEntry, type StoredRow } from './db'
import { getSpec, rowKey, type OverlayRow, type RowMap } from './registry'
import { getAllSealed } from './encryptedDb'
import { decryptRecords } from './atrest'

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

/** Read the overlay for some entities (all when omitted) from IndexedDB. */
export async function loadOverlay(opts: OverlayOptions = {}): Promise<RowMap> {
  const db = await getDB()
  const tx = db.transaction(['rows', 'outbox'])
  // Pulled rows are read as stored and opened after the transaction, in bulk (atrest.decryptRecords).
  let sealed: StoredRow[]
  if (opts.entities) {
    sealed = []
    for (const e of opts.entities) sealed.push(...(await getAllSealed<StoredRow>(tx.objectStore('rows').index('by_entity'), e)))
  } else {
    sealed = await getAllSealed<StoredRow>(tx.objectStore('rows'))
  }
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
