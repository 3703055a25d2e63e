import { describe, expect, it } from 'vitest'
import { enqueue, listOutbox, freezeBatch, discardPending, renumberFrom, dropConfirmed, oldestUnsynced } from '@/store/outbox'
import { getMeta } from '@/store/meta'
import { getDB } from '@/store/db'
import { applyPullPage } from '@/store/apply'

const I = '0193a5c2-7d3e-7b61-9a0f-5c1d2e3f4a5b'

describe('outbox', () => {
  it('hands out mutation ids strictly increasing by 1 and persists the counter', async () => {
    const a = await enqueue('note.add', { id: 'n1', interview_id: I, prompt_id: null, text: 'a' })
    const b = await enqueue('note.add', { id: 'n2', interview_id: I, prompt_id: null, text: 'b' })
    const c = await enqueue('issue.raise', { id: 'i1', interview_id: I, category: 'business', description: 'x', unit_ids: ['u'] })
    expect([a.id, b.id, c.id]).toEqual([1, 2, 3])
    expect(await getMeta('next_mutation_id')).toBe(4)
  })

  it('coalesces keystrokes into an unsent mutation of the same row', async () => {
    await enqueue('interview.save', { id: I, form: 'group', unit_id: 'u1', adhoc_reason: '突发问题' })
    await enqueue('interview.save', { id: I, summary: '设' })
    await enqueue('interview.save', { id: I, summary: '设备' })
    const all = await listOutbox()
    expect(all).toHaveLength(1)
    expect(all[0].args).toEqual({ id: I, form: 'group', unit_id: 'u1', adhoc_reason: '突发问题', summary: '设备' })
    expect(all[0].base).toBeUndefined()
  })

  it('never changes a frozen mutation; the next edit names it as its base, in the same batch', async () => {
    await enqueue('interview.save', { id: I, form: 'walkthrough', unit_id: 'u1', adhoc_reason: 'r' })
    const batch = await freezeBatch()
    expect(batch.map((e) => [e.id, e.state])).toEqual([[1, 'frozen']])
    const upd = await enqueue('interview.save', { id: I, place: '二号车间' })
    expect(upd.id).toBe(2)
    expect(upd.needs_base).toBe(true)
    expect((await listOutbox())[0].args).toEqual({ id: I, form: 'walkthrough', unit_id: 'u1', adhoc_reason: 'r' })
    // Mutation 1 is unconfirmed (maybe on the server): 2 goes out with it, naming it as its base.
    const next = await freezeBatch()
    expect(next.map((e) => [e.id, e.base, e.base_mutation, e.needs_base])).toEqual([[1, undefined, undefined, undefined], [2, undefined, 1, undefined]])
    // Acknowledged but not yet confirmed by a pull: 1 is not sent again, 2 still names it.
    expect((await freezeBatch(500, 1)).map((e) => [e.id, e.base_mutation])).toEqual([[2, 1]])
  })

  it('an edit whose earlier mutations are confirmed takes base from the pulled row', async () => {
    await enqueue('interview.save', { id: I, form: 'walkthrough', unit_id: 'u1', adhoc_reason: 'r' })
    await freezeBatch()
    await enqueue('interview.save', { id: I, place: '二号车间' })
    // The pull brings the row at seq 7 and confirms mutation 1 before 2 is frozen.
    await applyPullPage(
      { changes: [{ seq: 7, entity: 'interview', id: I, deleted: false, row: { id: I, form: 'walkthrough' } }], cursor: 7, upto: 7, has_more: false, last_mutation_id: 1 },
      { confirmUpTo: 1 },
    )
    const next = await freezeBatch()
    expect(next.map((e) => [e.id, e.base, e.base_mutation])).toEqual([[2, 7, undefined]])
  })

  it("an entry an older install stored as 'sealed' stays frozen after the upgrade", async () => {
    const db = await getDB()
    await db.put('outbox', { id: 1, name: 'interview.save', args: { id: I, form: 'walkthrough', unit_id: 'u1', adhoc_reason: 'r' }, client_time: 't', created_at: 't', state: 'sealed', entity: 'interview', row_id: I, attempts: 0 })
    await db.put('meta', 2, 'next_mutation_id')
    // Never absorbs a later edit, never discarded as unsent.
    const upd = await enqueue('interview.save', { id: I, place: '二号车间' })
    expect([upd.id, upd.needs_base]).toEqual([2, true])
    expect((await listOutbox())[0].args).not.toHaveProperty('place')
    await expect(discardPending(1)).rejects.toThrow()
    const batch = await freezeBatch()
    expect(batch.map((e) => [e.id, e.state, e.base_mutation])).toEqual([[1, 'frozen', undefined], [2, 'frozen', 1]])
  })

  it('renumbering moves a named base with its mutation', async () => {
    const db = await getDB()
    const entry = (id: number, extra: object) => ({ id, name: 'interview.save', client_time: 't', created_at: 't', state: 'frozen' as const, entity: 'interview', row_id: I, attempts: 0, args: { id: I }, ...extra })
    await db.put('outbox', entry(7, { args: { id: I, form: 'walkthrough', unit_id: 'u1', adhoc_reason: 'r' } }))
    await db.put('outbox', entry(8, { base_mutation: 7, args: { id: I, place: '二号车间' } }))
    // Names a mutation at or above `expected` the server never got and the outbox no longer has.
    await db.put('outbox', entry(9, { base_mutation: 6, args: { id: I, theme: '排班' } }))
    // The server expects 2: 7 → 2, 8 → 3 naming 2; 9 → 4 decides its base again when frozen.
    await renumberFrom(2)
    expect((await listOutbox()).map((e) => [e.id, e.base_mutation, e.needs_base])).toEqual([[2, undefined, undefined], [3, 2, undefined], [4, undefined, true]])
  })

  it('takes base from the pulled row for updates', async () => {
    await applyPullPage({ changes: [{ seq: 42, entity: 'issue', id: 'i9', deleted: false, row: { id: 'i9', description: 'd' } }], cursor: 42, upto: 42, has_more: false, last_mutation_id: 0 })
    const e = await enqueue('issue.update', { id: 'i9', solution: '更换阀门' })
    expect(e.base).toBe(42)
    expect(e.needs_base).toBeUndefined()
  })

  it('folds an issue.update into an unsent issue.raise', async () => {
    await enqueue('issue.raise', { id: 'i1', interview_id: I, category: 'demand', description: 'a', unit_ids: ['u'] })
    await enqueue('issue.update', { id: 'i1', description: 'ab', owner: '张三' })
    const all = await listOutbox()
    expect(all).toHaveLength(1)
    expect(all[0].name).toBe('issue.raise')
    expect(all[0].args).toMatchObject({ description: 'ab', owner: '张三', category: 'demand' })
  })

  it('append-only mutations never coalesce', async () => {
    await enqueue('note.add', { id: 'n1', interview_id: I, text: 'a' })
    await enqueue('followup.add', { id: 'f1', issue_id: 'i1', kind: 'comment', text: 'x' })
    await enqueue('note.add', { id: 'n2', interview_id: I, text: 'b' })
    expect((await listOutbox()).map((e) => e.id)).toEqual([1, 2, 3])
  })

  it('discarding an unsent entry renumbers later ones to stay gap-free', async () => {
    for (const t of ['a', 'b', 'c']) await enqueue('note.add', { id: `n-${t}`, interview_id: I, text: t })
    await discardPending(2)
    const all = await listOutbox()
    expect(all.map((e) => [e.id, e.args.text])).toEqual([[1, 'a'], [2, 'c']])
    expect(await getMeta('next_mutation_id')).toBe(3)
    const d = await enqueue('note.add', { id: 'n-d', interview_id: I, text: 'd' })
    expect(d.id).toBe(3)
  })

  it('refuses to discard a frozen entry', async () => {
    await enqueue('note.add', { id: 'n1', interview_id: I, text: 'a' })
    await freezeBatch()
    await expect(discardPending(1)).rejects.toThrow()
  })

  it('renumberFrom keeps ids below the expected one and continues after', async () => {
    for (const t of ['a', 'b', 'c']) await enqueue('note.add', { id: `n-${t}`, interview_id: I, text: t })
    // Server expects 10 (our ids are behind): everything >= 10 moves; nothing is.
    await renumberFrom(10)
    expect((await listOutbox()).map((e) => e.id)).toEqual([1, 2, 3])
    // Server expects 2: entry 1 is already there (duplicate), the rest continue from 2.
    const db = await getDB()
    const e3 = (await db.get('outbox', 3))!
    await db.delete('outbox', 3)
    await db.put('outbox', { ...e3, id: 7 })
    await renumberFrom(2)
    expect((await listOutbox()).map((e) => [e.id, e.args.text])).toEqual([[1, 'a'], [2, 'b'], [3, 'c']])
    expect(await getMeta('next_mutation_id')).toBe(4)
  })

  it('drops confirmed entries and reports the oldest unsynced item', async () => {
    await enqueue('note.add', { id: 'n1', interview_id: I, text: 'a' })
    await enqueue('note.add', { id: 'n2', interview_id: I, text: 'b' })
    const db = await getDB()
    const first = await db.get('outbox', 1)
    first!.created_at = '2020-01-01T00:00:00.000Z'
    await db.put('outbox', first!)
    expect(await oldestUnsynced()).toBe('2020-01-01T00:00:00.000Z')
    expect(await dropConfirmed(1)).toBe(1)
    expect((await listOutbox()).map((e) => e.id)).toEqual([2])
    expect(await oldestUnsynced()).not.toBe('2020-01-01T00:00:00.000Z')
  })

  it('rejects unknown mutation names', async () => {
    await expect(enqueue('table.write', { id: 'x' })).rejects.toThrow(/unknown mutation/)
  })
})
