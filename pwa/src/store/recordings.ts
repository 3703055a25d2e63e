// Voice memos survive a crash mid-recording: MediaRecorder runs with a 1 s timeslice and every
// chunk is written to IndexedDB as it arrives (store `recordings`, key [recording id, n]; n = 0 is
// the header, 1… the chunks in order). Stopping assembles the chunks into one Blob, stores it like
// any photo (content-addressed, uploaded after the text) and adds the attachment. A recording that
// was never stopped (tab closed, crash, reload) is assembled the same way at the next start, so what
// was recorded up to the last second is kept.
import { getDB } from './db'
import type { RecordingHeader, RecordingPart } from './schema'
import { putBlob } from './blobs'
import { enqueue } from './outbox'
import { notifyChange } from './events'
import { hasAtRestKey, decryptBlob, encryptBlob } from './atrest'

export type { RecordingHeader, RecordingPart } from './schema'

/** Recordings running in this page (a reload empties it: anything left in the store is orphaned). */
const active = new Set<string>()

export async function beginRecording(header: RecordingHeader): Promise<void> {
  active.add(header.id)
  const db = await getDB()
  await db.put('recordings', { rec: header.id, n: 0, header })
}

/** Persist chunk `n` (1, 2, …) at once; chunks are concatenated in `n` order. */
export async function appendChunk(rec: string, n: number, blob: Blob): Promise<void> {
  if (!blob.size) return
  const encrypted = await encryptBlob('recordings', [rec, n], blob)
  const db = await getDB()
  await db.put('recordings', { rec, n, blob: encrypted, sealed_blob: 1 })
}

async function parts(rec: string): Promise<RecordingPart[]> {
  const db = await getDB()
  return db.getAll('recordings', IDBKeyRange.bound([rec, 0], [rec, Number.MAX_SAFE_INTEGER]))
}

/** The header and the chunks so far as one Blob (null if the recording is unknown). */
export async function assembleRecording(rec: string): Promise<{ header: RecordingHeader; blob: Blob } | null> {
  const all = (await parts(rec)).sort((a, b) => a.n - b.n)
  const header = all.find((p) => p.n === 0)?.header
  if (!header) return null
  const chunks: Blob[] = []
  for (const p of all) if (p.n > 0 && p.blob) chunks.push(await openPart(p))
  return { header, blob: new Blob(chunks, { type: header.mime }) }
}

/** A chunk's bytes in plaintext (older, unencrypted chunks as they are). */
export async function openPart(p: RecordingPart): Promise<Blob> {
  if (!p.blob) return new Blob([])
  return p.sealed_blob ? decryptBlob('recordings', [p.rec, p.n], p.blob, '') : p.blob
}

export async function dropRecording(rec: string): Promise<void> {
  const db = await getDB()
  await db.delete('recordings', IDBKeyRange.bound([rec, 0], [rec, Number.MAX_SAFE_INTEGER]))
  active.delete(rec)
}

/** Headers of every recording held in the store (finished or not). */
export async function listRecordings(): Promise<RecordingHeader[]> {
  const db = await getDB()
  return (await db.getAll('recordings')).filter((p) => p.n === 0 && p.header).map((p) => p.header as RecordingHeader)
}

async function attachmentKnown(id: string): Promise<boolean> {
  const db = await getDB()
  if (await db.get('rows', ['attachment', id])) return true
  return (await db.countFromIndex('outbox', 'by_row', ['attachment', id])) > 0
}

let chain: Promise<unknown> = Promise.resolve()
function serial<T>(f: () => Promise<T>): Promise<T> {
  const p = chain.then(f, f)
  chain = p.catch(() => undefined)
  return p
}

/**
 * Turn a recording into a stored blob + `attachment.add`, then drop its chunks. Idempotent: if a
 * crash hit between the attachment and the drop, the attachment is not added again.
 */
export function finishRecording(rec: string): Promise<boolean> {
  return serial(async () => {
    const got = await assembleRecording(rec)
    if (!got) {
      active.delete(rec)
      return false
    }
    const { header, blob } = got
    let added = false
    if (blob.size > 0 && !(await attachmentKnown(header.attachment_id))) {
      const stored = await putBlob(blob)
      await enqueue('attachment.add', {
        id: header.attachment_id,
        parent_entity: header.parent_entity,
        parent_id: header.parent_id,
        sha256: stored.sha256,
        mime: /^[\w.+-]+\/[\w.+-]+$/.test(header.mime) ? header.mime : 'application/octet-stream',
        size: stored.size,
        name: header.name.slice(0, 200),
      })
      added = true
    }
    await dropRecording(rec)
    notifyChange('blobs')
    return added
  })
}

/** At start-up (writer tab): keep whatever an interrupted recording captured. Returns how many. */
export async function recoverRecordings(): Promise<number> {
  if (!hasAtRestKey()) return 0 // locked: runs after the unlock (store/atrestUpgrade.ts)
  let n = 0
  for (const h of await listRecordings()) {
    if (active.has(h.id)) continue
    if (await finishRecording(h.id)) n++
  }
  return n
}
