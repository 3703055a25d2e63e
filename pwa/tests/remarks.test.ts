// @vitest-environment happy-dom
// Confidential remarks on the device (docs/security.md §4 "Confidential remarks: threat model"):
// every keystroke is journaled at once, encrypted under the local data key (never the plaintext);
// a tab that dies while it shows 加密中… leaves a draft that the editor reopens or the next sync
// seals; and the author's device re-wraps its remarks for officers who enrolled after they were
// written. Fields never reach Chromium's session restore (autocomplete="off" on every control).
import { afterEach, describe, expect, it } from 'vitest'
import { getDB } from '@/store/db'
import { setMeta } from '@/store/meta'
import { listOutbox } from '@/store/outbox'
import { flushAutosave, replayJournal } from '@/store/autosave'
import { setAtRestKey, copyAtRestKey } from '@/store/atrest'
import { currentUser } from '@/shell/session'
import { openEnvelope, publicPoint, seal, type Envelope } from '@/crypto'
import { sealRemarkDrafts } from '@/crypto/remarks'
import { grantCandidates, grantOfficersForOwnRemarks } from '@/crypto/grants'
import { useRemarkWriter } from '@/composables/remarks'
import { editingRemarks, journalRemark, remarkDrafts } from '@/domain/remarks'
import { keepFieldsOutOfSessionRestore } from '@/shell/noFormRestore'

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const
type Pair = { pair: CryptoKeyPair; point: string }

async function newPair(): Promise<Pair> {
  const pair = (await crypto.subtle.generateKey(ECDH, false, ['deriveBits'])) as CryptoKeyPair
  return { pair, point: await publicPoint(pair.publicKey) }
}
async function put(entity: string, id: string, row: Record<string, unknown>, seq = 1): Promise<void> {
  const db = await getDB()
  await db.put('rows', { entity, id, seq, deleted: false, row: { id, ...row } })
}
async function iAm(userId: string, keyId: string, k: Pair): Promise<void> {
  currentUser.value = { id: userId, username: userId, name: userId, roles: ['cadre'] } as never
  await setMeta('keys', { user_id: userId, encryption: { id: keyId, public_key: k.point, privateKey: k.pair.privateKey, publicKey: k.pair.publicKey } })
}
async function world(): Promise<{ author: Pair; officer: Pair }> {
  const [author, officer] = [await newPair(), await newPair()]
  await put('user', 'u-a', { name: '刘海涛', roles: ['cadre'] })
  await put('user', 'u-o', { name: '吴静', roles: ['officer'] })
  await put('user_key', 'k-a', { user_id: 'u-a', purpose: 'encryption', public_key: author.point, created_at: '2025-01-01', retired_at: null })
  await iAm('u-a', 'k-a', author)
  return { author, officer }
}
const JOURNAL = 'fangtan.journal.v2'

afterEach(() => {
  editingRemarks.clear()
  localStorage.clear()
  currentUser.value = null
})

describe('a remark typed right before a reload', () => {
  it('is journaled on every keystroke, encrypted, and comes back whole after the tab dies', async () => {
    await world()
    const writer = useRemarkWriter(() => 'iv-1')
    const typed = '职工反映夜班调岗 MARK-尾巴-最后几个字'
    for (let i = 1; i <= typed.length; i++) writer.change('r-1', typed.slice(0, i), false)
    // The tab dies now, long before the 400 ms seal and the 250 ms draft commit.
    const journal = localStorage.getItem(JOURNAL)
    expect(journal).toBeTruthy()
    expect(journal).not.toContain('MARK')
    expect(journal).not.toContain('夜班')
    await writer.flush()
    await flushAutosave()
    const db = await getDB()
    await db.clear('outbox')
    await db.clear('drafts')
    localStorage.setItem(JOURNAL, journal!)
    editingRemarks.clear()
    // The reload: the journal is replayed after the unlock (store/atrestUpgrade.ts).
    expect(await replayJournal()).toBe(1)
    const [d] = await remarkDrafts('u-a', 'iv-1')
    expect(d).toMatchObject({ remarkId: 'r-1', interviewId: 'iv-1', text: typed, existing: false })
    // In IndexedDB the draft is sealed at rest: without the key only its key and time are readable.
    const key = copyAtRestKey()
    setAtRestKey(null)
    const raw = await db.get('drafts', d.key)
    setAtRestKey(key)
    expect(JSON.stringify(raw)).not.toContain('MARK')
    expect(Object.keys(raw!).sort()).toEqual(['key', 'updated_at'])
  })

  it('is sealed into the outbox and its draft dropped once the seal is done', async () => {
    const { author } = await world()
    const writer = useRemarkWriter(() => 'iv-1')
    writer.change('r-1', '保密内容 SEALED', false)
    await writer.flush()
    await flushAutosave()
    const [entry] = await listOutbox()
    expect(entry).toMatchObject({ name: 'remark.put', args: { id: 'r-1', interview_id: 'iv-1' } })
    expect(await openEnvelope(entry.args.envelope as Envelope, { rowId: 'r-1', userId: 'u-a', keyPair: author.pair })).toBe('保密内容 SEALED')
    expect(await remarkDrafts('u-a')).toEqual([])
    expect(localStorage.getItem(JOURNAL)).toBeNull()
  })

  it('a draft nobody reopened is sealed at the next sync; one open in an editor is left to it', async () => {
    const { author } = await world()
    journalRemark({ remarkId: 'r-1', interviewId: 'iv-1', authorId: 'u-a', text: '重载前写的', existing: false })
    journalRemark({ remarkId: 'r-2', interviewId: 'iv-2', authorId: 'u-a', text: '正在编辑', existing: false })
    editingRemarks.add('r-2')
    expect(await sealRemarkDrafts('u-a')).toBe(1)
    await flushAutosave()
    const out = await listOutbox()
    expect(out.map((e) => e.args.id)).toEqual(['r-1'])
    expect(await openEnvelope(out[0].args.envelope as Envelope, { rowId: 'r-1', userId: 'u-a', keyPair: author.pair })).toBe('重载前写的')
    expect((await remarkDrafts('u-a')).map((d) => d.remarkId)).toEqual(['r-2'])
  })
})

describe('an officer who enrols after a remark was written', () => {
  it('is granted by the author’s device at its next sync (every late officer, own remarks only)', async () => {
    const { author, officer } = await world()
    const late = await newPair()
    const env = await seal('写于保密管理员设置密钥之前', { rowId: 'r-1', recipients: [{ user_id: 'u-a', key_id: 'k-a', public_key: author.point }] })
    await put('remark', 'r-1', { interview_id: 'iv-1', author_id: 'u-a', envelope: env }, 4)
    expect(await grantOfficersForOwnRemarks('u-a')).toBe(0) // no officer key yet
    // Both officers enrol; the author's device pulls their keys.
    await put('user', 'u-o2', { name: '新管理员', roles: ['officer'] })
    await put('user_key', 'k-o', { user_id: 'u-o', purpose: 'encryption', public_key: officer.point, created_at: '2025-02-01', retired_at: null })
    await put('user_key', 'k-o2', { user_id: 'u-o2', purpose: 'encryption', public_key: late.point, created_at: '2025-02-02', retired_at: null })
    expect(await grantOfficersForOwnRemarks('u-a')).toBe(2)
    const out = await listOutbox()
    // One replacement of the row (the outbox coalesces the two re-wraps), based on the pulled seq.
    expect(out.map((e) => [e.name, e.base])).toEqual([['remark.put', 4]])
    const last = out[0].args.envelope as Envelope
    expect([last.kid, last.nonce, last.ct]).toEqual([env.kid, env.nonce, env.ct])
    expect(last.recipients.map((r) => r.user_id)).toEqual(['u-a', 'u-o', 'u-o2'])
    expect(await openEnvelope(last, { rowId: 'r-1', userId: 'u-o', keyPair: officer.pair })).toBe('写于保密管理员设置密钥之前')
    expect(await openEnvelope(last, { rowId: 'r-1', userId: 'u-o2', keyPair: late.pair })).toBe('写于保密管理员设置密钥之前')
    expect(await grantOfficersForOwnRemarks('u-a')).toBe(0) // nothing left
  })

  it('a re-wrap the server refused is not queued again at every sync', async () => {
    const { author, officer } = await world()
    const env = await seal('x', { rowId: 'r-1', recipients: [{ user_id: 'u-a', key_id: 'k-a', public_key: author.point }] })
    await put('remark', 'r-1', { interview_id: 'iv-1', author_id: 'u-a', envelope: env }, 2)
    await put('user_key', 'k-o', { user_id: 'u-o', purpose: 'encryption', public_key: officer.point, created_at: '2025-02-01', retired_at: null })
    const db = await getDB()
    await db.put('rejections', { key: 'dev-1:9', device_id: 'dev-1', mutation_id: 9, name: 'remark.put', args: { id: 'r-1' }, error: { code: 'validation', message: 'no' }, rejected_at: '2025-02-02', status: 'open' })
    expect(await grantOfficersForOwnRemarks('u-a')).toBe(0)
    await db.put('rejections', { key: 'dev-1:9', device_id: 'dev-1', mutation_id: 9, name: 'remark.put', args: { id: 'r-1' }, error: { code: 'validation', message: 'no' }, rejected_at: '2025-02-02', status: 'discarded' })
    expect(await grantOfficersForOwnRemarks('u-a')).toBe(1)
  })

  it('leaves other authors’ remarks and a remark open in an editor alone', async () => {
    const { author, officer } = await world()
    await put('user', 'u-b', { name: '陈晓东', roles: ['cadre'] })
    const mine = await seal('mine', { rowId: 'r-1', recipients: [{ user_id: 'u-a', key_id: 'k-a', public_key: author.point }] })
    const theirs = await seal('theirs', { rowId: 'r-2', recipients: [{ user_id: 'u-b', key_id: 'k-b', public_key: author.point }, { user_id: 'u-a', key_id: 'k-a', public_key: author.point }] })
    await put('remark', 'r-1', { interview_id: 'iv-1', author_id: 'u-a', envelope: mine }, 2)
    await put('remark', 'r-2', { interview_id: 'iv-1', author_id: 'u-b', envelope: theirs }, 3)
    await put('user_key', 'k-o', { user_id: 'u-o', purpose: 'encryption', public_key: officer.point, created_at: '2025-02-01', retired_at: null })
    editingRemarks.add('r-1')
    expect(await grantCandidates('u-a', { ownOnly: true })).toEqual([])
    editingRemarks.clear()
    expect((await grantCandidates('u-a', { ownOnly: true })).map((c) => c.remarkIds)).toEqual([['r-1']])
  })
})

describe('fields stay out of the browser’s session restore', () => {
  it('every text control the app renders is autocomplete="off" (an explicit token is kept)', async () => {
    keepFieldsOutOfSessionRestore(document.body)
    document.body.innerHTML = '<textarea id="a"></textarea><input id="b"><input id="c" autocomplete="username"><input id="d" type="checkbox">'
    const late = document.createElement('div')
    late.innerHTML = '<textarea id="e"></textarea>'
    document.body.appendChild(late)
    await new Promise((r) => setTimeout(r, 0)) // MutationObserver callbacks
    const ac = (id: string) => document.getElementById(id)!.getAttribute('autocomplete')
    expect([ac('a'), ac('b'), ac('c'), ac('d'), ac('e')]).toEqual(['off', 'off', 'username', null, 'off'])
  })
})
