// Issue 16 point 4: no English inside a Chinese text. Every zh-CN message (the catalogue and the
// texts screens merge in) carries no Latin word outside scripts/latin-whitelist.json, the list the
// browser crawl (scripts/chinese-only.mjs) and the server (sync.errors.LATIN_WHITELIST) use.
// Placeholders ({n}) and code formats (XXXX-XXXX) are data, not language.
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import zh from '@/i18n/zh-CN'
import { zhCN as evaluationZh } from '@/views/evaluation/messages'
import { zhCN as boardZh } from '@/views/followup/boardMessages'

const WHITELIST = new Set<string>(JSON.parse(readFileSync(join(__dirname, '..', 'scripts', 'latin-whitelist.json'), 'utf8')).words)

function flatten(o: unknown, prefix = ''): Array<[string, string]> {
  if (typeof o === 'string') return [[prefix, o]]
  if (!o || typeof o !== 'object') return []
  return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k))
}

function latinWords(text: string): string[] {
  const t = text.replace(/\{[^}]*\}/g, ' ').replace(/\b[A-Z0-9]{4}(?:-[A-Z0-9…]{1,4})+/g, ' ').replace(/https?:\/\/\S*/g, ' ')
  return (t.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !WHITELIST.has(w))
}

describe('zh-CN texts are Chinese only', () => {
  it('no message of the zh-CN catalogue carries a Latin word outside the whitelist', () => {
    const all = [...flatten(zh), ...flatten(evaluationZh, 'evaluation'), ...flatten(boardZh, 'board')]
    expect(all.length).toBeGreaterThan(500)
    const bad = all.filter(([, v]) => latinWords(v).length).map(([k, v]) => `${k}: ${v}`)
    expect(bad).toEqual([])
  })

  it('the check finds English where there is some', () => {
    expect(latinWords('问题已销号 (problem closed)')).toEqual(['problem', 'closed'])
    expect(latinWords('导出 Excel · 回执码 K7M2-ABCD · {n} 条')).toEqual([])
  })
})
