// Revocation purge (docs/security.md §6): `auth.device_revoked` on any call marks the install;
// with nothing unsynced it is wiped at once (every store, keys and lock included); with unsynced
// work nothing is deleted until it was exported (the file holds every queued mutation's args).
import { beforeEach, describe, expect, it } from 'vitest'
import { api, configureApi } from '@/sync/api'
import { getDB } from '@/store/db'
import { getMeta, setMeta } from '@/store/meta'
import { enqueue } from '@/store/outbox'
import { saveDraft } from '@/store/drafts'
import { putBlob } from '@/store/blobs'
import { handleRevocation, revokedWork, purgeAndSignIn } from '@/shell/revocation'
import { buildExport, EXPORT_KIND } from '@/shell/unsyncedExport'
import { signIn } from '@/shell/session'

const USER = { id: 'u-cadre', name: '刘海涛', roles: ['cadre'], unit_id: 'ws1', username: 'cadre' }

function revokedServer(): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = String(input)
    if (path.startsWith('/api/auth/login') && !JSON.parse(String(init?.body)).device_id) {
      return new Response(JSON.stringify({ access_token: 'at', refresh_token: 'rt', device_id: 'dev-new', user: USER }), { status: 200 })
    }
    return new Response(JSON.stringify({ error: { code: 'auth.device_revoked', message: 'revoked' } }), { status: 401 })
  }) as typeof fetch
}

async function install(): Promise<void> {
  await setMeta('device_id', 'dev-A')
  await setMeta('user', USER)
  await setMeta('access_token', 'at')
  await setMeta('refresh_token', 'rt')
  await setMeta('lock', { kdf: 'PBKDF2-SHA256', iterations: 600000, salt: 's', nonce: 'n', wrapped: 'w' })
  await setMeta('keys', { user_id: USER.id })
  const db = await getDB()
  await db.put('rows', { entity: 'interview', id: 'iv-1', seq: 3, deleted: false, row: { id: 'iv-1', summary: '已同步的访谈' } })
}

async function storeSizes(): Promise<Record<string, number>> {
  const db = await getDB()
  const out: Record<string, number> = {}
  for (const name of db.objectStoreNames) out[name] = await db.count(name)
  return out
}

beforeEach(() => {
  revokedWork.value = null
  configureApi({ base: '', fetch: revokedServer() })
})

describe('revocation purge', () => {
  it('device_revoked on any call marks the install revoked', async () => {
    await install()
    await expect(api('/api/sync/pull?cursor=0')).rejects.toMatchObject({ code: 'auth.device_revoked' })
    expect((await getMeta('revoked'))?.code).toBe('auth.device_revoked')
    expect(await getMeta('needs_sign_in')).toBe(true)
  })

  it('nothing unsynced: every store is wiped, keys and lock included', async () => {
    await install()
    await expect(api('/api/sync/pull?cursor=0')).rejects.toBeTruthy()
    expect(await handleRevocation()).toBe('purged')
    const sizes = await storeSizes()
    expect(Object.values(sizes).every((n) => n === 0)).toBe(true)
    expect(await getMeta('keys')).toBeUndefined()
    expect(await getMeta('lock')).toBeUndefined()
  })

  it('unsynced work is kept until exported; the export holds all of it', async () => {
    await install()
    await enqueue('note.add', { id: 'n1', interview_id: 'iv-1', text: '未同步的要点 MARK-1' })
    await saveDraft('note:iv-1:business.1', { text: '草稿 MARK-2' })
    await putBlob(new Blob([new Uint8Array([1, 2, 3])], { type: 'image/jpeg' }))
    await expect(api('/api/sync/push', { method: 'POST', json: {} })).rejects.toBeTruthy()
    expect(await handleRevocation()).toBe('kept')
    expect(revokedWork.value).toMatchObject({ outbox: 1, drafts: 1, blobs: 1, total: 3 })
    expect((await storeSizes()).outbox).toBe(1)
    const { json, fileName, counts } = await buildExport()
    const doc = JSON.parse(json)
    expect(doc.kind).toBe(EXPORT_KIND)
    expect(doc.device_id).toBe('dev-A')
    expect(json).toContain('MARK-1')
    expect(json).toContain('MARK-2')
    expect(doc.blobs[0].blob).toEqual({ blob_base64: 'AQID', type: 'image/jpeg', size: 3 })
    expect(counts).toMatchObject({ outbox: 1, drafts: 1, blobs: 1 })
    expect(fileName).toMatch(/^fangtan-未同步-cadre-\d{8}T\d{6}\.json$/)
    // The user exported (or confirmed the loss): now the purge runs.
    await purgeAndSignIn(false)
    expect(Object.values(await storeSizes()).every((n) => n === 0)).toBe(true)
  })

  it('signing in on a revoked install with nothing unsynced purges it before enrolling afresh', async () => {
    await install()
    await expect(signIn('cadre', 'pw')).resolves.toMatchObject({ id: USER.id })
    expect(await getMeta('device_id')).toBe('dev-new')
    expect(await getMeta('keys')).toBeUndefined()
    expect(await getMeta('lock')).toBeUndefined()
    expect((await storeSizes()).rows).toBe(0)
  })
})
