import { describe, expect, it } from 'vitest'
import { enqueue } from '@/store/outbox'
import { applyPullPage } from '@/store/apply'
import { loadOverlay, rowsOf, getRow, syncState, buildOverlay } from '@/store/overlay'

const I = 'int-1'

describe('overlay = pulled rows ⊕ outbox', () => {
  it('shows typed text at once, before any sync', async () => {
    await enqueue('interview.save', { id: I, form: 'individual', unit_id: 'u1', adhoc_reason: '临时', summary: '职工反映' })
    await enqueue('note.add', { id: 'n1', interview_id: I, prompt_id: 'demand.1', text: '更衣室漏水' })
    const map = await loadOverlay({ userId: 'me' })
    const iv = getRow(map, 'interview', I)!
    expect(iv.row).toMatchObject({ form: 'individual', summary: '职工反映', status: 'draft', cadre_ids: ['me'] })
    expect(syncState(iv)).toBe('local')
    expect(rowsOf(map, 'note').map((r) => r.row.text)).toEqual(['更衣室漏水'])
  })

  it('applies pending patches on top of pulled rows without touching other fields', async () => {
    await applyPullPage({
      changes: [{ seq: 5, entity: 'issue', id: 'x', deleted: false, row: { id: 'x', description: '旧', owner: '李四', status: 'assigned' } }],
      cursor: 5, upto: 5, has_more: false, last_mutation_id: 0,
    })
    await enqueue('issue.update', { id: 'x', description: '新' })
    const map = await loadOverlay()
    const r = getRow(map, 'issue', 'x')!
    expect(r.row).toMatchObject({ description: '新', owner: '李四', status: 'assigned' })
    expect(r.seq).toBe(5)
    expect(syncState(r)).toBe('pending')
  })

  it('hides tombstones and attachments removed locally', async () => {
    await enqueue('attachment.add', { id: 'a1', parent_entity: 'interview', parent_id: I, sha256: 'f'.repeat(64), mime: 'image/jpeg', size: 10 })
    let map = await loadOverlay()
    expect(rowsOf(map, 'attachment')).toHaveLength(1)
    await enqueue('attachment.remove', { id: 'a1' })
    map = await loadOverlay()
    expect(rowsOf(map, 'attachment')).toHaveLength(0)
  })

  it('replays in mutation-id order and never mutates the pulled objects', () => {
    const pulledRow = { id: 'x', description: 'a' }
    const map = buildOverlay(
      [{ entity: 'issue', id: 'x', seq: 1, deleted: false, row: pulledRow }],
      [
        { id: 3, name: 'issue.update', args: { id: 'x', description: 'c' }, client_time: 't', created_at: 't', state: 'pending', entity: 'issue', row_id: 'x', attempts: 0 },
        { id: 2, name: 'issue.update', args: { id: 'x', description: 'b' }, client_time: 't', created_at: 't', state: 'frozen', entity: 'issue', row_id: 'x', attempts: 0 },
      ],
    )
    expect(getRow(map, 'issue', 'x')!.row.description).toBe('c')
    expect(getRow(map, 'issue', 'x')!.pending).toEqual([2, 3])
    expect(pulledRow.description).toBe('a')
  })

  it('once a pull confirms, the row is the server row and not pending', async () => {
    await enqueue('note.add', { id: 'n1', interview_id: I, text: 'x' })
    await applyPullPage(
      { changes: [{ seq: 9, entity: 'note', id: 'n1', deleted: false, row: { id: 'n1', interview_id: I, text: 'x', author_id: 'me' } }], cursor: 9, upto: 9, has_more: false, last_mutation_id: 1 },
      { confirmUpTo: 1 },
    )
    const map = await loadOverlay()
    expect(syncState(getRow(map, 'note', 'n1')!)).toBe('synced')
  })
})
