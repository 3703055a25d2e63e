// Every notification kind opens a real screen: the inbox's link (domain/notificationLinks.ts) and
// the push payload's url (server/followup/links.py) follow one table, and each url resolves to the
// named route of the screen — never the not-found page.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it, vi } from 'vitest'
import { INBOX_URL, notificationUrl, safeAppUrl } from '@/domain/notificationLinks'

interface Case { kind: string; entity: string | null; entity_id: string | null; url: string; screen: string }
const table = JSON.parse(readFileSync(fileURLToPath(new URL('../../tests/data/notification_links.json', import.meta.url)), 'utf-8')) as { cases: Case[] }

// The app's own router and routes; only the browser history is swapped for memory (no window in node).
vi.mock('vue-router', async (original) => {
  const mod = await original<typeof import('vue-router')>()
  return { ...mod, createWebHistory: mod.createMemoryHistory }
})

describe('notification deep links', async () => {
  const { router } = await import('@/router')

  it.each(table.cases)('$kind ($entity) opens $screen', (c) => {
    const url = notificationUrl(c.entity, c.entity_id)
    expect(url).toBe(c.url)
    const to = router.resolve(url)
    expect(to.name).toBe(c.screen)
    if (c.entity_id && c.url.includes(c.entity_id)) expect(to.params.id).toBe(c.entity_id)
  })

  it('covers problems, reports, report reminders, archives and digests', () => {
    const kinds = new Set(table.cases.map((c) => c.kind))
    for (const k of ['assigned', 'reopened', 'commented', 'overdue_escalation', 'report_submitted', 'report_overdue', 'archived', 'digest']) expect(kinds).toContain(k)
  })

  it('a plan reminder opens the plan screen of the reader\'s role', async () => {
    const { planScreenFor } = await import('@/router')
    expect(planScreenFor(['cadre'])).toBe('/plans/mine')
    expect(planScreenFor(['hr'])).toBe('/plans/company')
    expect(planScreenFor(['unit_lead', 'cadre'])).toBe('/plans/unit')
  })

  it('an entity without a screen opens the inbox; push urls stay inside the app', () => {
    expect(notificationUrl('plan', 'p1')).toBe(INBOX_URL)
    expect(router.resolve(INBOX_URL).name).toBe('inbox')
    expect(safeAppUrl('/followup/problems/x')).toBe('/followup/problems/x')
    for (const bad of ['https://evil.example/x', '//evil.example/x', 'javascript:alert(1)', null, 42]) expect(safeAppUrl(bad)).toBe(INBOX_URL)
  })
})
