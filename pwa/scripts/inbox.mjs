// Conflict and rejection inboxes against a real server, in two browser profiles (cadre and HR):
// both change the same problem's field while offline; the one who syncs first loses and sees both
// values in the conflict inbox. Then a mutation the server refuses shows in the rejection inbox.
// Usage: node scripts/inbox.mjs http://127.0.0.1:8765 [outdir]
import { chromium } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { gotoApp, setPinIfAsked, signInOn, synced } from './lib-confidential.mjs'
import { countSettled, settle } from './lib-wait.mjs'

const base = process.argv[2] ?? 'http://127.0.0.1:8765'
const out = process.argv[3] ?? '/tmp/pwa-shots'
mkdirSync(out, { recursive: true })
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
const check = (cond, msg) => { if (!cond) { console.error('FAIL:', msg); process.exitCode = 1 } else console.log('ok:', msg) }
const errors = []

async function profile(user) {
  const ctx = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN' })
  const page = await ctx.newPage()
  page.on('pageerror', (e) => errors.push(`${user} pageerror: ${e.message}`))
  await signInOn(page, base, user)
  return { ctx, page }
}
const fill = (page, sel, v) => page.fill(`[data-test="${sel}"] input, [data-test="${sel}"] textarea`, v)

// Cadre: an ad-hoc individual interview with one problem, synced.
const A = await profile('cadre')
await gotoApp(A.page, base + '/interviews/new')
await fill(A.page, 'adhoc-reason', '职工反映更衣室问题')
await A.page.click('[data-test=form-individual]')
await A.page.click('[data-test=start]')
await A.page.waitForURL(/\/interviews\/[0-9a-f-]{36}$/)
await fill(A.page, 'participant-0-post', '化验员')
await A.page.click('[data-test=participant-0-anonymous] .van-switch')
await A.page.click('.van-tab:has-text("问题")')
await A.page.click('[data-test=raise-issue]')
await A.page.click('[data-test=cat-demand]')
await fill(A.page, 'issue-description', '更衣室热水供应不稳定')
await fill(A.page, 'issue-solution', '检修热水器')
await A.page.click('[data-test=issue-save]')
await A.page.click('[data-test=slip-close]') // the new problem's 回执 slip (issue 16)
await A.page.waitForSelector('[data-test=issue-card]')
await synced(A.page)
await A.page.waitForSelector('[data-test=issue-card] [data-state=synced]', { timeout: 15000 })

// HR sees it after a sync.
const B = await profile('hr')
await gotoApp(B.page, base + '/plans/company')
await B.page.screenshot({ path: `${out}/20-hr-plan.png` })
// HR reads the issue in the cadre's interview view via deep link.
const issueUrl = A.page.url()
await gotoApp(B.page, issueUrl)
await B.page.waitForSelector('[data-test=interview]')
await B.page.click('.van-tab:has-text("问题")')
await B.page.waitForSelector('[data-test=issue-card]')
check((await B.page.textContent('[data-test=issue-card]')).includes('热水'), 'HR sees the cadre’s problem after sync')

// Both offline, both change the solution.
await A.ctx.setOffline(true)
await B.ctx.setOffline(true)
await A.page.click('[data-test=issue-card]')
await fill(A.page, 'issue-solution', '更换为即热式热水器（刘海涛）')
await A.page.click('[data-test=issue-save]')
await B.page.click('[data-test=issue-card]')
await fill(B.page, 'issue-solution', '由综合部协调维修，本周内完成（王丽娟）')
await B.page.click('[data-test=issue-save]')
await A.page.waitForTimeout(500)
// Cadre syncs first, then HR (HR's later arrival wins), then cadre pulls the conflict.
await A.ctx.setOffline(false)
await synced(A.page)
await B.ctx.setOffline(false)
await synced(B.page)
await synced(A.page)
await gotoApp(A.page, base + '/inbox?tab=conflicts')
await A.page.waitForSelector('[data-test=conflict]', { timeout: 15000 })
await A.page.waitForTimeout(400)
await A.page.screenshot({ path: `${out}/21-conflict-inbox.png` })
check((await A.page.textContent('[data-test=conflict-mine]')).includes('即热式'), 'conflict shows my value')
check((await A.page.textContent('[data-test=conflict-theirs]')).includes('综合部'), 'conflict shows their value')
await A.page.click('[data-test=keep-mine]')
await A.page.click('.van-dialog__confirm')
await synced(A.page)
check(await settle(() => A.page.isVisible('[data-test=no-conflicts]'), Boolean), 'conflict resolved by a normal mutation and gone from the inbox')
await gotoApp(A.page, issueUrl)
await A.page.click('.van-tab:has-text("问题")')
await A.page.waitForSelector('[data-test=issue-card]')
await A.page.waitForTimeout(500)
await A.page.screenshot({ path: `${out}/21b-after-keep.png` })
check((await A.page.textContent('[data-test=issue-card]')).includes('即热式'), 'kept value is the current one')

// A mutation the server refuses: the submitted interview set back to draft (injected into the
// outbox as a stale tab could have), then it shows in the rejection inbox.
await A.page.click('.van-tab:has-text("总结与提交")')
await A.page.click('.van-tab:has-text("访谈要点")')
await A.page.click('[data-test="covered-demand.1"]')
await A.page.click('.van-tab:has-text("总结与提交")')
await fill(A.page, 'summary', '更衣室热水问题需尽快解决。')
await A.page.click('[data-test=submit-bottom]')
await A.page.waitForTimeout(500)
await synced(A.page)
const ivId = issueUrl.split('/').pop()
await A.page.evaluate(async (id) => {
  const db = await new Promise((res, rej) => { const r = indexedDB.open('fangtan'); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error) })
  const rowSeq = await new Promise((res) => { const r = db.transaction('rows').objectStore('rows').get(['interview', id]); r.onsuccess = () => res(r.result.seq) })
  await new Promise((res, rej) => {
    const tx = db.transaction(['outbox', 'meta'], 'readwrite')
    const meta = tx.objectStore('meta')
    const g = meta.get('next_mutation_id')
    g.onsuccess = () => {
      const next = g.result ?? 1
      const now = new Date().toISOString()
      tx.objectStore('outbox').add({ id: next, name: 'interview.save', args: { id, status: 'draft' }, base: rowSeq, client_time: now, created_at: now, state: 'pending', entity: 'interview', row_id: id, attempts: 0 })
      meta.put(next + 1, 'next_mutation_id')
    }
    tx.oncomplete = res
    tx.onerror = () => rej(tx.error)
  })
}, ivId)
await synced(A.page)
await gotoApp(A.page, base + '/inbox?tab=rejections')
await A.page.waitForSelector('[data-test=rejection]', { timeout: 15000 })
await A.page.waitForTimeout(400)
await A.page.screenshot({ path: `${out}/22-rejection-inbox.png` })
check((await A.page.textContent('[data-test=rejection-why]')).length > 5, 'rejection shows why')
await A.page.click('[data-test=rejection-edit]')
await A.page.waitForTimeout(400)
await A.page.screenshot({ path: `${out}/23-rejection-edit.png` })
await A.page.click('.van-nav-bar__left')
// The same cadre on a second tablet (another profile = another device) sees the rejection too …
const A2 = await profile('cadre')
await gotoApp(A2.page, base + '/inbox?tab=rejections')
await A2.page.waitForSelector('[data-test=rejection]', { timeout: 15000 })
const before2 = await A2.page.locator('[data-test=rejection]').count()
check(before2 >= 1, 'the author’s second device has the rejection in its inbox')
const before = await A.page.locator('[data-test=rejection]').count()
await A.page.click('[data-test=rejection-discard] >> nth=0')
await A.page.click('.van-dialog__confirm')
check((await countSettled(A.page, '[data-test=rejection]', before - 1)) === before - 1, 'discarded deliberately')
// … and after both sync, the discard (rejection.dismiss on the server) hides it there as well.
await synced(A.page)
await synced(A2.page)
check((await countSettled(A2.page, '[data-test=rejection]', before2 - 1)) === before2 - 1, 'the discard reached the author’s other device')
await A2.ctx.close()

// One writer across tabs: a second tab of the same profile opens read-only and can take over.
const tab2 = await A.ctx.newPage()
await gotoApp(tab2, base + '/interviews')
await tab2.waitForSelector('[data-test=readonly]', { timeout: 10000 })
check(true, 'second tab is read-only while the first writes')
await tab2.click('[data-test=readonly] button')
await A.page.waitForSelector('[data-test=readonly]', { timeout: 10000 })
check(!(await tab2.isVisible('[data-test=readonly]')), 'taking over makes the other tab read-only')
await tab2.close()

// English locale
await gotoApp(A.page, base + '/status')
await A.page.click('.van-radio:has-text("English")')
// The English texts are a lazy chunk: wait until the switch has happened before reloading.
await A.page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: 10000 })
await gotoApp(A.page, issueUrl)
await A.page.waitForSelector('[data-test=interview]')
await A.page.waitForTimeout(500)
await A.page.screenshot({ path: `${out}/25-english.png` })
// A submitted interview offers its cadre "Amend the submitted record" (a reason first), not a save.
check((await A.page.textContent('[data-test=amend-start]')).includes('Amend the submitted record'), 'English locale')

// Phone layout
const P = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true })
const pp = await P.newPage()
await pp.goto(base + '/login')
await pp.fill('[data-test=username] input', 'cadre2')
await pp.fill('[data-test=password] input', 'fangtan-demo')
await pp.click('[data-test=login]')
await pp.waitForURL('**/todo') // the cadre's home is 待办 (issue 17 point 1)
await setPinIfAsked(pp)
await gotoApp(pp, base + '/interviews/new')
await pp.waitForTimeout(800)
await pp.screenshot({ path: `${out}/24-phone-new.png` })

console.log(errors.join('\n') || 'no page errors')
await browser.close()
