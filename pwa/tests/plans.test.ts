// The plan status twin (domain/plans.ts) against the server's cases, and the offline overlay of plan.save.
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { chinaDay, countBy, heldDays, periodBounds, statusOf, type PlanCompletion } from '@/domain/plans'
import { getSpec } from '@/store/registry'
import '@/domain/mutations'

interface Case { window_end: string; held_at: string | null; today: string; held_on: string | null; status: PlanCompletion }
const cases = (JSON.parse(readFileSync(resolve(__dirname, '../../tests/data/plan_status_cases.json'), 'utf-8')) as { cases: Case[] }).cases

describe('plan status', () => {
  it.each(cases)('held $held_at, window ends $window_end → $status', (c) => {
    const held = c.held_at ? chinaDay(c.held_at) : null
    expect(held).toBe(c.held_on)
    expect(statusOf(c.window_end, held, c.today)).toBe(c.status)
  })

  it('takes the first submitted interview that links the item; drafts do not count', () => {
    const held = heldDays([
      { id: 'a', plan_item_id: 'p1', status: 'submitted', started_at: '2025-11-20T09:00:00+08:00' },
      { id: 'b', plan_item_id: 'p1', status: 'submitted', started_at: '2025-11-10T09:00:00+08:00' },
      { id: 'c', plan_item_id: 'p2', status: 'draft', started_at: '2025-11-10T09:00:00+08:00' },
    ])
    expect(held.get('p1')).toEqual({ day: '2025-11-10', interviewId: 'b' })
    expect(held.has('p2')).toBe(false)
  })

  it('period bounds match the server (leap February, quarters)', () => {
    expect(periodBounds(2024, null, 2)).toEqual(['2024-02-01', '2024-02-29'])
    expect(periodBounds(2025, 4)).toEqual(['2025-10-01', '2025-12-31'])
    expect(periodBounds(2025)).toEqual(['2025-01-01', '2025-12-31'])
  })

  it('counts per key', () => {
    const c = countBy(['done', 'missed', 'done'] as PlanCompletion[], () => 'Q4', (s) => s)
    expect(c.get('Q4')).toEqual({ total: 3, planned: 0, done: 2, late: 0, missed: 1 })
  })

  it('plan.save shows a new item at once with the default window', () => {
    const rows = new Map()
    getSpec('plan.save')!.apply(rows, { id: 'p9', scope: 'company', kind: 'quarterly', year: 2025, quarter: 2, cadre_id: 'u', unit_id: 'w' }, { mutationId: 1, clientTime: '2025-01-01T00:00:00Z', userId: 'hr' })
    const r = [...rows.values()][0]
    expect(r.row).toMatchObject({ window_start: '2025-04-01', window_end: '2025-06-30', status: 'active', created_by: 'hr' })
  })
})
