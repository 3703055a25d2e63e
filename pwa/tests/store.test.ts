import { describe, expect, it } from 'vitest'
import { applyPullPage, applyPushResults, parentOf } from '@/store/apply'
import { getDB } from '@/store/db'
import { getMeta, setMeta, getMetaMany } from '@/store/meta'
import { enqueue, freezeBatch } from '@/store/outbox'
import { putBlob, getBlob, pendingBlobs } from '@/store/blobs'
import { saveDraft, loadDraft, deleteDraft } from '@/store/drafts'

describe('store', () => {
  it('meta round-trips typed values', async () => {
    await setMeta('cursor', 12)
    await setMeta('user', { id: 'u', name: '王强', roles: ['cadre'], unit_id: 'ws1' })
    expect(await getMeta('cursor')).toBe(12)
    expect(await getMetaMany(['cursor', 'user'])).toEqual({ cursor: 12, user: { id: 'u', name: '王强', roles: ['cadre'], unit_id: 'ws1' } })
  })

  it('stores a pulled page and its cursor together, indexing parents', async () => {
    await applyPullPage({
      changes: [
        { seq: 1, entity: 'interview', id: 'i1', deleted: false, row: { id: 'i1' } },
        { seq: 2, entity: 'note', id: 'n1', deleted: false, row: { id: 'n1', interview_id: 'i1', text: 't' } },
        { seq: 3, entity: 'attachment', id: 'a1', deleted: false, row: { id: 'a1', parent_entity: 'issue', parent_id: 'x' } },
      ],
      cursor: 3, upto: 10, has_more: true, last_mutation_id: 0,
    })
    const db = await getDB()
    expect(await getMeta('cursor')).toBe(3)
    expect(await getMeta('pull_upto')).toBe(10)
    expect((await db.getAllFromIndex('rows', 'by_parent', ['note', 'i1'])).map((r) => r.id)).toEqual(['n1'])
    expect(parentOf('attachment', { parent_id: 'x', interview_id: 'no' })).toBe('x')
    // A tombstone removes the row.
    await applyPullPage({ changes: [{ seq: 11, entity: 'note', id: 'n1', deleted: true, row: null }], cursor: 11, upto: 11, has_more: false, last_mutation_id: 0 })
    expect(await db.get('rows', ['note', 'n1'])).toBeUndefined()
    expect(await getMeta('pull_upto')).toBeUndefined()
  })

  it('stores a page whole or not at all', async () => {
    await applyPullPage({ changes: [{ seq: 1, entity: 'interview', id: 'w1', deleted: false, row: { id: 'w1' } }], cursor: 1, upto: 1, has_more: false, last_mutation_id: 0 })
    // The second row's id is no key IndexedDB can hold: its put is refused as it is made, after
    // the first row's put was issued.
    const bad = { seq: 3, entity: 'note', id: { not: 'a key' } as unknown as string, deleted: false, row: { id: 'x', interview_id: 'w1' } }
    await expect(applyPullPage({
      changes: [{ seq: 2, entity: 'note', id: 'w2', deleted: false, row: { id: 'w2', interview_id: 'w1' } }, bad],
      cursor: 3, upto: 3, has_more: false, last_mutation_id: 0,
    })).rejects.toThrow()
    const db = await getDB()
    expect(await db.get('rows', ['note', 'w2'])).toBeUndefined()
    expect(await getMeta('cursor')).toBe(1)
    expect(await db.get('rows', ['interview', 'w1'])).toBeDefined()
  })

  it('routes conflict and rejection rows to their inboxes, keeping local decisions', async () => {
    const rej = { id: 'r1', device_id: 'd1', mutation_id: 4, name: 'issue.raise', args: { id: 'x' }, base: null, client_time: null, error: { code: 'validation', message: '截止日期不能早于今天', field: 'due_date' }, author_id: 'u', created_at: '2025-01-01T00:00:00Z' }
    await applyPullPage({
      changes: [
        { seq: 1, entity: 'conflict', id: 'c1', deleted: false, row: { id: 'c1', entity: 'issue', row_id: 'x', kind: 'hard', field: 'owner', winner_value: '张', loser_value: '李', status: 'open' } },
        { seq: 2, entity: 'rejection', id: 'r1', deleted: false, row: rej },
      ],
      cursor: 2, upto: 2, has_more: false, last_mutation_id: 4,
    })
    const db = await getDB()
    expect((await db.get('conflicts', 'c1'))!.loser_value).toBe('李')
    const r = (await db.get('rejections', 'd1:4'))!
    expect(r.error.field).toBe('due_date')
    await db.put('rejections', { ...r, status: 'discarded' })
    await applyPullPage({ changes: [{ seq: 3, entity: 'rejection', id: 'r1', deleted: false, row: rej }], cursor: 3, upto: 3, has_more: false, last_mutation_id: 4 })
    expect((await db.get('rejections', 'd1:4'))!.status).toBe('discarded')
    expect(await db.count('rows')).toBe(0)
  })

  it('push results move rejected mutations out of the outbox, keeping their args', async () => {
    await enqueue('note.add', { id: 'n1', interview_id: 'i', text: 'ok' })
    await enqueue('issue.raise', { id: 'x', interview_id: 'i', category: 'business', description: '阀门', unit_ids: [], due_date: '2001-01-01' })
    const sent = await freezeBatch()
    await applyPushResults(
      { results: [{ id: 1, status: 'applied', seq: 5 }, { id: 2, status: 'rejected', error: { code: 'validation', message: 'unit_ids 不能为空', field: 'unit_ids' } }], last_mutation_id: 2 },
      'd1', sent,
    )
    const db = await getDB()
    expect((await db.getAll('outbox')).map((e) => e.id)).toEqual([1])
    const r = (await db.get('rejections', 'd1:2'))!
    expect(r.args.description).toBe('阀门')
    expect(r.status).toBe('open')
    expect(await getMeta('server_last_mutation_id')).toBe(2)
  })

  it('keeps blobs as Blobs, content-addressed', async () => {
    const b = new Blob([new Uint8Array([1, 2, 3])], { type: 'image/jpeg' })
    const rec = await putBlob(b)
    expect(rec.sha256).toBe('039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81')
    const again = await putBlob(new Blob([new Uint8Array([1, 2, 3])], { type: 'image/jpeg' }))
    expect(again.created_at).toBe(rec.created_at)
    const got = await getBlob(rec.sha256)
    expect(got!.blob).toBeInstanceOf(Blob)
    expect(got!.size).toBe(3)
    expect((await pendingBlobs()).length).toBe(1)
  })

  it('drafts survive and can be deleted', async () => {
    await saveDraft('note:i1:demand.1', { text: '半句话' })
    expect((await loadDraft('note:i1:demand.1'))!.text).toBe('半句话')
    await deleteDraft('note:i1:demand.1')
    expect(await loadDraft('note:i1:demand.1')).toBeUndefined()
  })
})
