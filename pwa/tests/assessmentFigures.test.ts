// The assessment's plan cell: the fraction is over the items already due, as the rate is.
import { describe, expect, it } from 'vitest'
import { planFigures } from '@/views/dashboards/assessmentFigures'

describe('assessment plan figures', () => {
  it('2 done of 6 with 4 not yet due reads 2/2 (rate 100%), not 2/6', () => {
    const p = { total: 6, done: 2, late: 0, missed: 0, planned: 4 }
    expect(planFigures(p)).toEqual({ done: 2, due: 2 })
  })
  it('late and missed items are due; the parts add up', () => {
    const p = { total: 7, done: 2, late: 1, missed: 2, planned: 2 }
    const f = planFigures(p)
    expect(f).toEqual({ done: 3, due: 5 })
    expect(f.due + p.planned).toBe(p.total)
  })
})
