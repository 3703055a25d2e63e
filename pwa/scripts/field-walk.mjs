// In the field, the issue 16 "Done when" walk (points 1, 2, 3, 6 and 8 together): a cadre's tablet
// with the network cut and the server STOPPED (driven by tests/e2e/browser) holds a group interview of
// five, raises a problem and hands out its 回执码 at once (slip + QR), sees the report's countdown
// (还剩 N 个工作日, counted on the device's working-day calendar) on the interview and on 我的报告,
// opens 评价码 for the five people in the room (5 tickets) — every control of those screens at least
// 44×44 CSS px at 1024×768 and 800×1280 portrait. The server comes back, the tablet syncs, HR assigns
// the problem (driver, API); a 390×844 phone opens the rating link (cadre, date, place; nobody else)
// and /r/<code> (description, department, expected date, progress; no names), also measured.
// Usage: node scripts/field-walk.mjs http://127.0.0.1:8765 [outdir]
// With FANGTAN_CONTROL=1 it prints `control: stop-server` / `start-server` / `assign-problem` and
// waits for `done` on stdin.
import { mkdirSync } from 'node:fs'
import { fill, gotoApp, harness, launch, readMeta, receiptPoolSize, signInOn, synced } from './lib-confidential.mjs'
import { settle, swControls, textSettled } from './lib-wait.mjs'
import { driverControls, serverUp } from './lib-control.mjs'
import { touchAudit } from './lib-touch.mjs'

const base = process.argv[2] ?? 'http://127.0.0.1:8765'
const out = process.argv[3] ?? '/tmp/pwa-shots-field-walk'
mkdirSync(out, { recursive: true })
const { errors, check } = harness(out)
const { control, close } = driverControls()
const audit = touchAudit()
const TABLETS = [{ width: 1024, height: 768 }, { width: 800, height: 1280 }]
const POSTS = ['中控操作工', '巡检工', '维修钳工', '化验员', '班长']
const shot = async (page, name) => { await page.screenshot({ path: `${out}/${name}.png` }); console.log('shot', name) }

const browser = await launch()
// ---- online once: sign in and sync; the reserved receipt codes, rating tickets and the working-day
// calendar arrive with that sync.
const tablet = await browser.newContext({ viewport: TABLETS[0], locale: 'zh-CN' })
const page = await tablet.newPage()
page.on('pageerror', (e) => errors.push(`tablet pageerror: ${e.message}`))
await signInOn(page, base, 'cadre')
await swControls(page)
check(await settle(() => receiptPoolSize(page), (n) => n > 0, { timeout: 30000 }) > 0, 'the tablet holds reserved receipt codes')
const table = await settle(() => readMeta(page, 'work_calendar'), (t) => !!t, { timeout: 30000 })
check(Array.isArray(table?.known_years) && table.known_years.length > 0, `the tablet carries the working-day calendar (${table?.known_years?.join('、')})`)
await gotoApp(page, base + '/evaluation/tickets')
await page.waitForFunction(() => /可用评价码：([5-9]|\d\d)/.test(document.querySelector('[data-test=tickets-unused]')?.textContent ?? ''), null, { timeout: 30000 })

// ---- the plant: network cut, server stopped
await tablet.setOffline(true)
if (await control('stop-server')) check(!(await serverUp(base)), 'the server is down while the cadre works')
await gotoApp(page, base + '/interviews/new')
await fill(page, 'adhoc-reason', '检修后班组座谈')
await page.click('[data-test=form-group]')
await page.click('[data-test=start]')
await page.waitForURL(/\/interviews\/[0-9a-f-]{36}$/)
const ivUrl = page.url()
const ivId = ivUrl.split('/').pop()
for (const [i, post] of POSTS.entries()) {
  await page.click('[data-test=add-participant]')
  await fill(page, `participant-${i}-post`, post)
}
await fill(page, 'place', '甲醇车间会议室')
await fill(page, 'theme', '检修后的排班与安全')
// point 2: the countdown from the moment the interview is held, offline
const onInterview = await textSettled(page, '[data-test=report-countdown]', (t) => t.trim().length > 0)
check(/还剩 \d+ 个工作日|今天截止|日历未公布/.test(onInterview), `countdown on the interview: ${onInterview.trim()}`)
await shot(page, '01-tablet-interview-countdown')

// point 1: a problem raised offline shows its receipt code at once
await page.click('.van-tab:has-text("问题")')
await page.click('[data-test=raise-issue]')
await page.waitForSelector('[data-test=issue-editor]')
await page.click('[data-test=cat-demand]')
await fill(page, 'issue-description', '检修期间夜班更衣室没有热水，职工王某多次反映。')
await fill(page, 'issue-public-summary', '检修期间夜班更衣室热水')
await page.click('[data-test=issue-save]')
await page.waitForSelector('[data-test=receipt-slip]', { timeout: 15000 })
const code = ((await page.textContent('[data-test=slip-receipt-code]')) ?? '').trim()
check(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(code), `offline, the receipt code is shown at once: ${code}`)
check((await page.getAttribute('[data-test=slip-receipt-qr]', 'data-qr-text'))?.endsWith(`/r/${code}`), 'its QR links to the receipt page')
await audit.measure(page, 'receipt slip')
await shot(page, '02-tablet-receipt-slip')
await page.click('[data-test=slip-close]')
await page.waitForSelector('[data-test=receipt-slip]', { state: 'detached' })

// point 6 on the interview's screens, at both tablet sizes (header with the countdown, every tab)
for (const vp of TABLETS) {
  await page.setViewportSize(vp)
  await gotoApp(page, ivUrl)
  await page.waitForSelector('.van-tabs__nav .van-tab')
  const n = await page.locator('.van-tabs__nav .van-tab').count()
  for (let i = 0; i < n; i++) {
    await page.locator('.van-tabs__nav .van-tab').nth(i).click()
    await audit.measure(page, `group interview tab ${((await page.locator('.van-tabs__nav .van-tab').nth(i).textContent()) ?? '').trim()}`)
  }
  await shot(page, `03-${vp.width}x${vp.height}-interview`)
  // point 2 on the report: 我的报告 shows the due date (counted here, said to be provisional) and the countdown
  await gotoApp(page, base + '/followup/reports')
  const card = page.locator(`[data-test=report-card][data-id="${ivId}"]`)
  const due = await settle(async () => ((await card.count()) ? (await card.locator('[data-test=report-due]').textContent()) ?? '' : ''), (t) => t.includes('工作日') || t.includes('截止') || t.includes('日历未公布'))
  check(/报告应于：\d{4}-\d{2}-\d{2}/.test(due) || due.includes('日历未公布'), `我的报告 at ${vp.width}×${vp.height}: ${due.replace(/\s+/g, ' ').trim()}`)
  await audit.measure(page, 'my reports')
  await gotoApp(page, `${base}/followup/reports/${ivId}`)
  const report = await textSettled(page, '[data-test=report-view] [data-test=report-countdown]', (t) => t.trim().length > 0)
  check(report.trim() === onInterview.trim(), `the report shows the same countdown as the interview (${report.trim()})`)
  await audit.measure(page, 'report')
  await shot(page, `04-${vp.width}x${vp.height}-report`)
}

// point 3: 评价码 from the interview, one ticket per person in the room
await page.setViewportSize(TABLETS[0])
await gotoApp(page, ivUrl)
await page.click('[data-test=hand-out-tickets]')
await page.waitForSelector('[data-test=tickets-show]')
check((await page.inputValue('[data-test=ticket-count] input')) === '5', 'the tickets screen asks for 5 tickets for the 5 participants')
for (const vp of TABLETS) {
  await page.setViewportSize(vp)
  await audit.measure(page, 'tickets')
}
await page.click('[data-test=tickets-show]')
await page.waitForSelector('[data-test=ticket-qr] svg')
const of = await textSettled(page, '[data-test=ticket-fullscreen] .of', (t) => t.includes('/'))
check(of.includes('第 1 / 5 张'), `five tickets to hand out (${of.trim()})`)
const rateUrl = await page.getAttribute('[data-test=ticket-qr]', 'data-qr-text')
check(((await page.textContent('[data-test=ticket-signal]')) ?? '').includes('网络信号'), 'the ticket screen says the phone needs a signal once')
for (const vp of TABLETS) {
  await page.setViewportSize(vp)
  await audit.measure(page, 'ticket full screen')
  await shot(page, `05-${vp.width}x${vp.height}-ticket`)
}
await page.setViewportSize(TABLETS[0])

// ---- back in the office: the server is up, the tablet syncs, HR assigns the problem
if (await control('start-server')) check(await serverUp(base), 'the server is back')
await tablet.setOffline(false)
await gotoApp(page, ivUrl)
await synced(page)
check(true, 'the tablet synced')
const afterSync = await textSettled(page, '[data-test=report-countdown]', (t) => t.trim().length > 0)
check(afterSync.trim() === onInterview.trim(), `after the sync the countdown stands (${afterSync.trim()})`)
// the server stays authoritative: once the report is saved and synced, the due date is its row's
await gotoApp(page, base + '/followup/reports')
const myCard = page.locator(`[data-test=report-card][data-id="${ivId}"]`)
check((await settle(() => myCard.locator('[data-test=report-due-provisional]').count(), (n) => n === 1, { timeout: 15000 })) === 1, 'before the report exists the date is marked as counted on the device')
await myCard.locator('.row.head').click()
await fill(page, 'report-summary', '检修后排班与更衣室热水，登记问题 1 个。')
await page.locator('[data-test=report-summary] textarea').blur()
await synced(page)
const provisional = await settle(() => myCard.locator('[data-test=report-due-provisional]').count(), (n) => n === 0, { timeout: 15000 })
const serverDue = ((await myCard.locator('[data-test=report-due-date]').textContent()) ?? '').trim()
check(provisional === 0, `after the report is saved and synced the due date is the server's: ${serverDue}`)
check((await myCard.locator('[data-test=report-countdown]').textContent())?.trim() === onInterview.trim(), 'and the countdown is unchanged')
const assigned = await control('assign-problem')

// ---- point 8: the employee's phone
const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN', isMobile: true, hasTouch: true })
const p = await phone.newPage()
p.on('pageerror', (e) => errors.push(`phone pageerror: ${e.message}`))
await p.goto(rateUrl)
const rated = await textSettled(p, '[data-test=rated]', (t) => t.includes('地点'))
check(rated.includes('被评价干部：刘海涛') && rated.includes('访谈日期：') && rated.includes('地点：甲醇车间会议室'), `the rating page shows the cadre, the date and the place: ${rated.replace(/\s+/g, ' ').trim()}`)
check(!POSTS.some((post) => rated.includes(post)), 'the rating page says nothing about the employees')
await audit.measure(p, 'rating page (phone)')
await shot(p, '06-phone-rating')
const res = await p.goto(`${base}/r/${code}`)
const text = (await p.textContent('body')) ?? ''
check(res?.status() === 200, `/r/${code} answers on the phone`)
check(text.includes('检修期间夜班更衣室热水'), 'the receipt page shows the short description')
const dept = ((await p.textContent('[data-test=department]')) ?? '').trim()
check(assigned ? dept === '责任部门：设备管理部' : dept.startsWith('责任部门：'), `the receipt page shows the department (${dept})`)
check(((await p.textContent('[data-test=due]')) ?? '').startsWith('预计完成：'), 'the receipt page shows the expected completion date')
check(!assigned || text.includes('问题已交办责任部门'), 'the receipt page shows the public progress')
check(!text.includes('王某') && !text.includes('刘海涛') && !text.includes('孙伟'), 'the receipt page names nobody')
await audit.measure(p, 'receipt page (phone)')
await shot(p, '07-phone-receipt')

audit.report(check)
check(errors.length === 0, `no page errors (${errors.join('; ')})`)
await browser.close()
close() // stdin would keep node alive
