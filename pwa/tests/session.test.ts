// Re-login on the same install keeps the device: the stored device id is offered to the server,
// the outbox numbering continues, and a refused device falls back to a fresh enrolment only when
// nothing is waiting (otherwise everything is kept and the user is told).
import { beforeEach, describe, expect, it } from 'vitest'
import { configureApi } from '@/sync/api'
import { signIn, DeviceNotReusable } from '@/shell/session'
import { getMeta, setMeta } from '@/store/meta'
import { enqueue, listOutbox } from '@/store/outbox'

const USER = { id: 'u-cadre', name: '刘海涛', roles: ['cadre'], unit_id: 'ws1' }
let bodies: Array<Record<string, unknown>>
let refuse: null | { status: number; code: string; field?: string }

function loginServer(): typeof fetch {
  let enrolled = 0
  return (async (_input: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as Record<string, unknown>
    bodies.push(body)
    if (body.device_id && refuse) {
      return new Response(JSON.stringify({ error: { code: refuse.code, message: 'no', field: refuse.field } }), { status: refuse.status, headers: { 'Content-Type': 'application/json' } })
    }
    const device_id = (body.device_id as string | undefined) ?? `dev-new-${++enrolled}`
    return new Response(JSON.stringify({ access_token: 'at', refresh_token: 'rt', device_id, user: USER }), { status: 200, headers: { 'Content-Type': 'application/json' } })
  }) as typeof fetch
}

async function installedAs(device: string): Promise<void> {
  await setMeta('device_id', device)
  await setMeta('user', { ...USER, username: 'cadre' })
}

beforeEach(() => {
  bodies = []
  refuse = null
  configureApi({ base: '', fetch: loginServer() })
})

describe('sign-in on an install that already has a device', () => {
  it('first sign-in sends no device id and stores the enrolled one', async () => {
    await signIn('cadre', 'pw')
    expect(bodies[0].device_id).toBeUndefined()
    expect(await getMeta('device_id')).toBe('dev-new-1')
  })

  it('same user again: offers the stored device id, keeps it, and the outbox numbering continues', async () => {
    await installedAs('dev-A')
    await enqueue('note.add', { id: 'n1', interview_id: 'iv', text: 'a' })
    await enqueue('note.add', { id: 'n2', interview_id: 'iv', text: 'b' })
    await setMeta('server_last_mutation_id', 1)
    await signIn('cadre', 'pw')
    expect(bodies).toHaveLength(1)
    expect(bodies[0].device_id).toBe('dev-A')
    expect(await getMeta('device_id')).toBe('dev-A')
    expect((await listOutbox()).map((e) => e.id)).toEqual([1, 2]) // not renumbered
    expect(await getMeta('server_last_mutation_id')).toBe(1) // acks kept: nothing resent as new
    await enqueue('note.add', { id: 'n3', interview_id: 'iv', text: 'c' })
    expect((await listOutbox()).map((e) => e.id)).toEqual([1, 2, 3])
  })

  it('another user on this install: no device id is offered', async () => {
    await installedAs('dev-A')
    await signIn('hr', 'pw')
    expect(bodies[0].device_id).toBeUndefined()
  })

  it('revoked device with an empty outbox: enrols afresh', async () => {
    await installedAs('dev-A')
    refuse = { status: 401, code: 'auth.device_revoked' }
    await signIn('cadre', 'pw')
    expect(bodies.map((b) => b.device_id)).toEqual(['dev-A', undefined])
    expect(await getMeta('device_id')).toBe('dev-new-1')
  })

  it('device_id field error with an empty outbox: enrols afresh', async () => {
    await installedAs('dev-A')
    refuse = { status: 400, code: 'request.invalid_field', field: 'device_id' }
    await signIn('cadre', 'pw')
    expect(await getMeta('device_id')).toBe('dev-new-1')
  })

  it('revoked device with work waiting: keeps everything, tells the user, does not enrol', async () => {
    await installedAs('dev-A')
    await enqueue('note.add', { id: 'n1', interview_id: 'iv', text: '未同步的内容' })
    refuse = { status: 401, code: 'auth.device_revoked' }
    await expect(signIn('cadre', 'pw')).rejects.toBeInstanceOf(DeviceNotReusable)
    expect(bodies).toHaveLength(1)
    expect(await getMeta('device_id')).toBe('dev-A')
    const outbox = await listOutbox()
    expect(outbox.map((e) => [e.id, e.args.text])).toEqual([[1, '未同步的内容']])
    expect(await getMeta('needs_sign_in')).toBe(true)
  })

  it('a wrong password is not mistaken for a refused device', async () => {
    await installedAs('dev-A')
    refuse = { status: 401, code: 'auth.bad_credentials' }
    await expect(signIn('cadre', 'bad')).rejects.toMatchObject({ code: 'auth.bad_credentials' })
    expect(bodies).toHaveLength(1)
  })
})
