// Plans end to end against a real server (issue 7 item 1): HR plans a visit for the cadre in the
// company plan; the cadre's tablet syncs, goes offline, starts the visit from 我的访谈计划 (the form
// opens prefilled with the plan item and its unit), records and submits it; offline the item already
// shows 已完成; back online it syncs and HR's plan shows it done. Then the unit lead plans a 临时加访
// (refused without a reason). Screenshots at 1024×768.
// Usage: node scripts/plans.mjs http://127.0.0.1:8765 [outdir]
import { mkdirSync } from 'node:fs'
import { fill, gotoApp, harness, launch, signIn, synced } from './lib-confidential.mjs'
import { swControls } from './lib-wait.mjs'

const base = process.argv[2] ?? 'http://127.0.0.1:8765'
const out = process.argv[3] ?? '/tmp/pwa-shots'
mkdirSync(out, { recursive: true })
const { errors, check } = harness(out)
const browser = await launch()
const shot = async (page, name) => { await page.waitForTimeout(300); await page.screenshot({ path: `${out}/${name}.png`, fullPage: true }) }
const statusOf = (page, sel) => page.getAttribute(`${sel} [data-test=plan-status]`, 'data-status')

try {
  // ---- HR: the company plan, one quarterly visit of 刘海涛 to 甲醇生产车间 this quarter.
  const H = await signIn(browser, base, 'hr', errors)
  check(new URL(H.page.url()).pathname === '/todo', 'HR lands on 待办')
  await gotoApp(H.page, base + '/plans/company')
  await H.page.waitForSelector('[data-test=plan-form]')
  await H.page.waitForFunction(() => document.querySelectorAll('[data-test=plan-cadre] option').length > 1)
  const quarter = Math.floor(new Date().getMonth() / 3) + 1
  await H.page.selectOption('[data-test=plan-cadre]', { label: '刘海涛（甲醇生产车间主任）' })
  await H.page.selectOption('[data-test=plan-unit]', { label: '甲醇生产车间' })
  await H.page.selectOption('[data-test=plan-kind]', 'quarterly')
  await H.page.selectOption('[data-test=plan-quarter]', String(quarter))
  await H.page.fill('[data-test=plan-title]', '季度访谈：检修期安全与排班')
  await H.page.click('[data-test=plan-save]')
  await H.page.waitForSelector('[data-test=plan-row]')
  await synced(H.page)
  const planId = await H.page.getAttribute('[data-test=plan-row]', 'data-id')
  await H.page.waitForSelector('[data-test=plan-row] [data-state=synced], [data-test=plan-row]')
  check((await statusOf(H.page, '[data-test=plan-row]')) === 'planned', 'HR sees the new item as 待访谈')
  await H.page.waitForSelector('[data-test=plan-warning]', { timeout: 15000 })
  check((await H.page.textContent('[data-test=plan-warnings]')).includes('季度没有访谈安排'), 'HR is warned about cadres without a visit in a quarter')
  await shot(H.page, '01-hr-company-plan')

  // ---- Cadre: sync the plan to the tablet, then go offline.
  const C = await signIn(browser, base, 'cadre', errors)
  await swControls(C.page)
  await gotoApp(C.page, base + '/plans/mine')
  await C.page.waitForSelector(`[data-test=plan-item][data-id="${planId}"]`)
  check((await statusOf(C.page, `[data-test=plan-item][data-id="${planId}"]`)) === 'planned', 'the cadre’s tablet lists the synced item as 待访谈')
  await shot(C.page, '02-cadre-my-plan')
  await C.ctx.setOffline(true)
  await gotoApp(C.page, base + '/plans/mine')
  await C.page.click(`[data-test=plan-item][data-id="${planId}"] [data-test=plan-start]`)
  await C.page.waitForURL(/\/interviews\/new\?plan=/)
  await C.page.waitForSelector(`[data-test="plan-option-${planId}"] .van-radio__icon--checked`)
  check(await C.page.isVisible(`[data-test="plan-option-${planId}"]`), 'offline, the new-interview form opens on the plan item')
  await C.page.click('[data-test=form-individual]')
  await shot(C.page, '03-cadre-start-from-plan-offline')
  await C.page.click('[data-test=start]')
  await C.page.waitForURL(/\/interviews\/[0-9a-f-]{36}$/)
  const ivId = C.page.url().split('/').pop()
  await fill(C.page, 'participant-0-post', '中控操作工')
  await C.page.click('[data-test=participant-0-anonymous] .van-switch')
  await C.page.click('.van-tab:has-text("访谈要点")')
  await C.page.click('[data-test="covered-business.2"]')
  await C.page.click('.van-tab:has-text("总结与提交")')
  await fill(C.page, 'summary', '检修期间夜班人手紧张，需调整排班。')
  await C.page.click('[data-test=submit-bottom]')
  await C.page.waitForTimeout(600)
  await gotoApp(C.page, base + '/plans/mine')
  await C.page.waitForSelector(`[data-test=plan-item][data-id="${planId}"] [data-status=done]`, { timeout: 15000 })
  check(true, 'offline, the item shows 已完成 once the visit is submitted')
  await shot(C.page, '04-cadre-done-offline')

  // ---- Back online: the visit syncs with its plan_item_id; HR's plan shows it done.
  await C.ctx.setOffline(false)
  await synced(C.page)
  await gotoApp(C.page, base + '/plans/mine')
  await C.page.waitForSelector(`[data-test=plan-item][data-id="${planId}"] [data-status=done]`)
  check(await C.page.isVisible(`[data-test=plan-item][data-id="${planId}"] [data-test=plan-open]`), 'the item links to the interview that fulfils it')
  await gotoApp(H.page, base + '/plans/company')
  await synced(H.page)
  await H.page.waitForSelector(`[data-test=plan-row][data-id="${planId}"] [data-status=done]`, { timeout: 15000 })
  check(true, 'back online, HR’s plan shows the item 已完成')
  check((await H.page.textContent('[data-test=plan-summary]')).includes('已完成 1'), 'HR’s completion summary counts it')
  await shot(H.page, '05-hr-plan-done')
  // ---- Unit lead: an ad-hoc visit (临时加访) in the unit plan needs its reason.
  const L = await signIn(browser, base, 'unitlead', errors)
  check(new URL(L.page.url()).pathname === '/todo', 'the unit lead lands on 待办')
  await gotoApp(L.page, base + '/plans/unit')
  await L.page.waitForFunction(() => document.querySelectorAll('[data-test=plan-unit] option').length > 1)
  await L.page.selectOption('[data-test=plan-cadre]', { label: '刘海涛（甲醇生产车间主任）' })
  await L.page.selectOption('[data-test=plan-unit]', { label: '精馏班组' })
  await L.page.selectOption('[data-test=plan-kind]', 'adhoc')
  const today = new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10)
  await L.page.fill('[data-test=plan-window-start]', today)
  await L.page.fill('[data-test=plan-window-end]', today)
  await L.page.click('[data-test=plan-save]')
  check((await L.page.textContent('[data-test=plan-form]')).includes('请填写加访原因'), 'an ad-hoc visit without a reason is refused in the form')
  check(await L.page.locator('[data-test=plan-unit] option', { hasText: '热电车间' }).count() === 0, 'the unit lead can plan only their own units')
  await L.page.fill('[data-test=plan-reason]', '精馏塔检修项目')
  await L.page.click('[data-test=plan-save]')
  await L.page.waitForSelector('[data-test=plan-row]')
  await synced(L.page)
  check((await L.page.textContent('[data-test=plan-row]')).includes('精馏塔检修项目'), 'the ad-hoc visit is in the unit plan with its reason')
  await shot(L.page, '06-unit-lead-adhoc')
  console.log(`plan_item_id=${planId} interview_id=${ivId}`)
} finally {
  for (const e of errors) console.error('FAIL:', e)
  if (errors.length) process.exitCode = 1
  await browser.close()
}
