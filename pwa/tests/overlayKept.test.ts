// The opened rows store/overlay.ts keeps between screens: never older than the database, never
// kept past the lock, and not opened twice while nothing changed.
import { describe, expect, it, vi } from 'vitest'
import * as atrest from '@/store/atrest'
import { applyPullPage } from '@/store/apply'
import { getDB } from '@/store/db'
import { notifyChange } from '@/store/events'
import { enqueue } from '@/store/outbox'
import { getRow, loadOverlay } from '@/store/overlay'

const ISSUES = ['issue', 'followup']

async function pull(seq: number, description: string, hasMore = false): Promise<void> {
  await applyPullPage({
    changes: [{ seq, entity: 'issue', id: 'p1', deleted: false, row: { id: 'p1', description, status: 'assigned' } }],
    cursor: seq, upto: seq, has_more: hasMore, last_mutation_id: 0,
  })
}

const description = async () => getRow(await loadOverlay({ entities: ISSUES }), 'issue', 'p1')?.row?.description
const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('opened rows kept between screens', () => {
  it('are opened once while nothing is written', async () => {
    await pull(1, '泵体漏水')
    const opened = vi.spyOn(atrest, 'decryptRecords')
    expect(await description()).toBe('泵体漏水')
    const first = opened.mock.calls.length
    expect(await description()).toBe('泵体漏水')
    expect(await description()).toBe('泵体漏水')
    expect(opened.mock.calls.slice(first).every(([, values]) => (values as unknown[]).length === 0)).toBe(true)
    opened.mockRestore()
  })

  it('are let go of a little after they were opened', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] })
    try {
      await pull(1, '泵体漏水')
      const opened = vi.spyOn(atrest, 'decryptRecords')
      await description()
      const sizes = () => opened.mock.calls.map(([, values]) => (values as unknown[]).length)
      await description()
      expect(sizes().at(-1)).toBe(0) // kept
      vi.advanceTimersByTime(60_000)
      await description()
      expect(sizes().at(-1)).toBeGreaterThan(0) // opened again
      opened.mockRestore()
    } finally {
      vi.useRealTimers()
    }
  })

  it('see every write of this tab, announced or not', async () => {
    await pull(1, '泵体漏水')
    expect(await description()).toBe('泵体漏水')
    await pull(2, '已更换密封', true) // a page with more to come announces no rows
    expect(await description()).toBe('已更换密封')
    const db = await getDB()
    const row = (await db.get('rows', ['issue', 'p1']))!
    await db.put('rows', { ...row, row: { ...row.row, description: '直接写入' } })
    expect(await description()).toBe('直接写入')
  })

  it("see another tab's announced writes", async () => {
    await pull(1, '泵体漏水')
    expect(await description()).toBe('泵体漏水')
    // Another tab: its own connection, whose transactions this tab does not count.
    const db = await getDB()
    const row = (await db.get('rows', ['issue', 'p1']))!
    const other = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open(db.name)
      r.onsuccess = () => resolve(r.result)
      r.onerror = () => reject(r.error)
    })
    await new Promise((resolve, reject) => {
      const tx = other.transaction('rows', 'readwrite')
      tx.objectStore('rows').put(atrest.encryptRecord('rows', { ...row, row: { ...row.row, description: '另一标签页' } }))
      tx.oncomplete = resolve
      tx.onerror = () => reject(tx.error)
    })
    other.close()
    notifyChange('rows') // what the other tab's BroadcastChannel delivers here
    await tick()
    expect(await description()).toBe('另一标签页')
  })

  it('are dropped at the lock', async () => {
    await pull(1, '泵体漏水')
    const key = atrest.copyAtRestKey()
    expect(await description()).toBe('泵体漏水')
    atrest.setAtRestKey(null)
    // Locked: only the plaintext fields can be read; what was opened is gone with the key.
    expect(await description()).toBeUndefined()
    atrest.setAtRestKey(key)
    expect(await description()).toBe('泵体漏水')
  })

  it('are never changed by a mutation replayed on them', async () => {
    await pull(1, '泵体漏水')
    expect(await description()).toBe('泵体漏水')
    await enqueue('issue.update', { id: 'p1', description: '本机修改' })
    expect(await description()).toBe('本机修改')
    const map = await loadOverlay({ entities: ['issue'] })
    expect(getRow(map, 'issue', 'p1')?.row.description).toBe('本机修改')
    const db = await getDB()
    await db.clear('outbox')
    expect(await description()).toBe('泵体漏水')
  })
})
