// Photos and voice memos, content-addressed by SHA-256 and kept as Blobs (never base64) until the
// server has them; the attachment rows that reference them go through the outbox as text.
import { getDB, type StoredBlob } from './db'
import { notifyChange } from './events'
import { decryptBlob, encryptBlob } from './atrest'

export async function sha256Hex(blob: Blob): Promise<string> {
  const buf = await blob.arrayBuffer()
  const digest = await crypto.subtle.digest('SHA-256', buf)
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** Store a blob locally (idempotent by hash) and return its record. */
export async function putBlob(blob: Blob): Promise<StoredBlob> {
  const sha256 = await sha256Hex(blob)
  // Encrypted before the transaction (WebCrypto cannot run inside one); AAD binds it to its hash.
  const encrypted = await encryptBlob('blobs', sha256, blob)
  const db = await getDB()
  const tx = db.transaction('blobs', 'readwrite')
  let rec = await tx.store.get(sha256)
  if (!rec) {
    rec = {
      sha256,
      blob: encrypted,
      sealed_blob: 1,
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
  const { sealed_blob: _, ...plain } = rec
  return { ...plain, blob }
}

/** The record with its bytes in plaintext (an older, unencrypted record as it is). */
export async function openStoredBlob(rec: StoredBlob): Promise<StoredBlob> {
  if (!rec.sealed_blob) return rec
  const { sealed_blob: _, ...rest } = rec
  return { ...rest, blob: await decryptBlob('blobs', rec.sha256, rec.blob, rec.type) }
}

export async function getBlob(sha256: string): Promise<StoredBlob | undefined> {
  const db = await getDB()
  const rec = await db.get('blobs', sha256)
  return rec ? openStoredBlob(rec) : undefined
}

/** Waiting uploads, oldest first; their bytes are still encrypted (read them with getBlob). */
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
