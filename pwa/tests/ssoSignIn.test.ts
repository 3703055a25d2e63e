// Single sign-on in the app: the one-time code from the server's callback is exchanged at
// /api/auth/oidc/exchange and ends exactly like a password sign-in (device, tokens, user stored);
// a refused stored device is retried as a new enrolment with the same code when nothing is waiting.
import { beforeEach, describe, expect, it } from 'vitest'
import { configureApi } from '@/sync/api'
import { signInWithSso, signInConfig } from '@/shell/session'
import { getMeta, setMeta } from '@/store/meta'

const USER = { id: 'u-cadre', name: '刘海涛', roles: ['cadre'], unit_id: 'ws1', username: 'cadre' }
let calls: Array<{ path: string; body?: Record<string, unknown> }>
let refuseDevice: boolean

function server(): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = String(input)
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : undefined
    calls.push({ path, body })
    const json = (status: number, data: unknown) =>
      new Response(JSON.stringify(data), { status, headers: { 'Content-Type': 'application/json' } })
    if (path.endsWith('/api/auth/config')) return json(200, { sso: true, sso_providers: ['oidc'], password_login: true })
    if (body?.device_id && refuseDevice) return json(400, { error: { code: 'request.invalid_field', message: 'no', field: 'device_id' } })
    return json(200, { access_token: 'at', refresh_token: 'rt', device_id: (body?.device_id as string) ?? 'dev-new', user: USER })
  }) as typeof fetch
}

beforeEach(() => {
  calls = []
  refuseDevice = false
  configureApi({ base: '', fetch: server() })
})

describe('single sign-on', () => {
  it('exchanges the one-time code and stores the session like a password sign-in', async () => {
    const user = await signInWithSso('one-time')
    expect(user.username).toBe('cadre')
    expect(calls).toHaveLength(1)
    expect(calls[0].path).toContain('/api/auth/oidc/exchange')
    expect(calls[0].body).toMatchObject({ code: 'one-time' })
    expect(calls[0].body?.device_id).toBeUndefined()
    expect(await getMeta('access_token')).toBe('at')
    expect(await getMeta('device_id')).toBe('dev-new')
    expect((await getMeta('user'))?.username).toBe('cadre')
  })

  it('offers the stored device and, refused with nothing waiting, enrols anew with the same code', async () => {
    await setMeta('device_id', 'dev-old')
    await setMeta('user', USER)
    refuseDevice = true
    await signInWithSso('one-time')
    expect(calls.map((c) => c.body?.device_id)).toEqual(['dev-old', undefined])
    expect(calls.map((c) => c.body?.code)).toEqual(['one-time', 'one-time'])
    expect(await getMeta('device_id')).toBe('dev-new')
  })

  it('asks the server whether to show the 企业统一登录 button', async () => {
    expect((await signInConfig()).sso_providers).toEqual(['oidc'])
  })
})
