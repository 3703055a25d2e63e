import { describe, expect, it } from 'vitest'
import { drawablePeriods, periodLabel } from '@/domain/supervisionPeriods'

describe('drawable periods', () => {
  it('lists months back across the year, their quarters and two years, the current ones not ended', () => {
    const p = drawablePeriods('2026-02-10', 4)
    expect(p.filter((x) => x.kind === 'month').map((x) => x.id)).toEqual(['2026-02', '2026-01', '2025-12', '2025-11'])
    expect(p.filter((x) => x.kind === 'quarter').map((x) => x.id)).toEqual(['2026-Q1', '2025-Q4'])
    expect(p.filter((x) => x.kind === 'year').map((x) => x.id)).toEqual(['2026', '2025'])
    expect(p.filter((x) => !x.ended).map((x) => x.id)).toEqual(['2026-02', '2026-Q1', '2026'])
  })
  it('labels periods in Chinese', () => {
    expect(periodLabel('2026-11', true)).toBe('2026年11月')
    expect(periodLabel('2026-Q4', true)).toBe('2026年第四季度')
    expect(periodLabel('2026', true)).toBe('2026年度')
    expect(periodLabel('2026-Q4', false)).toBe('2026-Q4')
  })
})
