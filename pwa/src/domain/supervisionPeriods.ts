// The periods a supervisor may draw (docs/plans-and-supervision.md §Drawing a period): months,
// quarters and years that have begun, newest first, written as the server reads them
// (`2026-11`, `2026-Q4`, `2026`). Pure, so it is tested without a browser.

export type PeriodKind = 'month' | 'quarter' | 'year'
export interface Period { id: string; kind: PeriodKind; ended: boolean }

const pad = (n: number): string => String(n).padStart(2, '0')

/** The last `months` months, the quarters and the years they touch, that began on or before `today` (YYYY-MM-DD). */
export function drawablePeriods(today: string, months = 12): Period[] {
  const [y, m] = today.split('-').map(Number)
  const out: Period[] = []
  const seen = new Set<string>()
  const add = (id: string, kind: PeriodKind, ended: boolean): void => {
    if (!seen.has(id)) { seen.add(id); out.push({ id, kind, ended }) }
  }
  for (let i = 0; i < months; i++) {
    const month = ((m - 1 - i) % 12 + 12) % 12 + 1
    const year = y + Math.floor((m - 1 - i) / 12)
    add(`${year}-${pad(month)}`, 'month', i > 0)
  }
  for (let i = 0; i < months; i += 3) {
    const month = ((m - 1 - i) % 12 + 12) % 12 + 1
    const year = y + Math.floor((m - 1 - i) / 12)
    const q = Math.floor((month - 1) / 3) + 1
    add(`${year}-Q${q}`, 'quarter', !(year === y && q === Math.floor((m - 1) / 3) + 1))
  }
  add(String(y), 'year', false)
  add(String(y - 1), 'year', true)
  return out
}

/** 2026年11月 · 2026年第四季度 · 2026年度 (zh-CN); the id itself elsewhere. */
export function periodLabel(id: string, zh: boolean): string {
  const month = /^(\d{4})-(\d{2})$/.exec(id)
  const quarter = /^(\d{4})-Q([1-4])$/.exec(id)
  if (!zh) return id
  if (month) return `${month[1]}年${Number(month[2])}月`
  if (quarter) return `${quarter[1]}年第${'一二三四'[Number(quarter[2]) - 1]}季度`
  return `${id}年度`
}
