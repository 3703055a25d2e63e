import { describe, expect, it } from 'vitest'
import '@/domain/mutations'
import { enqueue, listOutbox } from '@/store/outbox'
import { applyPullPage } from '@/store/apply'
import { loadOverlay, getRow } from '@/store/overlay'
import {
  canArchive, countByStatus, groupByCategory, handlerActions, isOverdue, missingFields, overdueList,
  foldStatus, receiptPath, receiptUrl, submitErrors, timeline, zhPart, type Problem,
} from '@/domain/followup'
import zh from '@/i18n/zh-CN'
import en from '@/i18n/en'

const full: Problem = { id: 'a', category: 'demand', description: '热水不稳定', unit_ids: ['u1'], solution: '检修', owner: '孙伟', due_date: '2026-12-01' }
const TODAY = '2026-11-24'

describe('report problems: the five fields of §五 and the four categories', () => {
  it('a complete problem lacks nothing; blanks, empty lists and a missing category are named', () => {
    expect(missingFields(full)).toEqual([])
    expect(missingFields({ id: 'b', description: '  ', unit_ids: [], solution: null })).toEqual(['category', 'description', 'unit_ids', 'solution', 'owner', 'due_date'])
    // an owner user stands in for the owner text
    expect(missingFields({ ...full, owner: null, owner_user_id: 'u9' })).toEqual([])
  })

  it('groups by category in the report order, unknown categories last', () => {
    const ps: Problem[] = [
      { id: '1', category: 'business', created_at: '2026-01-03' },
      { id: '2', category: 'demand', created_at: '2026-01-01' },
      { id: '3', category: 'business', created_at: '2026-01-02' },
      { id: '4', category: null },
    ]
    const g = groupByCategory(ps, ['1', '3', '2'])
    expect(g.business.map((p) => p.id)).toEqual(['1', '3'])
    expect(g.demand.map((p) => p.id)).toEqual(['2'])
    expect(g.management).toEqual([])
    expect(g.other.map((p) => p.id)).toEqual(['4'])
    // without an order: by creation time
    expect(groupByCategory(ps).business.map((p) => p.id)).toEqual(['3', '1'])
  })

  it('maps a refused report.submit (issues[i].<field>) onto the problem and field, in Chinese', () => {
    const label = (f: string) => (zh.followup.field as Record<string, string>)[f]
    const rej = { name: 'report.submit', args: { interview_id: 'iv' }, error: { code: 'validation', message: '问题2的建议解决方案未填写', field: 'issues[1].solution' } }
    const ps: Problem[] = [full, { ...full, id: 'b', solution: '' }, { ...full, id: 'c', owner: null, due_date: null }]
    const e = submitErrors(rej, ['a', 'b', 'c'], ps, label)
    expect(e.get('a')).toBeUndefined()
    expect(e.get('b')?.solution).toContain('建议解决方案')
    expect(e.get('b')?.solution).toBe('请填写建议解决方案')
    expect(e.get('c')).toEqual({ owner: '请填写责任人', due_date: '请填写预计完成时间' })
    expect(submitErrors(null, [], ps, label).size).toBe(0)
    expect(submitErrors({ ...rej, name: 'issue.update' }, [], ps, label).size).toBe(0)
  })
})

describe('tracking board', () => {
  const ps: Problem[] = [
    { id: '1', category: 'business', status: 'assigned', handler_unit_id: 'eq', due_date: '2026-11-20' },
    { id: '2', category: 'demand', status: 'in_progress', handler_unit_id: 'gen', due_date: '2026-11-10', unit_ids: ['ws'] },
    { id: '3', category: 'demand', status: 'resolved', handler_unit_id: 'eq', due_date: '2026-11-01' },
    { id: '4', category: 'suggestion', status: 'closed', due_date: '2026-11-01' },
    { id: '5', category: 'management', status: null, due_date: '2026-11-30' },
  ]
  it('overdue means past due and not resolved or closed; today itself is not overdue', () => {
    expect(ps.filter((p) => isOverdue(p, TODAY)).map((p) => p.id)).toEqual(['1', '2'])
    expect(isOverdue({ id: 'x', due_date: TODAY, status: 'assigned' }, TODAY)).toBe(false)
    expect(isOverdue({ id: 'x', due_date: null, status: 'assigned' }, TODAY)).toBe(false)
    expect(overdueList(ps, TODAY).map((p) => p.id)).toEqual(['2', '1'])
  })
  // The board's filters: pwa/tests/problemBoard.test.ts (tests/data/board_query_cases.json).
  it('counts problems per status', () => {
    expect(countByStatus(ps)).toEqual({ raised: 1, assigned: 1, in_progress: 1, resolved: 1, closed: 1 })
  })
  it('archive needs a submitted report and every problem closed', () => {
    expect(canArchive('submitted', [{ id: '1', status: 'closed' }])).toBe(true)
    expect(canArchive('submitted', [{ id: '1', status: 'closed' }, { id: '2', status: 'resolved' }])).toBe(false)
    expect(canArchive('draft', [{ id: '1', status: 'closed' }])).toBe(false)
    expect(canArchive('submitted', [])).toBe(false)
  })
  it('handler actions follow the state machine; timeline is in time order', () => {
    expect(handlerActions('assigned')).toEqual(['start', 'progress', 'resolve'])
    expect(handlerActions('in_progress')).toEqual(['progress', 'resolve'])
    expect(handlerActions('raised')).toEqual([])
    expect(handlerActions('closed')).toEqual([])
    const evs = [
      { id: 'b', issue_id: 'i', kind: 'progress', created_at: '2026-11-02T00:00:00Z' },
      { id: 'a', issue_id: 'i', kind: 'assign', created_at: '2026-11-01T00:00:00Z' },
      { id: 'c', issue_id: 'j', kind: 'assign', created_at: '2026-11-01T00:00:00Z' },
      { id: 'd', issue_id: 'i', kind: 'resolve', client_time: '2026-11-03T00:00:00Z' },
    ]
    expect(timeline(evs, 'i').map((e) => e.id)).toEqual(['a', 'b', 'd'])
  })
  it('folds unsent events into the status the server will reach', () => {
    expect(foldStatus('assigned', 'eq', ['progress', 'resolve'])).toBe('resolved')
    expect(foldStatus('raised', null, ['assign', 'start'])).toBe('in_progress')
    expect(foldStatus('resolved', 'eq', ['close'])).toBe('closed')
    expect(foldStatus('closed', 'eq', ['reopen'])).toBe('in_progress')
    expect(foldStatus('resolved', null, ['reopen'])).toBe('raised')
    expect(foldStatus('assigned', 'eq', ['comment', 'escalate', 'decide'])).toBe('assigned')
    expect(foldStatus(null, null, [])).toBe('raised')
  })
  it('server messages keep their Chinese part', () => {
    expect(zhPart('报告不完整：问题1的责任人 (the report is incomplete: owner)')).toBe('报告不完整：问题1的责任人')
    expect(zhPart('only english (x)')).toBe('only english (x)')
  })
  it('receipt links normalise case and dash', () => {
    expect(receiptPath('abcd-efgh')).toBe('/r/ABCD-EFGH')
    expect(receiptPath('abcdefgh')).toBe('/r/ABCD-EFGH')
    // On the public name phones reach (FANGTAN_PUBLIC_BASE_URL), else relative to this origin.
    expect(receiptUrl('abcdefgh', 'https://fangtan.example.com/')).toBe('https://fangtan.example.com/r/ABCD-EFGH')
    expect(receiptUrl('abcdefgh')).toBe('/r/ABCD-EFGH')
  })
})

describe('report and notification mutations in the overlay (offline)', () => {
  it('report.save creates a draft and merges unsent edits; report.submit marks it submitted', async () => {
    await enqueue('report.save', { interview_id: 'iv1', title: '甲醇车间访谈情况报告' })
    await enqueue('report.save', { interview_id: 'iv1', summary: '职工反映热水问题' })
    let out = await listOutbox()
    expect(out).toHaveLength(1)
    expect(out[0].args).toEqual({ interview_id: 'iv1', title: '甲醇车间访谈情况报告', summary: '职工反映热水问题' })
    let r = getRow(await loadOverlay({ userId: 'me' }), 'report', 'iv1')!
    expect(r.row).toMatchObject({ status: 'draft', title: '甲醇车间访谈情况报告', author_id: 'me' })
    await enqueue('report.submit', { interview_id: 'iv1' })
    out = await listOutbox()
    expect(out.map((e) => e.name)).toEqual(['report.save', 'report.submit'])
    expect(out[1].base).toBeUndefined()
    r = getRow(await loadOverlay({ userId: 'me' }), 'report', 'iv1')!
    expect(r.row).toMatchObject({ status: 'submitted', submitted_by: 'me' })
  })

  it('report.save on a pulled report carries base; the server-computed due date stays', async () => {
    await applyPullPage({
      changes: [{ seq: 7, entity: 'report', id: 'iv2', deleted: false, row: { id: 'iv2', interview_id: 'iv2', status: 'draft', title: null, summary: null, due_date: '2026-12-03', calendar_unknown_year: null, created_at: '2026-11-24T01:00:00Z' } }],
      cursor: 7, upto: 7, has_more: false, last_mutation_id: 0,
    })
    await enqueue('report.save', { interview_id: 'iv2', title: '报告' })
    const [e] = await listOutbox()
    expect(e.base === 7 || e.needs_base === true).toBe(true)
    const r = getRow(await loadOverlay(), 'report', 'iv2')!
    expect(r.row).toMatchObject({ title: '报告', due_date: '2026-12-03' })
  })

  it('notification.read marks pulled rows read, offline, and ignores unknown ids', async () => {
    await applyPullPage({
      changes: [
        { seq: 1, entity: 'notification', id: 'n1', deleted: false, row: { id: 'n1', kind: 'assigned', title: '新交办', read_at: null, created_at: '2026-11-24T01:00:00Z' } },
        { seq: 2, entity: 'notification', id: 'n2', deleted: false, row: { id: 'n2', kind: 'closed', title: '已销号', read_at: '2026-11-20T00:00:00Z', created_at: '2026-11-20T00:00:00Z' } },
      ],
      cursor: 2, upto: 2, has_more: false, last_mutation_id: 0,
    })
    await enqueue('notification.read', { ids: ['n1', 'n2', 'zz'] })
    const map = await loadOverlay()
    expect(getRow(map, 'notification', 'n1')!.row.read_at).toBeTruthy()
    expect(getRow(map, 'notification', 'n2')!.row.read_at).toBe('2026-11-20T00:00:00Z')
    expect(getRow(map, 'notification', 'zz')).toBeUndefined()
  })

  it('i18n: the followup strings exist in both languages with the same keys', () => {
    const keys = (o: unknown, p = ''): string[] =>
      Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${p}${k}.`) : [`${p}${k}`]))
    expect(keys(en.followup).sort()).toEqual(keys(zh.followup).sort())
    expect(zh.followup.field.solution).toBe('建议解决方案')
  })
})

describe('reportSummary (访谈情况综述, as the report .docx prints it)', () => {
  it('is the report\'s own summary, else the interview\'s 访谈总结, and nothing for a draft', async () => {
    const { reportSummary } = await import('@/domain/followup')
    expect(reportSummary({ status: 'submitted', summary: '报告综述' }, { summary: '访谈总结' })).toBe('报告综述')
    expect(reportSummary({ status: 'submitted', summary: null }, { summary: '访谈总结' })).toBe('访谈总结')
    expect(reportSummary({ status: 'submitted', summary: '  ' }, { summary: '访谈总结' })).toBe('访谈总结')
    expect(reportSummary({ status: 'draft', summary: '报告综述' }, { summary: '访谈总结' })).toBeNull()
    expect(reportSummary(undefined, { summary: '访谈总结' })).toBeNull()
  })
})
