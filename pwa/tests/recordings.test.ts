// Voice memos survive a crash mid-recording: chunks written as they arrive are assembled into the
// memo at the next start (or on stop), exactly once.
import { describe, expect, it } from 'vitest'
import { beginRecording, appendChunk, assembleRecording, finishRecording, listRecordings, recoverRecordings, type RecordingHeader } from '@/store/recordings'
import { listOutbox } from '@/store/outbox'
import { getBlob } from '@/store/blobs'
import { getDB } from '@/store/db'

function header(id: string): RecordingHeader {
  return { id, attachment_id: `att-${id}`, parent_entity: 'interview', parent_id: 'iv-1', mime: 'audio/webm', name: '录音 09:30', started_at: '2025-11-03T09:30:00Z' }
}
const bytes = (s: string) => new Blob([new TextEncoder().encode(s)], { type: 'audio/webm' })
async function text(b: Blob): Promise<string> {
  return new TextDecoder().decode(await b.arrayBuffer())
}

describe('voice memo chunks in IndexedDB', () => {
  it('chunks are assembled in order, whatever order their writes committed in', async () => {
    await beginRecording(header('r1'))
    await appendChunk('r1', 2, bytes('BB'))
    await appendChunk('r1', 1, bytes('AA'))
    await appendChunk('r1', 3, bytes('CC'))
    const got = await assembleRecording('r1')
    expect(got!.header.parent_id).toBe('iv-1')
    expect(await text(got!.blob)).toBe('AABBCC')
  })

  it('a recording interrupted by a reload becomes the memo at the next start, once', async () => {
    await beginRecording(header('r2'))
    await appendChunk('r2', 1, bytes('hello '))
    await appendChunk('r2', 2, bytes('world'))
    // Stopping (or the recovery of a fresh page) assembles what the store holds.
    expect(await finishRecording('r2')).toBe(true)
    const [add] = await listOutbox()
    expect(add.name).toBe('attachment.add')
    expect(add.args).toMatchObject({ id: 'att-r2', parent_entity: 'interview', parent_id: 'iv-1', mime: 'audio/webm', size: 11 })
    const blob = await getBlob(String(add.args.sha256))
    expect(await text(blob!.blob)).toBe('hello world')
    expect(await listRecordings()).toEqual([])
    expect(await recoverRecordings()).toBe(0) // nothing left, nothing added twice
    expect(await listOutbox()).toHaveLength(1)
  })

  it('recovery at start-up keeps orphaned recordings and never duplicates an attachment already added', async () => {
    const db = await getDB()
    // Orphans left by a crashed page (written straight to the store, so not active in this page).
    await db.put('recordings', { rec: 'r3', n: 0, header: header('r3') })
    await db.put('recordings', { rec: 'r3', n: 1, blob: bytes('x') })
    await db.put('recordings', { rec: 'r4', n: 0, header: header('r4') })
    await db.put('recordings', { rec: 'r4', n: 1, blob: bytes('y') })
    // r4 crashed after its attachment was queued but before its chunks were dropped.
    await finishRecording('r4')
    await db.put('recordings', { rec: 'r4', n: 0, header: header('r4') })
    await db.put('recordings', { rec: 'r4', n: 1, blob: bytes('y') })
    expect(await recoverRecordings()).toBe(1)
    const adds = (await listOutbox()).filter((e) => e.name === 'attachment.add').map((e) => e.args.id).sort()
    expect(adds).toEqual(['att-r3', 'att-r4'])
    expect(await listRecordings()).toEqual([])
  })

  it('a recording with no audio yet adds nothing', async () => {
    const db = await getDB()
    await db.put('recordings', { rec: 'r5', n: 0, header: header('r5') })
    expect(await recoverRecordings()).toBe(0)
    expect(await listOutbox()).toHaveLength(0)
    expect(await listRecordings()).toEqual([])
  })

  it('recordings running in this page are left alone by recovery', async () => {
    await beginRecording(header('r6'))
    await appendChunk('r6', 1, bytes('z'))
    expect(await recoverRecordings()).toBe(0)
    expect((await listRecordings()).map((h) => h.id)).toEqual(['r6'])
  })
})

describe('database upgrade', () => {
  it('version 1 databases gain the recordings store and keep their data', async () => {
    const { openDB } = await import('idb')
    const { openLocalDB } = await import('@/store/db')
    const name = `upgrade-${Date.now()}`
    const v1 = await openDB(name, 1, { upgrade(db) { db.createObjectStore('meta'); db.createObjectStore('outbox', { keyPath: 'id' }) } })
    await v1.put('meta', 'dev-keep', 'device_id')
    v1.close()
    const v2 = await openLocalDB(name)
    expect(v2.objectStoreNames.contains('recordings')).toBe(true)
    expect(await v2.get('meta', 'device_id')).toBe('dev-keep')
    v2.close()
  })
})
