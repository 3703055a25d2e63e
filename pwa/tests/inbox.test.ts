// Discarding a rejection is recorded on the server (rejection.dismiss) and a dismissal pulled from
// another of the author's devices hides it here too.
import { describe, expect, it } from 'vitest'
import { discardRejection, queueDismissals } from '@/domain/inbox'
import { applyPullPage, rejectionFromRow } from '@/store/apply'
import { getDB, type StoredRejection } from '@/store/db'
import { listOutbox } from '@/store/outbox'

function rejRow(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: 'rej-1', device_id: 'dev-1', mutation_id: 7, name: 'note.add', args: { id: 'n1', text: '写下的' }, base: null, client_time: null, error: { code: 'not_found', message: 'no interview', field: 'interview_id' }, author_id: 'u1', created_at: '2025-11-03T01:00:00Z', dismissed_by: null, dismissed_at: null, ...over }
}
async function put(r: StoredRejection): Promise<void> {
  const db = await getDB()
  await db.put('rejections', r)
}
const page = (rows: Record<string, unknown>[], seq = 10) => ({ changes: rows.map((row, i) => ({ seq: seq + i, entity: 'rejection', id: String(row.id), deleted: false, row })), cursor: seq + rows.length, upto: seq + rows.length, has_more: false, last_mutation_id: 0 })

describe('rejection inbox: discard deliberately', () => {
  it('discarding a pulled rejection sends rejection.dismiss with the server id, once', async () => {
    await put(rejectionFromRow(rejRow()))
    await discardRejection('dev-1:7')
    const db = await getDB()
    expect((await db.get('rejections', 'dev-1:7'))!.status).toBe('discarded')
    expect((await listOutbox()).map((e) => [e.name, e.args])).toEqual([['rejection.dismiss', { id: 'rej-1' }]])
    expect(await queueDismissals()).toBe(0)
    expect(await listOutbox()).toHaveLength(1)
  })

  it('a rejection known only from a push result is dismissed once its pulled row brings the server id', async () => {
    const fromPush = { ...rejectionFromRow(rejRow()), server_id: undefined }
    await put(fromPush)
    await discardRejection('dev-1:7')
    expect(await listOutbox()).toHaveLength(0)
    await applyPullPage(page([rejRow()]))
    const db = await getDB()
    const r = (await db.get('rejections', 'dev-1:7'))!
    expect(r.status).toBe('discarded') // the local decision survives the pull
    expect(await queueDismissals()).toBe(1)
    expect((await listOutbox()).map((e) => e.args.id)).toEqual(['rej-1'])
  })

  it('a dismissal made on another device hides the rejection here', async () => {
    await applyPullPage(page([rejRow()]))
    const db = await getDB()
    expect((await db.get('rejections', 'dev-1:7'))!.status).toBe('open')
    await applyPullPage(page([rejRow({ dismissed_by: 'u1', dismissed_at: '2025-11-04T08:00:00Z' })], 20))
    const r = (await db.get('rejections', 'dev-1:7'))!
    expect(r.status).toBe('discarded')
    expect(r.dismissed_at).toBe('2025-11-04T08:00:00Z')
    expect(await queueDismissals()).toBe(0) // already dismissed on the server: nothing to send
  })
})
