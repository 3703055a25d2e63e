// What runs right after every unlock (and after the PIN is first set): encrypt what an older version
// stored in plaintext (IndexedDB version < 3, flag `at_rest_upgrade`), replay the auto-save journal
// and keep an interrupted recording — all of which need the data key.
import { getDB } from './db'
import { getMeta, deleteMeta } from './meta'
import { PLAIN_FIELDS, hasAtRestKey, encryptBlob } from './atrest'
import { replayJournal } from './autosave'
import { recoverRecordings } from './recordings'
import { notifyChange } from './events'
import { isWriter } from '@/shell/writer'

/** Encrypt every plaintext record and blob left by an older version. Idempotent; returns how many. */
export async function encryptPlaintextRecords(): Promise<number> {
  if (!hasAtRestKey()) return 0
  const db = await getDB()
  let n = 0
  for (const store of Object.keys(PLAIN_FIELDS) as (keyof typeof PLAIN_FIELDS)[]) {
    // Reading through the encrypted view returns plaintext as is; writing it back encrypts it.
    const tx = db.transaction(store as 'rows', 'readwrite')
    let cursor = await tx.store.openCursor()
    while (cursor) {
      await cursor.update(cursor.value)
      n++
      cursor = await cursor.continue()
    }
    await tx.done
  }
  // Blob bytes: encrypted with WebCrypto outside the transaction, one record at a time.
  for (const rec of await db.getAll('blobs')) {
    if (rec.sealed_blob) continue
    const encrypted = await encryptBlob('blobs', rec.sha256, rec.blob)
    const tx = db.transaction('blobs', 'readwrite')
    const cur = await tx.store.get(rec.sha256)
    if (cur && !cur.sealed_blob) await tx.store.put({ ...cur, blob: encrypted, sealed_blob: 1 })
    await tx.done
    n++
  }
  for (const part of await db.getAll('recordings')) {
    if (!part.blob || part.sealed_blob) continue
    const encrypted = await encryptBlob('recordings', [part.rec, part.n], part.blob)
    await db.put('recordings', { ...part, blob: encrypted, sealed_blob: 1 })
    n++
  }
  return n
}

let running: Promise<void> | null = null

export function afterUnlock(): Promise<void> {
  running ??= (async () => {
    if (!hasAtRestKey()) return
    if (await getMeta('at_rest_upgrade')) {
      await encryptPlaintextRecords()
      await deleteMeta('at_rest_upgrade')
    }
    if (isWriter.value) {
      await replayJournal()
      await recoverRecordings().catch((e) => console.error(e))
    }
    notifyChange('rows', 'outbox', 'blobs')
  })().finally(() => {
    running = null
  })
  return running
}
