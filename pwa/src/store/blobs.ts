// Photos and voice memos, content-addressed by SHA-256 and kept as Blobs (never base64) until the
// server has them; the attachment rows that reference them go through the outbox as text.
import { getDB, type StoredBlob } from './db'
import { notifyChange } from './events'

export async function sha256Hex(blob: Blob): Promise<string> {
  const buf = await blob.arrayBuffer()
  const digest = await crypto.subtle.digest('SHA-256', buf)
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** Store a blob locally (idempotent by hash) and return its record. */
export async function putBlob(blob: Blob): Promise<StoredBlob> {
  const sha256 = await sha256Hex(blob)
  const db = await getDB()
  const tx = db.transaction('blobs', 'readwrite')
  let rec = await tx.store.get(sha256)
  if (!rec) {
    rec = {
      sha256,
      blob,
      type: blob.type || 'application/octet-stream',
      size: blob.size,
      uploaded: 0,
      status: 'pending',
      created_at: new Date().toISOString(),
    }
    await tx.store.put(rec)
  }
  await tx.done
  notifyChange('blobs')
  return rec
}

export async function getBlob(sha256: string): Promise<StoredBlob | undefined> {
  const db = await getDB()
  return db.get('blobs', sha256)
}

export async function pendingBlobs(): Promise<StoredBlob[]> {
  const db = await getDB()
  const a = await db.getAllFromIndex('blobs', 'by_status', 'pending')
  const b = await db.getAllFromIndex('blobs', 'by_status', 'uploading')
  return [...b, ...a].sort((x, y) => x.created_at.localeCompare(y.created_at))
}

export async function updateBlob(sha256: string, patch: Partial<StoredBlob>): Promise<void> {
  const db = await getDB()
  const tx = db.transaction('blobs', 'readwrite')
  const rec = await tx.store.get(sha256)
  if (rec) await tx.store.put({ ...rec, ...patch })
  await tx.done
  notifyChange('blobs')
}
