import { describe, expect, it } from 'vitest'
import { configureApi } from '@/sync/api'
import { setMeta } from '@/store/meta'
import { rawDump } from './atrestHelpers'
import { currentUser } from '@/shell/session'
import { POOL_SIZE, markHandedOut, slipUrl, ticketUrl, topUp, unusedTickets } from '@/views/evaluation/ticketPool'
import { planOption, pieOption, scoresOption } from '@/views/dashboards/options'
import { query } from '@/api/evaluation'

/** A server issuing tickets, recording how many each request asked for. */
function ticketServer(asked: number[], publicBaseUrl = ''): typeof fetch {
  let n = 0
  return (async (_url: string, init?: RequestInit) => {
    const { count } = JSON.parse(String(init?.body)) as { count: number }
    asked.push(count)
    const tickets = Array.from({ length: count }, () => {
      const t = String(n++).padStart(20, '0')
      return { ticket: t, number: t.replace(/(.{4})(?=.)/g, '$1-') }
    })
    return new Response(JSON.stringify({ tickets, outstanding: count, public_base_url: publicBaseUrl }), { status: 201, headers: { 'Content-Type': 'application/json' } })
  }) as typeof fetch
}

describe('evaluation ticket pool', () => {
  it('fills up to the pool size, hands tickets out once, and refills only what was used', async () => {
    const asked: number[] = []
    configureApi({ base: '', fetch: ticketServer(asked) })
    await setMeta('access_token', 'token')
    currentUser.value = { id: 'u1', name: '刘海涛', roles: ['cadre'], unit_id: 'x' }
    expect(await topUp()).toBe(POOL_SIZE)
    expect(await topUp()).toBe(POOL_SIZE) // full: no request
    expect(asked).toEqual([POOL_SIZE])
    const [a, b] = await unusedTickets()
    await markHandedOut([a.ticket, b.ticket])
    const left = await unusedTickets()
    expect(left).toHaveLength(POOL_SIZE - 2)
    expect(left.map((t) => t.ticket)).not.toContain(a.ticket)
    expect(await topUp()).toBe(POOL_SIZE)
    expect(asked).toEqual([POOL_SIZE, 2])
  })

  it('keeps the pool sealed at rest: no unused ticket is readable in IndexedDB', async () => {
    configureApi({ base: '', fetch: ticketServer([]) })
    await setMeta('access_token', 'token')
    currentUser.value = { id: 'u1', name: '刘海涛', roles: ['cadre'], unit_id: 'x' }
    await topUp()
    const [first] = await unusedTickets()
    expect(first.ticket).toMatch(/^\d{20}$/)
    expect(await rawDump()).not.toContain(first.ticket)
  })

  it('asks nothing for a non-cadre and links a ticket to the rating page', async () => {
    const asked: number[] = []
    configureApi({ base: '', fetch: ticketServer(asked) })
    currentUser.value = { id: 'u2', name: '王丽娟', roles: ['hr'], unit_id: 'x' }
    expect(await topUp()).toBe(0)
    expect(asked).toEqual([])
    expect(ticketUrl('ABCD', 'https://fangtan.example')).toBe('https://fangtan.example/e/ABCD')
  })

  it('puts the public base URL the server issued the tickets with on the slips, else this origin', async () => {
    configureApi({ base: '', fetch: ticketServer([], 'https://fangtan.example.com') })
    await setMeta('access_token', 'token')
    currentUser.value = { id: 'u1', name: '刘海涛', roles: ['cadre'], unit_id: 'x' }
    const before = new Set((await unusedTickets()).map((t) => t.ticket))
    await markHandedOut([...before])
    await topUp()
    const fresh = (await unusedTickets()).filter((t) => !before.has(t.ticket))
    expect(fresh.length).toBeGreaterThan(0)
    for (const t of fresh) expect(slipUrl(t)).toBe(`https://fangtan.example.com/e/${t.ticket}`)
    expect(slipUrl({ ticket: 'ABCD', number: 'ABCD', issued_at: '' }, 'https://10.0.0.5:8443')).toBe('https://10.0.0.5:8443/e/ABCD')
  })
})

describe('dashboard chart options', () => {
  it('stacks plan statuses and keeps the labels and counts of every item', () => {
    const o = planOption([{ key: 'u', label: '甲醇生产车间', total: 4, done: 2, late: 1, missed: 1, planned: 0 }],
      { done: '按时完成', late: '逾期完成', missed: '未完成', planned: '未到期' }) as { series: { name: string; data: number[]; stack: string }[]; xAxis: { data: string[] } }
    expect(o.xAxis.data).toEqual(['甲醇生产车间'])
    expect(o.series.map((s) => [s.name, s.data[0], s.stack])).toEqual([['按时完成', 2, 'plan'], ['逾期完成', 1, 'plan'], ['未完成', 1, 'plan'], ['未到期', 0, 'plan']])
    const pie = pieOption([{ key: 'business', label: '业务问题', count: 3 }], '类别') as { series: { data: unknown[] }[] }
    expect(pie.series[0].data).toEqual([{ name: '业务问题', value: 3 }])
    const s = scoresOption([{ unit: '全公司', responses: 5, cadres: 1, attitude: 4.8, professionalism: 4.2, responsiveness: null }],
      { attitude: '态度', professionalism: '专业性', responsiveness: '问题响应速度' }) as { series: { data: (number | null)[] }[] }
    expect(s.series.map((x) => x.data[0])).toEqual([4.8, 4.2, null])
  })

  it('builds result queries with only the filters given', () => {
    expect(query({ year: 2026 })).toBe('year=2026')
    expect(query({ year: 2026, quarter: 4, unitId: 'abc' })).toBe('year=2026&quarter=4&unit_id=abc')
  })
})

describe('tickets for the people in the room (issue 16 point 3)', () => {
  it('a 5-person group interview links to 5 tickets; a symposium uses its stated count', async () => {
    const { ticketsLink, participantsInRoom, MAX_TICKETS } = await import('@/views/evaluation/ticketCount')
    const { POOL_SIZE } = await import('@/views/evaluation/ticketPool')
    expect(MAX_TICKETS).toBe(POOL_SIZE)
    const five = Array.from({ length: 5 }, (_, i) => ({ post: '焊工', name: `职工${i}` }))
    expect(ticketsLink({ participants: five, participant_count: null })).toBe('/evaluation/tickets?n=5')
    expect(participantsInRoom({ participants: [], participant_count: 12 })).toBe(12)
    expect(participantsInRoom({ participants: five, participant_count: 3 })).toBe(5)
    expect(participantsInRoom({ participants: [], participant_count: null })).toBe(1)
    expect(participantsInRoom({ participants: [], participant_count: 500 })).toBe(MAX_TICKETS)
  })

  it('the tickets screen starts at ?n= (not 1) and hands out what the pool has, never more', async () => {
    const { requestedCount, ticketsToHandOut } = await import('@/views/evaluation/ticketCount')
    expect(requestedCount('5')).toBe(5)
    expect(requestedCount(['7'])).toBe(7)
    expect(requestedCount(undefined)).toBe(1)
    expect(requestedCount('0')).toBe(1)
    expect(requestedCount('abc')).toBe(1)
    expect(requestedCount('999')).toBe(50)
    expect(ticketsToHandOut(5, 50)).toBe(5)
    expect(ticketsToHandOut(5, 3)).toBe(3)
    expect(ticketsToHandOut(5, 0)).toBe(0)
  })
})
