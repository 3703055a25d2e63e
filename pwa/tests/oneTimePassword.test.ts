// A one-time password (roster import, admin reset): the sign-in says `must_change_password`, the
// session keeps it (so App.vue shows 设置新密码 before the PIN and any sync), a 403
// `auth.password_change_required` from any call brings it back, and only a successful
// POST /api/me/password clears it. Refusals reach the screen in the screen's language.
import { beforeEach, describe, expect, it } from 'vitest'
import { api, ApiError, configureApi } from '@/sync/api'
import {
  changePassword, loadSession, localizedServerMessage, mustChangePassword, oneTimePassword, PasswordRefused, signIn,
} from '@/shell/session'
import { getMeta, setMeta } from '@/store/meta'
import { triggerSync } from '@/sync/scheduler'
import { setupLock } from '@/shell/lock'

const USER = { id: 'u-new', name: '王新民', roles: ['cadre'], unit_id: 'ws1' }
const SHORT = '密码至少需要 10 个字符，这个只有 6 个 (password too short: at least 10 characters)'

interface Call { path: string; method: string; body?: Record<string, unknown> }
let calls: Call[]
let pending: boolean
let password: string

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

/** The server's side of one-time passwords, as server/accounts/one_time.py has it. */
function server(): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = String(input)
    const method = init?.method ?? 'GET'
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : undefined
    calls.push({ path, method, body })
    if (path === '/api/auth/login') {
      if (body?.password !== password) return json(401, { error: { code: 'auth.invalid_credentials', message: 'no' } })
      return json(200, { access_token: 'at', refresh_token: 'rt', device_id: 'dev-1', user: USER, must_change_password: pending })
    }
    if (path === '/api/me/password' && method === 'POST') {
      if (body?.current_password !== password) {
        return json(400, { error: { code: 'validation.invalid', message: '当前密码错误 (current password is wrong)', field: 'current_password' } })
      }
      if (String(body?.new_password).length < 10) return json(400, { error: { code: 'validation.invalid', message: SHORT, field: 'new_password' } })
      password = String(body?.new_password)
      pending = false
      return json(200, { must_change_password: false })
    }
    if (pending) return json(403, { error: { code: 'auth.password_change_required', message: '请先设置新密码 (set a new password first)' } })
    return json(200, { ok: true })
  }) as typeof fetch
}

beforeEach(() => {
  calls = []
  pending = true
  password = 'OTP-7Kq2-Zr9w'
  mustChangePassword.value = false
  oneTimePassword.value = ''
  configureApi({ base: '', fetch: server() })
})

describe('first sign-in with a one-time password', () => {
  it('keeps must_change_password in the session (and in storage) and the typed password in memory only', async () => {
    await signIn('w.xinmin', 'OTP-7Kq2-Zr9w')
    expect(mustChangePassword.value).toBe(true)
    expect(oneTimePassword.value).toBe('OTP-7Kq2-Zr9w')
    expect(await getMeta('must_change_password')).toBe(true)
    // A reload restores the state from storage; the one-time password itself is not stored.
    mustChangePassword.value = false
    oneTimePassword.value = ''
    await loadSession()
    expect(mustChangePassword.value).toBe(true)
    expect(JSON.stringify(await getMeta('user'))).not.toContain('OTP-7Kq2-Zr9w')
  })

  it('an ordinary sign-in leaves the flag off', async () => {
    pending = false
    await signIn('w.xinmin', 'OTP-7Kq2-Zr9w')
    expect(mustChangePassword.value).toBe(false)
    expect(oneTimePassword.value).toBe('')
    expect(await getMeta('must_change_password')).toBe(false)
  })

  it('no sync runs while the password change is pending, even with the PIN set', async () => {
    await signIn('w.xinmin', 'OTP-7Kq2-Zr9w')
    await setMeta('must_change_password', true)
    await setupLock('135790').catch(() => undefined) // the unlock share call may be refused: the PIN is local
    calls = []
    expect(await triggerSync('test')).toBeNull()
    expect(calls.filter((c) => c.path.startsWith('/api/sync'))).toEqual([])
  })

  it('a weak new password is refused with the Chinese message on the new_password field; nothing is cleared', async () => {
    await signIn('w.xinmin', 'OTP-7Kq2-Zr9w')
    const err = await changePassword('OTP-7Kq2-Zr9w', 'short1', 'zh-CN').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PasswordRefused)
    expect((err as PasswordRefused).field).toBe('new_password')
    expect((err as PasswordRefused).message).toBe('密码至少需要 10 个字符，这个只有 6 个')
    expect((err as PasswordRefused).message).not.toMatch(/[A-Za-z]/)
    expect(mustChangePassword.value).toBe(true)
    expect(await getMeta('must_change_password')).toBe(true)
  })

  it('a wrong current password names current_password', async () => {
    await signIn('w.xinmin', 'OTP-7Kq2-Zr9w')
    const err = (await changePassword('wrong', 'a-long-enough-one', 'zh-CN').catch((e: unknown) => e)) as PasswordRefused
    expect(err.field).toBe('current_password')
    expect(err.message).toBe('当前密码错误')
  })

  it('a successful change clears the flag, in memory and in storage, and forgets the one-time password', async () => {
    await signIn('w.xinmin', 'OTP-7Kq2-Zr9w')
    await changePassword('OTP-7Kq2-Zr9w', 'Zhu-jiang-2027-river', 'zh-CN')
    const post = calls.find((c) => c.path === '/api/me/password')
    expect(post?.body).toEqual({ current_password: 'OTP-7Kq2-Zr9w', new_password: 'Zhu-jiang-2027-river' })
    expect(mustChangePassword.value).toBe(false)
    expect(oneTimePassword.value).toBe('')
    expect(await getMeta('must_change_password')).toBe(false)
    await loadSession()
    expect(mustChangePassword.value).toBe(false)
  })
})

describe('a session restored from storage', () => {
  it('a 403 auth.password_change_required from any call raises the flag and stores it', async () => {
    pending = false
    await signIn('w.xinmin', 'OTP-7Kq2-Zr9w')
    expect(mustChangePassword.value).toBe(false)
    pending = true // e.g. an admin reset the password to a one-time one meanwhile
    const err = await api('/api/interviews').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).status).toBe(403)
    expect(mustChangePassword.value).toBe(true)
    expect(await getMeta('must_change_password')).toBe(true)
  })

  it('another 403 does not', async () => {
    pending = false
    await signIn('w.xinmin', 'OTP-7Kq2-Zr9w')
    configureApi({ fetch: (async () => json(403, { error: { code: 'policy.forbidden', message: 'no' } })) as typeof fetch })
    await api('/api/x').catch(() => undefined)
    expect(mustChangePassword.value).toBe(false)
    expect(await getMeta('must_change_password')).toBe(false)
  })
})

describe('server messages in the screen language', () => {
  it('takes the Chinese part for zh-CN and the bracketed English for en', () => {
    expect(localizedServerMessage(SHORT, 'zh-CN')).toBe('密码至少需要 10 个字符，这个只有 6 个')
    expect(localizedServerMessage(SHORT, 'en')).toBe('password too short: at least 10 characters')
    const demo = '“fangtan-demo”是公开的演示密码，只能用于演示数据库 (the published demo password is allowed only in a demo database)'
    expect(localizedServerMessage(demo, 'zh-CN')).toBe('“fangtan-demo”是公开的演示密码，只能用于演示数据库')
    expect(localizedServerMessage('没有括号', 'zh-CN')).toBe('没有括号')
  })
})
