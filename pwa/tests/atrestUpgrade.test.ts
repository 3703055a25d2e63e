// Upgrading an install that stored records in plaintext (IndexedDB version 2): nothing is lost, and
// after the first unlock every record is sealed and still reads the same.
import { describe, expect, it } from 'vitest'
import { openDB } from 'idb'
import { openLocalDB, setDB, getDB, DB_VERSION } from '@/store/db'
import { getMeta } from '@/store/meta'
import { listOutbox } from '@/store/outbox'
import { loadDraft } from '@/store/drafts'
import { getBlob } from '@/store/blobs'
import { assembleRecording } from '@/store/recordings'
import { afterUnlock, encryptPlaintextRecords } from '@/store/atrestUpgrade'
import { copyAtRestKey, setAtRestKey } from '@/store/atrest'
import { rawDump } from './atrestHelpers'

const MARKER = 'OLD-明文-5K'

/** The version-2 schema and records exactly as the previous release wrote them. */
async function makeVersion2(name: string): Promise<void> {
  const db = await openDB(name, 2, {
    upgrade(d) {
      const rows = d.createObjectStore('rows', { keyPath: ['entity', 'id'] })
      rows.createIndex('by_entity', 'entity')
      rows.createIndex('by_parent', ['entity', 'parent'])
      const outbox = d.createObjectStore('outbox', { keyPath: 'id' })
      outbox.createIndex('by_row', ['entity', 'row_id'])
      outbox.createIndex('by_state', 'state')
      d.createObjectStore('blobs', { keyPath: 'sha256' }).createIndex('by_status', 'status')
      d.createObjectStore('meta')
      d.createObjectStore('drafts', { keyPath: 'key' })
      d.createObjectStore('conflicts', { keyPath: 'id' }).createIndex('by_status', 'status')
      d.createObjectStore('rejections', { keyPath: 'key' }).createIndex('by_status', 'status')
      d.createObjectStore('recordings', { keyPath: ['rec', 'n'] })
    },
  })
  await db.put('rows', { entity: 'note', id: 'n1', seq: 1, deleted: false, parent: 'i1', row: { id: 'n1', interview_id: 'i1', text: `pulled ${MARKER}` } })
  await db.put('outbox', { id: 1, name: 'note.add', args: { id: 'n2', text: `queued ${MARKER}` }, client_time: 't', created_at: 't', state: 'pending', entity: 'note', row_id: 'n2', attempts: 0 })
  await db.put('drafts', { key: 'note:i1:demand.1', value: { text: `draft ${MARKER}` }, updated_at: 't' })
  await db.put('conflicts', { id: 'c1', entity: 'note', row_id: 'n1', kind: 'hard', field: 'text', winner_value: MARKER, loser_value: MARKER, status: 'open', seq: 2 })
  await db.put('rejections', { key: 'd:3', device_id: 'd', mutation_id: 3, name: 'note.add', args: { text: MARKER }, error: { code: 'x', message: 'm' }, rejected_at: 't', status: 'open' })
  await db.put('blobs', { sha256: 'abc', blob: new Blob([`photo ${MARKER}`]), type: 'image/jpeg', size: 20, uploaded: 0, status: 'pending', created_at: 't' })
  await db.put('recordings', { rec: 'r1', n: 0, header: { id: 'r1', attachment_id: 'a1', parent_entity: 'interview', parent_id: 'i1', mime: 'audio/webm', name: `memo ${MARKER}`, started_at: 't' } })
  await db.put('recordings', { rec: 'r1', n: 1, blob: new Blob([`voice ${MARKER}`]) })
  await db.put('meta', 7, 'cursor')
  await db.put('meta', 2, 'next_mutation_id')
  db.close()
}

describe('IndexedDB upgrade to sealed records', () => {
  it('old plaintext records are sealed on the first unlock, every one still readable', async () => {
    const name = `fangtan-upgrade-${Date.now()}`
    const key = copyAtRestKey()!
    ;(await getDB()).close()
    await makeVersion2(name)
    setAtRestKey(null) // the app opens the database locked
    setDB(openLocalDB(name))
    const db = await getDB()
    expect(db.version).toBe(DB_VERSION)
    expect(await getMeta('at_rest_upgrade')).toBe(true)
    expect(await getMeta('cursor')).toBe(7)
    // Before the unlock nothing is sealed (no key) but nothing is lost either.
    expect(await rawDump()).toContain(MARKER)

    setAtRestKey(key) // the first unlock
    await afterUnlock()
    expect(await getMeta('at_rest_upgrade')).toBeUndefined()
    expect(await rawDump()).not.toContain(MARKER)

    expect(((await db.get('rows', ['note', 'n1']))!.row as { text: string }).text).toBe(`pulled ${MARKER}`)
    expect((await db.getAllFromIndex('rows', 'by_parent', ['note', 'i1'])).length).toBe(1)
    expect((await listOutbox())[0].args.text).toBe(`queued ${MARKER}`)
    expect((await loadDraft('note:i1:demand.1'))!.text).toBe(`draft ${MARKER}`)
    expect((await db.get('conflicts', 'c1'))!.loser_value).toBe(MARKER)
    expect((await db.get('rejections', 'd:3'))!.args.text).toBe(MARKER)
    expect(await (await getBlob('abc'))!.blob.text()).toBe(`photo ${MARKER}`)
    // afterUnlock kept the interrupted recording (a writer tab): assembled into a sealed blob + attachment.
    expect(await assembleRecording('r1')).toBeNull()
    const memo = (await listOutbox()).find((e) => e.name === 'attachment.add')!
    expect(memo.args.name).toBe(`memo ${MARKER}`)
    expect(await (await getBlob(memo.args.sha256 as string))!.blob.text()).toBe(`voice ${MARKER}`)
    // Running it again changes nothing.
    expect(await encryptPlaintextRecords()).toBeGreaterThan(0)
    expect(await rawDump()).not.toContain(MARKER)
  })
})
