// @vitest-environment happy-dom
// The small things a cadre trusts the app by (issue 16 point 7), each pinned where it is decided:
// what 立即同步 says offline, a refusal's error gone once the problem is fixed, the report's 访谈情况综述
// starting from the interview's 访谈总结, one name for an interview, a remark's writing time, the PIN
// keypad, and the order of the plan items a cadre visits.
import { describe, expect, it } from 'vitest'
import { manualSyncNotice, noticeText } from '@/sync/manualSync'
import type { SyncReport } from '@/sync/client'
import { reportSummaryStart, submitErrors, type Problem } from '@/domain/followup'
import { interviewName } from '@/domain/interviewName'
import { remarkWrittenAt } from '@/domain/remarks'
import { visitOrder, visitStanding, type PlanCompletion } from '@/domain/plans'
import { PIN_ATTRS, vPinInput } from '@/shell/pinInput'
import { getSpec } from '@/store/registry'
import '@/domain/mutations'
import zh from '@/i18n/zh-CN'
import en from '@/i18n/en'

const report = (r: Partial<SyncReport>): SyncReport => ({ rounds: 1, pushed: 0, rejected: 0, conflicts: 0, pulled: 0, blobs: 0, resnapshot: false, ok: true, ...r })

describe('立即同步 always answers', () => {
  it('offline: says so and that the changes stay queued, in Chinese', () => {
    const n = manualSyncNotice(null, { offline: true, pending: 3, media: 0 })
    expect(n).toEqual({ key: 'manualSync.offline', params: { n: 3 } })
    expect(noticeText(n!)).toBe('当前离线：3 条修改已保存在本机，联网后会自动同步。')
    expect(noticeText(manualSyncNotice(null, { offline: true, pending: 0, media: 0 })!)).toBe('当前离线，联网后会自动同步。')
  })

  it('the server out of reach (network up): says the server cannot be reached', () => {
    const n = manualSyncNotice(report({ ok: false, error: { code: 'network', message: 'Failed to fetch' } }), { offline: false, pending: 2, media: 0 })
    expect(noticeText(n!)).toBe('连不上服务器：2 条修改仍保存在本机，稍后会自动重试。')
  })

  it('another failure names it in Chinese; a sync that ran says done; a sync not run (locked) says nothing', () => {
    const busy = manualSyncNotice(report({ ok: false, error: { code: 'busy', message: 'busy' } }), { offline: false, pending: 1, media: 0 })
    expect(noticeText(busy!)).toBe('同步未完成：服务器繁忙，稍后重试。1 条修改仍保存在本机。')
    expect(manualSyncNotice(report({}), { offline: false, pending: 0, media: 0 })).toEqual({ key: 'manualSync.done' })
    expect(noticeText(manualSyncNotice(report({}), { offline: false, pending: 0, media: 2 })!)).toBe('已同步，照片/录音还有 2 个在上传')
    expect(manualSyncNotice(null, { offline: false, pending: 4, media: 0 })).toBeNull()
  })

  it('every notice exists in both locales', () => {
    expect(Object.keys(en.manualSync)).toEqual(Object.keys(zh.manualSync))
    expect(Object.values(zh.manualSync).join('').replace(/\{\w+\}/g, '')).not.toMatch(/[A-Za-z]/)
  })
})

describe('a refused report stops naming a field once the problem has it', () => {
  it('the refusal named issues[0].category; once a category is chosen the error goes', () => {
    const label = (f: string) => (zh.followup.field as Record<string, string>)[f]
    const rej = { name: 'report.submit', args: { interview_id: 'iv' }, error: { code: 'validation', message: '问题1的问题类别未填写', field: 'issues[0].category' } }
    const full: Problem = { id: 'a', category: null, description: '热水不稳定', unit_ids: ['u1'], solution: '检修', owner: '孙伟', due_date: '2026-12-01' }
    expect(submitErrors(rej, ['a'], [full], label).get('a')).toEqual({ category: '请填写问题类别' })
    expect(submitErrors(rej, ['a'], [{ ...full, category: 'demand' }], label).get('a')).toBeUndefined()
  })
})

describe('访谈情况综述 starts from the interview’s 访谈总结', () => {
  const iv = { summary: '夜班人手紧张，需调整排班。' }
  it('a new or empty report starts from it', () => {
    expect(reportSummaryStart(undefined, iv)).toBe(iv.summary)
    expect(reportSummaryStart({ summary: null, status: 'draft' }, iv)).toBe(iv.summary)
    expect(reportSummaryStart({ summary: '  ', status: 'draft' }, iv)).toBe(iv.summary)
  })
  it('never replaces what the cadre wrote, nor a submitted report', () => {
    expect(reportSummaryStart({ summary: '我写的综述', status: 'draft' }, iv)).toBe('我写的综述')
    expect(reportSummaryStart({ summary: null, status: 'submitted' }, iv)).toBe('')
    expect(reportSummaryStart(undefined, { summary: null })).toBe('')
  })
})

describe('one name for an interview', () => {
  const labels = { form: (f: string) => (zh.form as Record<string, string>)[f], unit: (id: string) => ({ u1: '甲醇生产车间' } as Record<string, string>)[id], date: (iso: string) => iso.slice(0, 10) }
  it('form · place (else unit) · date', () => {
    expect(interviewName({ form: 'walkthrough', place: '气化车间二号炉检修现场', unit_id: 'u1', started_at: '2026-12-03T09:00:00+08:00' }, labels)).toBe('现场走访 · 气化车间二号炉检修现场 · 2026-12-03')
    expect(interviewName({ form: 'group', place: null, unit_id: 'u1', started_at: '2026-12-02T09:00:00+08:00', theme: '排班' } as never, labels)).toBe('小组座谈 · 甲醇生产车间 · 2026-12-02')
    expect(interviewName({ form: 'online', unit_id: 'gone', created_at: '2026-12-01T09:00:00Z' }, labels)).toBe('线上辅助访谈 · 2026-12-01')
  })
})

describe('a remark keeps the time it was written', () => {
  it('the overlay stamps the author’s writing time; an officer’s re-wrap does not change it', () => {
    const rows = new Map()
    const put = getSpec('remark.put')!
    put.apply(rows, { id: 'r1', interview_id: 'iv', envelope: { ct: 'x' } }, { mutationId: 1, clientTime: '2026-12-03T02:10:00Z', userId: 'cadre' })
    const r = [...rows.values()][0]
    expect(r.row.written_at).toBe('2026-12-03T02:10:00Z')
    put.apply(rows, { id: 'r1', interview_id: 'iv', envelope: { ct: 'x', recipients: ['officer'] } }, { mutationId: 2, clientTime: '2026-12-04T08:00:00Z', userId: 'officer' })
    expect(r.row.written_at).toBe('2026-12-03T02:10:00Z')
  })
  it('shows written_at, not the sync time; an older row without it shows its last receipt', () => {
    expect(remarkWrittenAt({ written_at: '2026-12-03T02:10:00+00:00', created_at: '2026-12-03T06:00:00+00:00', updated_at: '2026-12-03T06:00:00+00:00' })).toBe('2026-12-03T02:10:00+00:00')
    expect(remarkWrittenAt({ created_at: '2026-12-03T06:00:00+00:00', updated_at: '2026-12-03T07:00:00+00:00' })).toBe('2026-12-03T07:00:00+00:00')
    expect(zh.remarkTime.writtenAt).toBe('记录于 {at}')
  })
})

describe('PIN fields open the number pad', () => {
  it('sets inputmode, pattern and no autofill on the inner input, and gives the full keyboard back on request', () => {
    const host = document.createElement('div')
    const form = document.createElement('form')
    const input = document.createElement('input')
    host.appendChild(input)
    form.appendChild(host)
    const binding = (value: boolean | undefined) => ({ value }) as never
    ;(vPinInput as unknown as { mounted: (el: HTMLElement, b: never) => void }).mounted(host, binding(undefined))
    expect([input.getAttribute('inputmode'), input.getAttribute('pattern'), input.getAttribute('autocomplete')]).toEqual([PIN_ATTRS.inputmode, PIN_ATTRS.pattern, 'off'])
    expect(form.hasAttribute('novalidate')).toBe(true) // the pattern is a keypad hint, never an English browser bubble
    ;(vPinInput as unknown as { updated: (el: HTMLElement, b: never) => void }).updated(host, binding(false))
    expect(input.hasAttribute('inputmode')).toBe(false)
    expect(input.hasAttribute('pattern')).toBe(false)
  })
})

describe('按计划访谈: what is due first, each with where it stands', () => {
  const TODAY = '2026-12-03'
  const e = (id: string, window_start: string, window_end: string, status: PlanCompletion | 'cancelled') => ({ id, item: { window_start, window_end }, status })
  it('stands overdue, current, upcoming or completed', () => {
    expect(visitStanding({ window_start: '2026-10-01' }, 'missed', TODAY)).toBe('overdue')
    expect(visitStanding({ window_start: '2026-10-01' }, 'planned', TODAY)).toBe('current')
    expect(visitStanding({ window_start: '2027-01-01' }, 'planned', TODAY)).toBe('upcoming')
    expect(visitStanding({ window_start: '2026-01-01' }, 'late', TODAY)).toBe('completed')
  })
  it('overdue and current first by deadline, then upcoming, completed last (newest first), cancelled left out', () => {
    const year = [
      e('q1', '2026-01-01', '2026-03-31', 'done'),
      e('q2', '2026-04-01', '2026-06-30', 'late'),
      e('q3', '2026-07-01', '2026-09-30', 'missed'),
      e('dec', '2026-12-01', '2026-12-31', 'planned'),
      e('q4', '2026-10-01', '2026-12-31', 'planned'),
      e('next', '2027-01-01', '2027-01-31', 'planned'),
      e('gone', '2026-11-01', '2026-11-30', 'cancelled'),
    ]
    const g = visitOrder(year, TODAY)
    expect(g.due.map((x) => [x.id, x.standing])).toEqual([['q3', 'overdue'], ['q4', 'current'], ['dec', 'current']])
    expect(g.upcoming.map((x) => x.id)).toEqual(['next'])
    expect(g.completed.map((x) => x.id)).toEqual(['q2', 'q1'])
  })
  it('the standing words exist in both locales', () => {
    expect(Object.keys(en.visitPlan.standing)).toEqual(Object.keys(zh.visitPlan.standing))
    expect(zh.visitPlan.standing).toEqual({ overdue: '已逾期', current: '待访谈', upcoming: '未开始' })
  })
})
