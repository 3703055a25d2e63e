import { describe, expect, it } from 'vitest'
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import zhCN from '@/i18n/zh-CN'
import en from '@/i18n/en'
import { zhCN as evaluationScreens, en as evaluationScreensEn } from '@/views/evaluation/messages'
import { zhCN as boardScreens, en as boardScreensEn } from '@/views/followup/boardMessages'
import { validateSubmit, validateIssue, today } from '@/domain/validate'
import { BUNDLED_CHECKLIST, pickChecklist, allPromptIds } from '@/domain/catalogue'
import { viewConflict, mergeValues, updateFor, resolveConflict } from '@/domain/inbox'
import { listOutbox } from '@/store/outbox'
import type { StoredConflict } from '@/store/db'
import { FORMS } from '@/domain/forms'

function keys(o: unknown, prefix = ''): string[] {
  if (typeof o !== 'object' || o === null) return [prefix]
  return Object.entries(o).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k))
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? walk(p) : /\.(vue|ts)$/.test(f) ? [p] : []
  })
}

describe('i18n', () => {
  it('English has exactly the keys of zh-CN', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort())
    // Texts merged when their screens load (views/evaluation/useMessages.ts).
    expect(keys(evaluationScreensEn).sort()).toEqual(keys(evaluationScreens).sort())
    expect(keys(boardScreensEn).sort()).toEqual(keys(boardScreens).sort())
  })

  it('every literal key used in the source exists', () => {
    const all = new Set([...keys(zhCN), ...keys({ evaluation: evaluationScreens }), ...keys({ board: boardScreens })])
    const prefixes = new Set([...all].flatMap((k) => k.split('.').map((_, i, a) => a.slice(0, i + 1).join('.'))))
    const missing: string[] = []
    for (const file of walk(join(__dirname, '../src'))) {
      const src = readFileSync(file, 'utf8')
      for (const m of src.matchAll(/\bte?\(\s*['`]([a-zA-Z0-9_.-]+)(\$\{)?/g)) {
        const key = m[1].replace(/\.$/, '')
        if (m[2]) {
          if (!prefixes.has(key)) missing.push(`${file}: ${key}*`)
        } else if (!all.has(key)) missing.push(`${file}: ${key}`)
      }
      for (const m of src.matchAll(/(?:label|key): '((?:nav|v)\.[a-zA-Z]+)'/g)) if (!all.has(m[1])) missing.push(`${file}: ${m[1]}`)
    }
    expect(missing).toEqual([])
  })

  it('names all five forms, four categories and the understood levels', () => {
    for (const f of FORMS) expect(zhCN.form[f]).toBeTruthy()
    expect(zhCN.cat).toEqual({ business: '业务问题', management: '管理问题', demand: '职工诉求', suggestion: '创新建议' })
  })
})

describe('checklist catalogue', () => {
  it('bundles the 4 areas and 11 prompts of the rule book', () => {
    expect(BUNDLED_CHECKLIST.areas.map((a) => a.id)).toEqual(['business', 'management', 'demand', 'suggestion'])
    expect(allPromptIds(BUNDLED_CHECKLIST)).toHaveLength(11)
  })

  it('is the same content as the server copy (sync/catalogue/checklist.json)', () => {
    const server = join(__dirname, '../../sync/catalogue/checklist.json')
    if (!existsSync(server)) return
    expect(BUNDLED_CHECKLIST).toEqual(JSON.parse(readFileSync(server, 'utf8')))
  })

  it('prefers a well-formed synced catalogue, else the bundled one', () => {
    expect(pickChecklist(null)).toBe(BUNDLED_CHECKLIST)
    expect(pickChecklist({ nonsense: true })).toBe(BUNDLED_CHECKLIST)
    const synced = { ...BUNDLED_CHECKLIST, version: 2 }
    expect(pickChecklist(synced)).toBe(synced)
  })
})

describe('validation (mirrors the server rules)', () => {
  const base = { started_at: '2025-01-01T00:00:00Z', summary: 's', topics: ['business.1'] }
  const p = (post: string) => ({ post, name: null, anonymous: false })

  it('group talk: 3–5 people of different posts and a theme', () => {
    expect(validateSubmit({ ...base, form: 'group', participants: [p('a'), p('b')], theme: 't' }).participants?.key).toBe('v.groupSize')
    expect(validateSubmit({ ...base, form: 'group', participants: [p('a'), p('b'), p('c'), p('d'), p('e'), p('f')], theme: 't' }).participants?.params).toEqual({ n: 6 })
    const dup = validateSubmit({ ...base, form: 'group', participants: [p('a'), p('b'), p('a')], theme: '' })
    expect(dup['participants[2].post']?.key).toBe('v.groupDistinctPosts')
    expect(dup.theme?.key).toBe('v.themeRequired')
    expect(validateSubmit({ ...base, form: 'group', participants: [p('a'), p('b'), p('c')], theme: 't' })).toEqual({})
  })

  it('individual: exactly one; anonymous carries no name', () => {
    expect(validateSubmit({ ...base, form: 'individual', participants: [] }).participants?.key).toBe('v.individualOne')
    const e = validateSubmit({ ...base, form: 'individual', participants: [{ post: '操作工', name: '张三', anonymous: true }] })
    expect(e['participants[0].name']?.key).toBe('v.anonymousNoName')
  })

  it('walkthrough, online and symposium ask what they need', () => {
    expect(validateSubmit({ ...base, form: 'walkthrough' }).place).toBeTruthy()
    const on = validateSubmit({ ...base, form: 'online', participants: [] })
    expect(Object.keys(on).sort()).toEqual(['absence_reason', 'channel', 'participants'])
    const sy = validateSubmit({ ...base, form: 'symposium', consensus: [' '], disagreements: [] })
    expect(Object.keys(sy).sort()).toEqual(['consensus', 'departments', 'topic'])
  })

  it('every submitted interview needs a start, a prompt and a summary', () => {
    expect(Object.keys(validateSubmit({ form: 'walkthrough', place: 'x' })).sort()).toEqual(['started_at', 'summary', 'topics'])
  })

  it('issues: required fields and no due date in the past', () => {
    const now = new Date('2025-06-10T10:00:00')
    expect(Object.keys(validateIssue({}, { now })).sort()).toEqual(['category', 'description', 'unit_ids'])
    expect(validateIssue({ category: 'demand', description: 'd', unit_ids: ['u'], due_date: '2025-06-09' }, { now }).due_date?.key).toBe('v.duePast')
    expect(validateIssue({ category: 'demand', description: 'd', unit_ids: ['u'], due_date: '2025-06-10' }, { now })).toEqual({})
    // A date saved earlier that has since passed is not a new error.
    expect(validateIssue({ category: 'demand', description: 'd', unit_ids: ['u'], due_date: '2025-06-01' }, { now, dueWasSaved: '2025-06-01' })).toEqual({})
    expect(today(now)).toBe('2025-06-10')
  })
})

describe('conflict inbox', () => {
  const c: StoredConflict = {
    id: 'c1', entity: 'issue', row_id: 'i1', kind: 'hard', field: 'solution',
    winner_value: '更换密封件', loser_value: '改用机械密封',
    winner_user_id: 'hr', loser_user_id: 'me', status: 'open', seq: 9,
  }

  it('shows mine and theirs from the viewer’s side', () => {
    const v = viewConflict(c, 'me')
    expect([v.mine, v.theirs, v.mineWon, v.otherUserId]).toEqual(['改用机械密封', '更换密封件', false, 'hr'])
    const w = viewConflict(c, 'hr')
    expect([w.mine, w.theirs, w.mineWon, w.otherUserId]).toEqual(['更换密封件', '改用机械密封', true, 'me'])
  })

  it('keeping my losing value is an update plus conflict.resolve; taking theirs only resolves', async () => {
    await resolveConflict(viewConflict(c, 'me'), 'mine')
    let out = await listOutbox()
    expect(out.map((e) => [e.name, e.args])).toEqual([
      ['issue.update', { id: 'i1', solution: '改用机械密封' }],
      ['conflict.resolve', { id: 'c1', note: 'kept mine' }],
    ])
    await resolveConflict(viewConflict({ ...c, id: 'c2' }, 'me'), 'theirs')
    out = await listOutbox()
    expect(out.slice(2).map((e) => e.name)).toEqual(['conflict.resolve'])
  })

  it('merges texts and lists', () => {
    expect(mergeValues('a', 'b')).toBe('a\nb')
    expect(mergeValues(['u1'], ['u1', 'u2'])).toEqual(['u1', 'u2'])
    expect(updateFor({ ...c, entity: 'interview', field: 'summary' }, 'x')).toEqual({ name: 'interview.save', args: { id: 'i1', summary: 'x' } })
  })
})
