// 回执码 spent offline from the tablet's reserved pool (issue #16 point 1, docs/followup.md).
import { describe, expect, it } from 'vitest'
import { enqueue, listOutbox } from '@/store/outbox'
import { getDB } from '@/store/db'
import { POOL_KEY, SPENT_KEY, poolLeft } from '@/store/receiptPool'

const I = '0193a5c2-7d3e-7b61-9a0f-5c1d2e3f4a5b'
const raise = (id: string) => enqueue('issue.raise', { id, interview_id: I, category: 'business', description: 'x', unit_ids: ['u'] })

describe('receipt code pool', () => {
  it('gives each new problem the next reserved code in the outbox transaction, never twice', async () => {
    const db = await getDB()
    await db.put('meta', ['AAAA-2222', 'BBBB-3333'], POOL_KEY)
    const a = await raise('i1')
    const b = await raise('i2')
    expect(a.args.receipt_code).toBe('AAAA-2222')
    expect(b.args.receipt_code).toBe('BBBB-3333')
    expect(await db.get('meta', POOL_KEY)).toEqual([])
    expect(await db.get('meta', SPENT_KEY)).toEqual(['AAAA-2222', 'BBBB-3333'])
    // an edit folded into the unsent raise keeps its code
    await enqueue('issue.update', { id: 'i1', description: 'y' })
    const entries = await listOutbox()
    expect(entries.find((e) => e.row_id === 'i1')?.args.receipt_code).toBe('AAAA-2222')
    // pool empty: no code, the server assigns one at sync (the slip says 同步后生成)
    const c = await raise('i3')
    expect(c.args.receipt_code).toBeUndefined()
    expect((await poolLeft()).left).toBe(0)
  })
})
