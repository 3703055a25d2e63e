// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { autosave, flushAutosave, replayJournal, DEBOUNCE_MS } from '@/store/autosave'
import { listOutbox } from '@/store/outbox'
import { loadDraft } from '@/store/drafts'

describe('autosave', () => {
  it('debounces keystrokes into one coalesced mutation within the debounce window', async () => {
    for (const s of ['设', '设备', '设备老化']) autosave('interview:x', { kind: 'mutation', name: 'interview.save', args: { id: 'x', summary: s } })
    expect(await listOutbox()).toHaveLength(0)
    await new Promise((r) => setTimeout(r, DEBOUNCE_MS + 100))
    const all = await listOutbox()
    expect(all).toHaveLength(1)
    expect(all[0].args.summary).toBe('设备老化')
    expect(localStorage.getItem('fangtan.journal.v2')).toBeNull()
  })

  it('journals synchronously and replays what a closed tab never committed', async () => {
    autosave('draft:note:x:demand.1', { kind: 'draft', key: 'note:x:demand.1', value: { text: '食堂' } })
    autosave('interview:x', { kind: 'mutation', name: 'interview.save', args: { id: 'x', place: '现场' } })
    // Simulate the tab dying now: take the journal, drop the in-memory timers, replay.
    const journal = localStorage.getItem('fangtan.journal.v2')
    // Journalled at once, but sealed under the local data key: never the typed text itself.
    expect(journal).toBeTruthy()
    expect(journal).not.toContain('食堂')
    expect(journal).not.toContain('现场')
    expect(Object.values(JSON.parse(journal!) as Record<string, string>).every((v) => v.startsWith('v1.'))).toBe(true)
    await flushAutosave() // (commits; then we pretend the commit never happened:)
    localStorage.setItem('fangtan.journal.v2', journal!)
    const { getDB } = await import('@/store/db')
    const db = await getDB()
    await db.clear('outbox')
    await db.clear('drafts')
    expect(await replayJournal()).toBe(2)
    expect((await loadDraft('note:x:demand.1'))!.text).toBe('食堂')
    expect((await listOutbox())[0].args.place).toBe('现场')
    expect(localStorage.getItem('fangtan.journal.v2')).toBeNull()
  })

  it('while locked nothing is journalled: the keystroke fails instead of landing in plaintext', async () => {
    const { setAtRestKey, setAtRestRequired, LockedError } = await import('@/store/atrest')
    setAtRestRequired(true)
    setAtRestKey(null)
    expect(() => autosave('interview:z', { kind: 'mutation', name: 'interview.save', args: { id: 'z', place: '秘密' } })).toThrow(LockedError)
    expect(localStorage.getItem('fangtan.journal.v2')).toBeNull()
    expect(await replayJournal()).toBe(0)
  })

  it('a plaintext journal left by an older version is replayed once, then removed', async () => {
    localStorage.setItem('fangtan.journal.v1', JSON.stringify({ 'interview:y': { kind: 'mutation', name: 'interview.save', args: { id: 'y', place: '罐区' } } }))
    expect(await replayJournal()).toBe(1)
    expect((await listOutbox())[0].args.place).toBe('罐区')
    expect(localStorage.getItem('fangtan.journal.v1')).toBeNull()
  })
})
