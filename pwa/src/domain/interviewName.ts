// One name for an interview on every list (issue 16 point 7): 形式 · 地点（没有地点时为单位）· 日期, e.g.
// 小组座谈 · 气化车间 · 2026/12/03. 我的访谈, 我的报告 and the officer's 保密备注 list all call it, so
// the same interview reads the same everywhere. It names no employee and holds no recorded content.

export interface InterviewNameParts {
  form?: unknown
  place?: unknown
  unit_id?: unknown
  started_at?: unknown
  created_at?: unknown
}

export interface NameLabels {
  form: (form: string) => string
  unit: (unitId: string) => string | undefined
  date: (iso: string) => string
}

export function interviewName(iv: InterviewNameParts, labels: NameLabels): string {
  const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '')
  const form = text(iv.form) ? labels.form(text(iv.form)) : ''
  const where = text(iv.place) || (text(iv.unit_id) ? labels.unit(text(iv.unit_id)) ?? '' : '')
  const when = text(iv.started_at) || text(iv.created_at)
  return [form, where, when ? labels.date(when) : ''].filter(Boolean).join(' · ')
}
