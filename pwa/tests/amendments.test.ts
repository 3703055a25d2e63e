// @vitest-environment happy-dom
// Submitted records are not silently edited (issue 13 point 9), on the device: who gets the edit
// screen (the server's rules, sync/policy.py interview.save / record.amend), the 签名后已修改 state,
// and the form sending a submitted record's changes only with the amendment's reason.
import { describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'
import { useInterviewForm } from '@/composables/interviewForm'
import { interviewEditMode, signatureState } from '@/domain/interview'
import { flushAutosave } from '@/store/autosave'
import { listOutbox } from '@/store/outbox'
import type { OverlayRow } from '@/store/registry'

const ID = 'iv-amend'
const cadre = { id: 'u-cadre', roles: ['cadre'] }
const hr = { id: 'u-hr', roles: ['hr'] }
const supervisor = { id: 'u-super', roles: ['supervisor'] }
const row = (status: string) => ({ id: ID, status, cadre_ids: ['u-cadre'], author_id: 'u-cadre' })

describe('interviewEditMode', () => {
  it('a draft: its cadres and HR edit it, everyone else reads it', () => {
    expect(interviewEditMode(row('draft'), cadre)).toBe('edit')
    expect(interviewEditMode(row('draft'), hr)).toBe('edit')
    expect(interviewEditMode(row('draft'), supervisor)).toBe('none')
  })
  it('submitted: only its cadres (or author) amend it; HR and the supervisor get no edit screen', () => {
    expect(interviewEditMode(row('submitted'), cadre)).toBe('amend')
    expect(interviewEditMode({ ...row('submitted'), cadre_ids: ['x'] }, cadre)).toBe('amend') // the author
    expect(interviewEditMode(row('submitted'), hr)).toBe('locked')
    expect(interviewEditMode(row('submitted'), supervisor)).toBe('locked')
    expect(interviewEditMode(row('submitted'), null)).toBe('none')
  })
})

describe('signatureState', () => {
  it('签名后已修改 once an amendment is newer than the latest signature', () => {
    expect(signatureState([], [])).toBe('none')
    expect(signatureState(['2026-11-24T01:00:00+00:00'], [])).toBe('signed')
    const a = { at: '2026-11-24T02:00:00+00:00', author_id: 'u-cadre', reason: '补记', fields: ['summary'] }
    expect(signatureState(['2026-11-24T01:00:00+00:00'], [a])).toBe('amended')
    expect(signatureState(['2026-11-24T01:00:00+00:00', '2026-11-24T03:00:00Z'], [a])).toBe('signed') // re-signed
  })
})

function overlay(status: string): OverlayRow {
  return { entity: 'interview', id: ID, row: { ...row(status), form: 'walkthrough', place: '合成工段', summary: '原摘要' }, deleted: false, pending: [], synced: true }
}

async function saved(): Promise<Record<string, unknown>[]> {
  await nextTick()
  await flushAutosave()
  return (await listOutbox()).filter((e) => e.name === 'interview.save' && e.args.id === ID).map((e) => e.args)
}

describe('useInterviewForm on a submitted record', () => {
  it('sends nothing without a reason, and every change with it once given', async () => {
    const r = ref<OverlayRow | undefined>(overlay('submitted'))
    const reason = ref('')
    const scope = effectScope()
    const form = scope.run(() => useInterviewForm(ID, { row: r, readonly: ref(false), amendmentReason: reason }))!
    await vi.waitUntil(() => form.initialized.value)
    form.f.summary = '未注明原因的修改'
    expect(await saved()).toEqual([])
    reason.value = '补记会后职工反映'
    form.f.summary = '补记：另有备件短缺'
    const patches = await saved()
    expect(patches).toEqual([{ id: ID, summary: '补记：另有备件短缺', amendment_reason: '补记会后职工反映' }])
    scope.stop()
  })
})
