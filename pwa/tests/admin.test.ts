// Admin screens (issue 15 item 2): the admin's navigation leads to the roster import and the admin
// log, not a placeholder; every admin text exists in both locales and the Chinese ones hold no
// English; the roster cannot be applied while a row is refused unless only the valid rows are chosen.
import { describe, expect, it } from 'vitest'
import { navFor } from '@/shell/nav'
import { canApply } from '@/composables/rosterImport'
import { en, zhCN } from '@/views/admin/adminMessages'
import type { RosterPreview } from '@/api/admin'

function leaves(o: unknown, prefix = ''): [string, string][] {
  if (typeof o === 'string') return [[prefix, o]]
  return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k))
}

const preview = (refused: number): RosterPreview => ({
  summary: { added: 1, changed: 0, disabled: 0, unchanged: 0, refused, units_added: 0, headcount_changed: 0, employees: 0 },
  added: [], changed: [], disabled: [], units_added: [], token: 't', expires_in: 1800,
  refused: Array.from({ length: refused }, (_, i) => ({ row: i + 2, column: '角色', column_letter: 'E', value: 'x', reason: '未知角色' })),
})

describe('admin screens', () => {
  it('gives the admin and HR the roster import and the admin log, and no placeholder', () => {
    const to = navFor(new Set(['admin'])).map((i) => i.to)
    expect(to).toContain('/admin/roster')
    expect(to).toContain('/admin/audit')
    expect(to).toContain('/admin/users')
    expect(to).toContain('/admin/units')
    expect(to.some((p) => p.startsWith('/later'))).toBe(false)
    const hr = navFor(new Set(['hr'])).map((i) => i.to)
    expect(hr).toContain('/admin/roster')
    expect(hr).toContain('/admin/audit')
    expect(hr).toContain('/admin/users')
    expect(navFor(new Set(['cadre'])).map((i) => i.to)).not.toContain('/admin/roster')
    expect(navFor(new Set(['cadre'])).map((i) => i.to)).not.toContain('/admin/users')
  })

  it('has every text in both locales, the Chinese ones without English words', () => {
    const zh = leaves(zhCN)
    expect(leaves(en).map(([k]) => k).sort()).toEqual(zh.map(([k]) => k).sort())
    for (const [k, v] of zh) expect([k, v.replace(/\{[a-z]+\}|\.xlsx|\.csv/g, '')]).not.toEqual([k, expect.stringMatching(/[A-Za-z]{2,}/)])
  })

  it('refuses to apply while a row is refused unless only the valid rows are applied', () => {
    expect(canApply(null, true)).toBe(false)
    expect(canApply(preview(0), false)).toBe(true)
    expect(canApply(preview(3), false)).toBe(false)
    expect(canApply(preview(3), true)).toBe(true)
  })
})
