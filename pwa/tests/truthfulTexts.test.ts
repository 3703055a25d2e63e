// Issue 16 point 5: static texts tell the truth. No screen promises a feature "in a later version"
// (the app lock and end-to-end encrypted remarks exist), and an empty remark list does not claim
// the interview has none (remarks sync only to their author and the confidentiality officers).
import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import zh from '@/i18n/zh-CN'
import en from '@/i18n/en'

function flatten(o: unknown, prefix = ''): Array<[string, string]> {
  if (typeof o === 'string') return [[prefix, o]]
  if (!o || typeof o !== 'object') return []
  return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k))
}

const PROMISE = /后续版本|以后的版本|将在.{0,12}提供|敬请期待|later version|coming soon/i

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? sources(p) : /\.(vue|ts)$/.test(n) ? [p] : []
  })
}

describe('texts that tell the truth', () => {
  it('no message in either locale promises a later version', () => {
    const bad = [...flatten(zh), ...flatten(en)].filter(([, v]) => PROMISE.test(v))
    expect(bad).toEqual([])
  })

  it('no screen source carries such a promise either', () => {
    const root = join(__dirname, '..', 'src')
    const bad = sources(root).filter((p) => PROMISE.test(readFileSync(p, 'utf8').replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '')))
    expect(bad).toEqual([])
  })

  it('同步与存储 states the protection that exists; an empty remark list does not claim there are none', () => {
    const z = zh as unknown as { session: Record<string, string>; conf: Record<string, string> }
    expect(z.session.protectionHint).toContain('解锁密码')
    expect(z.session.lockLater).toBeUndefined()
    expect(z.conf.noRemarks).not.toContain('还没有')
    expect(z.conf.noRemarks).toContain('保密管理员')
  })

  it('an empty remark list says what is true for the reader: officer, author or anyone else', () => {
    const z = zh as unknown as { remarkEmpty: Record<string, string> }
    // An officer receives every synced remark: "none has reached this device yet", never "you may not see them".
    expect(z.remarkEmpty.officer).toContain('本机还没有收到')
    expect(z.remarkEmpty.officerAll).toContain('本机还没有收到')
    // An author sees only their own; others' remarks exist out of sight.
    expect(z.remarkEmpty.author).toContain('您还没有')
    expect(z.remarkEmpty.author).toContain('只有作者本人和保密管理员')
    // Anyone else never sees remarks here: the screen does not say the interview has none.
    expect(z.remarkEmpty.others).not.toContain('没有保密备注')
    for (const v of Object.values(z.remarkEmpty)) expect(v).not.toContain('本次访谈还没有保密备注')
    const src = readFileSync(join(__dirname, '..', 'src', 'components', 'RemarksSection.vue'), 'utf8')
    expect(src).toContain("roles.value.has('officer') ? t('remarkEmpty.officer')")
  })
})
