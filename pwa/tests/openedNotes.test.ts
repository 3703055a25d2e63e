// An interview's notes fetched when it is opened (sync/opened.ts, store/apply.ts applyFetchedRows):
// stored like pulled rows, the cursor untouched, a newer held row kept, offline reported as such.
import { describe, expect, it } from 'vitest'
import { applyFetchedRows, applyPullPage } from '@/store/apply'
import { getDB } from '@/store/db'
import { getMeta, setMeta } from '@/store/meta'
import { onChange } from '@/store/events'
import { configureApi, NetworkError } from '@/sync/api'
import { fetchInterviewNotes, notesFetchedOnOpen } from '@/sync/opened'

const note = (id: string, seq: number, text: string) => ({ seq, entity: 'note', id, deleted: false, row: { id, interview_id: 'iv1', text } })

describe('notes fetched when an interview is opened', () => {
  it('are stored with their parent, leave the cursor alone and are announced', async () => {
    await applyPullPage({ changes: [{ seq: 5, entity: 'interview', id: 'iv1', deleted: false, row: { id: 'iv1' } }], cursor: 5, upto: 5, has_more: false, last_mutation_id: 0 })
    let announced = 0
    const off = onChange((kinds) => { if (kinds.has('rows')) announced++ })
    expect(await applyFetchedRows([note('n1', 3, '一'), note('n2', 4, '二')])).toBe(2)
    await Promise.resolve() // announcements are delivered once per microtask
    off()
    const db = await getDB()
    expect((await db.getAllFromIndex('rows', 'by_parent', ['note', 'iv1'])).map((r) => r.row.text)).toEqual(['一', '二'])
    expect(await getMeta('cursor')).toBe(5)
    expect(announced).toBe(1)
    expect(await applyFetchedRows([note('n1', 3, '一')])).toBe(0) // held already: nothing written
  })

  it('never replace a row the device holds at a later seq', async () => {
    await applyPullPage({ changes: [note('n9', 20, '新的')], cursor: 20, upto: 20, has_more: false, last_mutation_id: 0 })
    expect(await applyFetchedRows([note('n9', 7, '旧的')])).toBe(0)
    expect((await (await getDB()).get('rows', ['note', 'n9']))?.row.text).toBe('新的')
  })

  it('come from GET /api/sync/notes for the interview, and offline is a NetworkError', async () => {
    await setMeta('access_token', 'at')
    const asked: string[] = []
    configureApi({ base: '', fetch: (async (url: string) => {
      asked.push(String(url))
      return new Response(JSON.stringify({ changes: [note('n5', 9, '取回的')] }), { status: 200, headers: { 'content-type': 'application/json' } })
    }) as unknown as typeof fetch })
    expect(await fetchInterviewNotes('iv 1')).toBe(1)
    expect(asked).toEqual(['/api/sync/notes?interview=iv%201'])
    configureApi({ fetch: (async () => { throw new TypeError('Failed to fetch') }) as unknown as typeof fetch })
    await expect(fetchInterviewNotes('iv1')).rejects.toBeInstanceOf(NetworkError)
  })

  it('is what a company-wide role does, not a cadre or a handler', () => {
    expect(notesFetchedOnOpen(['hr'])).toBe(true)
    expect(notesFetchedOnOpen(['cadre', 'leader'])).toBe(true)
    expect(notesFetchedOnOpen(['supervisor'])).toBe(true)
    expect(notesFetchedOnOpen(['cadre', 'unit_lead', 'handler', 'officer', 'admin'])).toBe(false)
  })
})
