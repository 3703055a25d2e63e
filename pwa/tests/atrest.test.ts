// Local data at rest (docs/security.md §6): what users typed or pulled is sealed in IndexedDB and
// localStorage; only keys, index fields and bookkeeping stay readable; a locked app reads nothing.
// (The localStorage journal is covered in autosave.test.ts, which runs in a DOM environment.)
import { describe, expect, it } from 'vitest'
import { openDB } from 'idb'
import { applyPullPage, applyPushResults } from '@/store/apply'
import { getDB } from '@/store/db'
import { enqueue, listOutbox } from '@/store/outbox'
import { saveDraft, loadDraft } from '@/store/drafts'
import { putBlob, getBlob } from '@/store/blobs'
import { appendChunk, assembleRecording, beginRecording } from '@/store/recordings'
import { LockedError, setAtRestKey, setAtRestRequired, copyAtRestKey, encryptRecords, decryptRecords, encryptRecord, decryptRecord, isEncryptedRecord, SEAL_MEASURE, OPEN_MEASURE } from '@/store/atrest'
import { rawDump } from './atrestHelpers'

const MARKER = 'MARKER-机密-7Q2'
const I = '11111111-1111-4111-8111-111111111111'

async function writeEverything(): Promise<string> {
  await applyPullPage({
    changes: [
      { seq: 1, entity: 'note', id: 'n1', deleted: false, row: { id: 'n1', interview_id: I, text: `pulled ${MARKER}` } },
      { seq: 2, entity: 'conflict', id: 'c1', deleted: false, row: { id: 'c1', entity: 'note', row_id: 'n1', kind: 'hard', field: 'text', winner_value: MARKER, loser_value: `lost ${MARKER}`, status: 'open' } },
    ],
    cursor: 2, upto: 2, has_more: false, last_mutation_id: 0,
  })
  const e = await enqueue('note.add', { id: 'n2', interview_id: I, prompt_id: 'demand.1', text: `typed ${MARKER}` })
  await applyPushResults({ results: [{ id: e.id, status: 'rejected', error: { code: 'validation', message: MARKER } }], last_mutation_id: e.id }, 'dev-1', [e])
  await enqueue('note.add', { id: 'n3', interview_id: I, prompt_id: 'demand.1', text: `queued ${MARKER}` })
  await saveDraft(`note:${I}:demand.1`, { text: `draft ${MARKER}` })
  const photo = await putBlob(new Blob([`photo bytes ${MARKER}`], { type: 'image/jpeg' }))
  await beginRecording({ id: 'rec1', attachment_id: 'a1', parent_entity: 'interview', parent_id: I, mime: 'audio/webm', name: `memo ${MARKER}`, started_at: '2025-01-01T00:00:00Z' })
  await appendChunk('rec1', 1, new Blob([`voice ${MARKER}`]))
  return photo.sha256
}

describe('local data at rest', () => {
  it('seals rows, outbox, drafts, conflicts, rejections, media and recordings; the app reads them back', async () => {
    const sha = await writeEverything()
    const dump = await rawDump()
    expect(dump).not.toContain(MARKER)
    // What stays readable: keys, indexes and bookkeeping.
    expect(dump).toContain('"entity":"note"')
    expect(dump).toContain('"state":"pending"')
    expect(dump).toContain(sha)

    const db = await getDB()
    expect(((await db.get('rows', ['note', 'n1']))!.row as { text: string }).text).toBe(`pulled ${MARKER}`)
    expect((await db.getAllFromIndex('rows', 'by_parent', ['note', I])).map((r) => r.id)).toEqual(['n1'])
    expect((await listOutbox()).map((o) => o.args.text)).toEqual([`queued ${MARKER}`])
    expect((await db.get('conflicts', 'c1'))!.loser_value).toBe(`lost ${MARKER}`)
    expect((await db.getAll('rejections'))[0].args.text).toBe(`typed ${MARKER}`)
    expect((await loadDraft(`note:${I}:demand.1`))!.text).toBe(`draft ${MARKER}`)
    expect(await (await getBlob(sha))!.blob.text()).toBe(`photo bytes ${MARKER}`)
    const rec = await assembleRecording('rec1')
    expect(rec!.header.name).toBe(`memo ${MARKER}`)
    expect(await rec!.blob.text()).toBe(`voice ${MARKER}`)
  })

  it('a locked app reads no content and writes nothing; the key opens it again', async () => {
    await writeEverything()
    const key = copyAtRestKey()!
    setAtRestRequired(true)
    setAtRestKey(null)
    const db = await getDB()
    // Only the plaintext bookkeeping comes back (status counters run while locked), never the content.
    expect(await db.get('rows', ['note', 'n1'])).toEqual({ entity: 'note', id: 'n1', seq: 1, deleted: false, parent: I })
    const [queued] = await listOutbox()
    expect(queued.args).toBeUndefined()
    expect(queued.state).toBe('pending')
    // A read-modify-write of such a partial record fails instead of dropping the content.
    const tx = db.transaction('outbox', 'readwrite')
    expect(() => tx.store.put(queued)).toThrow(LockedError)
    tx.abort()
    await tx.done.catch(() => undefined)
    await expect(saveDraft('note:x', { text: 'x' })).rejects.toBeInstanceOf(LockedError)
    await expect(putBlob(new Blob(['x']))).rejects.toBeInstanceOf(LockedError)
    // Counting needs no key (revocation decides while locked).
    expect(await db.count('outbox')).toBe(1)
    setAtRestKey(key)
    expect(((await db.get('rows', ['note', 'n1']))!.row as { text: string }).text).toBe(`pulled ${MARKER}`)
  })

  it('a sealed record moved under another key, or tampered with, does not open', async () => {
    await writeEverything()
    const name = (await getDB()).name
    const raw = await openDB(name)
    const sealed = await raw.get('rows', ['note', 'n1'])
    await raw.put('rows', { ...sealed, id: 'n9' })
    const flipped = new Uint8Array(sealed.sealed)
    flipped[20] ^= 1
    await raw.put('rows', { ...sealed, id: 'n8', sealed: flipped })
    await raw.put('rows', { ...sealed, sealed: flipped })
    raw.close()
    const db = await getDB()
    await expect(db.get('rows', ['note', 'n9'])).rejects.toThrow()
    await expect(db.get('rows', ['note', 'n1'])).rejects.toThrow()
    // A wrong key fails too: never garbage.
    setAtRestKey(crypto.getRandomValues(new Uint8Array(32)))
    await expect(listOutbox()).rejects.toThrow()
  })

  it('the bulk path (WebCrypto) and the per-record path (in-transaction) write and read the same sealed form', async () => {
    const rec = { entity: 'note', id: 'n5', seq: 5, deleted: false, parent: I, row: { id: 'n5', text: `bulk ${MARKER}` } }
    const [bulk] = await encryptRecords('rows', [rec])
    expect(isEncryptedRecord(bulk)).toBe(true)
    expect(JSON.stringify({ ...bulk, sealed: [...(bulk as unknown as { sealed: Uint8Array }).sealed] })).not.toContain(MARKER)
    expect(decryptRecord('rows', bulk)).toEqual(rec) // sealed by WebCrypto, opened by the synchronous cipher
    const single = encryptRecord('rows', rec)
    expect(await decryptRecords('rows', [single, bulk])).toEqual([rec, rec])
    // Bound to its key and intact, like the per-record path.
    const moved = { ...(bulk as Record<string, unknown>), id: 'n6' }
    await expect(decryptRecords('rows', [moved])).rejects.toThrow()
    const flipped = new Uint8Array((bulk as unknown as { sealed: Uint8Array }).sealed)
    flipped[20] ^= 1
    await expect(decryptRecords('rows', [{ ...(bulk as Record<string, unknown>), sealed: flipped }])).rejects.toThrow()
    // Locked: only the plaintext fields come back, and nothing can be sealed.
    const held = copyAtRestKey()
    setAtRestKey(null)
    setAtRestRequired(true)
    try {
      expect(await decryptRecords('rows', [bulk])).toEqual([{ entity: 'note', id: 'n5', seq: 5, deleted: false, parent: I }])
      await expect(encryptRecords('rows', [rec])).rejects.toThrow(LockedError)
    } finally {
      setAtRestKey(held)
    }
  })

  it('each bulk sealing and opening leaves a User Timing entry (what a first sync spends at rest, bench/first_sync.mjs)', async () => {
    const rec = { entity: 'note', id: 'n7', seq: 7, deleted: false, parent: I, row: { id: 'n7', text: 'timed' } }
    const count = (name: string) => performance.getEntriesByName(name).length
    const [sealed0, opened0] = [count(SEAL_MEASURE), count(OPEN_MEASURE)]
    const [bulk] = await encryptRecords('rows', [rec, { ...rec, id: 'n8' }])
    expect(await decryptRecords('rows', [bulk])).toEqual([rec])
    expect(count(SEAL_MEASURE)).toBe(sealed0 + 1) // one per call (a pull page), not per record
    expect(count(OPEN_MEASURE)).toBe(opened0 + 1)
    expect(performance.getEntriesByName(SEAL_MEASURE).at(-1)!.duration).toBeGreaterThan(0)
  })
})
