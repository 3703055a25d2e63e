// @vitest-environment happy-dom
// useInterviewForm without the view: wire mapping, drafts for what cannot be sent yet, the merge of
// pulled changes into fields not edited here, and submit-time validation.
import { describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'
import { useInterviewForm } from '@/composables/interviewForm'
import { flushAutosave } from '@/store/autosave'
import { listOutbox } from '@/store/outbox'
import { loadDraft, saveDraft } from '@/store/drafts'
import type { OverlayRow } from '@/store/registry'

const ID = 'iv-1'

function interview(row: Record<string, unknown>): OverlayRow {
  return { entity: 'interview', id: ID, row: { id: ID, form: 'individual', status: 'draft', ...row }, deleted: false, pending: [], synced: true }
}

async function mount(initial: OverlayRow | undefined, readonly = false) {
  const row = ref<OverlayRow | undefined>(initial)
  const scope = effectScope()
  const form = scope.run(() => useInterviewForm(ID, { row, readonly: ref(readonly) }))!
  if (initial) await vi.waitUntil(() => form.initialized.value)
  return { row, form, stop: () => scope.stop() }
}

async function saved(): Promise<Record<string, unknown>[]> {
  await nextTick()
  await flushAutosave()
  return (await listOutbox()).filter((e) => e.name === 'interview.save').map((e) => e.args)
}

describe('useInterviewForm', () => {
  it('loads the pulled row into the form and sends nothing until something is typed', async () => {
    const { form, stop } = await mount(interview({ place: '二车间', participants: [{ post: '焊工', name: '王五', anonymous: false }], briefing: { conveyed: '安全', understood: 'fully' } }))
    expect(form.f.place).toBe('二车间')
    expect(form.f.participants).toEqual([{ post: '焊工', name: '王五', anonymous: false }])
    expect([form.f.conveyed, form.f.understood]).toEqual(['安全', 'fully'])
    expect(await saved()).toEqual([])
    stop()
  })

  it('maps UI values to wire values: trimmed, blanks dropped, anonymous names withheld, empty text as null', async () => {
    const { form, stop } = await mount(interview({ place: '旧地点' }))
    form.f.participants = [
      { post: ' 班长 ', name: ' 李四 ', anonymous: false },
      { post: '操作工', name: '张三', anonymous: true },
      { post: '  ', name: null, anonymous: false },
    ]
    form.f.consensus = [' 加强培训 ', '']
    form.f.place = ''
    form.f.conveyed = '新规'
    form.f.understood = 'partly'
    expect(form.wire('participants')).toEqual([
      { post: '班长', name: '李四', anonymous: false },
      { post: '操作工', name: null, anonymous: true },
    ])
    expect(form.wire('consensus')).toEqual(['加强培训'])
    expect(form.wire('place')).toBeNull()
    expect(form.wire('briefing')).toEqual({ conveyed: '新规', understood: 'partly' })
    const [patch] = await saved()
    expect(patch).toMatchObject({ id: ID, place: null, consensus: ['加强培训'], briefing: { conveyed: '新规', understood: 'partly' } })
    expect(patch.participants).toHaveLength(2)
    // What the server cannot hold yet (a participant without a post, a blank line) stays a local draft.
    expect(await loadDraft(`iv:${ID}`)).toMatchObject({ participants: form.f.participants, consensus: [' 加强培训 ', ''] })
    stop()
  })

  it('restores the local draft over the pulled row on load', async () => {
    await saveDraft(`iv:${ID}`, { participants: [{ post: '', name: '未填岗位', anonymous: false }], briefing: { conveyed: '只写了一半', understood: null } })
    const { form, stop } = await mount(interview({ participants: [] }))
    expect(form.f.participants).toEqual([{ post: '', name: '未填岗位', anonymous: false }])
    expect([form.f.conveyed, form.f.understood]).toEqual(['只写了一半', null])
    stop()
  })

  it('merges pulled changes into fields not edited here and keeps the ones being edited', async () => {
    const { row, form, stop } = await mount(interview({ place: '一车间', theme: '安全' }))
    form.f.theme = '我的主题'
    await saved()
    row.value = interview({ place: '三车间', theme: '别人的主题', summary: '别处写的小结' })
    await nextTick()
    expect(form.f.place).toBe('三车间')
    expect(form.f.summary).toBe('别处写的小结')
    expect(form.f.theme).toBe('我的主题')
    // The pulled values are not echoed back as edits.
    const patches = await saved()
    expect(patches).toHaveLength(1)
    expect(patches[0]).toEqual({ id: ID, theme: '我的主题' })
    stop()
  })

  it('autosaves nothing in a read-only tab', async () => {
    const { form, stop } = await mount(interview({}), true)
    form.f.place = '只读'
    expect(await saved()).toEqual([])
    stop()
  })

  it('validates on submit, submits nothing while errors remain, and clears errors as they are fixed', async () => {
    const { form, stop } = await mount(interview({ started_at: '2026-11-30T02:00:00Z' }))
    const outcome = await form.submit()
    expect(outcome.ok).toBe(false)
    expect(Object.keys(form.errors.value).length).toBeGreaterThan(0)
    expect((await saved()).some((a) => a.status === 'submitted')).toBe(false)
    const before = Object.keys(form.errors.value).length
    form.f.summary = '职工反映设备老化，需要尽快更新。'
    await nextTick()
    expect(Object.keys(form.errors.value).length).toBeLessThan(before)
    stop()
  })
})
