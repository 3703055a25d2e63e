// The follow-up loop end to end against a real server (issue 6 item 9), one browser profile per
// role: the cadre raises a problem offline on the tablet and submits the report (first refused with
// field errors, then completed); HR puts it on the agenda and assigns it; the leader records the
// decision; the handler posts progress with a photo and resolves it; HR closes it (销号) with evidence
// and a verifier; the cadre reopens it (the employee says it is not fixed) and the handler, opening
// the notification, lands on the problem's page and resolves it again; HR closes it once more, sees
// that archiving needs a connection, then archives; the receipt page /r/<code> is checked on a
// phone-sized viewport. Screenshots of each new screen at 1024×768.
// Usage: node scripts/followup.mjs http://127.0.0.1:8765 [outdir]
import { chromium } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { signIn, gotoApp, synced } from './lib-confidential.mjs'
import { countSettled, swControls } from './lib-wait.mjs'

const base = process.argv[2] ?? 'http://127.0.0.1:8765'
const out = process.argv[3] ?? '/tmp/pwa-shots'
mkdirSync(out, { recursive: true })
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
const check = (cond, msg) => { if (!cond) { console.error('FAIL:', msg); process.exitCode = 1 } else console.log('ok:', msg) }
const errors = []
// A 1×1 PNG as the handler's progress photo.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

const profile = (user) => signIn(browser, base, user, errors)
const fill = (page, sel, v) => page.fill(`[data-test="${sel}"] input, [data-test="${sel}"] textarea`, v)
const shot = async (page, name) => { await page.waitForTimeout(400); await page.screenshot({ path: `${out}/${name}.png` }) }
const inDays = (n) => { const d = new Date(Date.now() + n * 86400000); return d.toISOString().slice(0, 10) }
async function act(page, scope, kind, text, extra) {
  await page.click(`${scope} [data-test=act-${kind}]`)
  await page.waitForSelector('[data-test=action-sheet]', { state: 'visible' })
  if (extra) await extra()
  if (text) await fill(page, 'action-text', text)
  await page.click('[data-test=action-save]')
  await page.waitForSelector('[data-test=action-sheet]', { state: 'hidden' })
}

// ---- Cadre, offline on the tablet: an interview with one problem, owner and due date left empty.
const A = await profile('cadre')
await swControls(A.page)
await A.ctx.setOffline(true)
await gotoApp(A.page, base + '/interviews/new')
await fill(A.page, 'adhoc-reason', '职工反映更衣室热水问题')
await A.page.click('[data-test=form-individual]')
await A.page.click('[data-test=start]')
await A.page.waitForURL(/\/interviews\/[0-9a-f-]{36}$/)
const ivId = A.page.url().split('/').pop()
await fill(A.page, 'participant-0-post', '化验员')
await A.page.click('[data-test=participant-0-anonymous] .van-switch')
await A.page.click('.van-tab:has-text("问题")')
await A.page.click('[data-test=raise-issue]')
await A.page.click('[data-test=cat-demand]')
await fill(A.page, 'issue-description', '更衣室热水供应不稳定，冬季夜班职工无法洗浴')
await fill(A.page, 'issue-solution', '检修或更换热水器')
await A.page.click('[data-test=issue-save]')
await A.page.click('[data-test=slip-close]') // the new problem's 回执 slip (issue 16)
await A.page.waitForSelector('[data-test=issue-card]')
await A.page.click('.van-tab:has-text("访谈要点")')
await A.page.click('[data-test="covered-demand.1"]')
await A.page.click('.van-tab:has-text("总结与提交")')
await fill(A.page, 'summary', '更衣室热水问题需尽快解决。')
await A.page.click('[data-test=submit-bottom]')
await A.page.waitForTimeout(500)

// 我的报告, still offline: the draft, problems by category with the five fields; submit.
await gotoApp(A.page, base + '/followup/reports')
await A.page.waitForSelector('[data-test=report-card]')
await A.page.click('[data-test=report-card] .head')
await fill(A.page, 'report-title', '甲醇生产车间职工访谈情况报告')
await A.page.click('[data-test=report-summary] textarea')
await fill(A.page, 'report-summary', '本次访谈职工 1 人，反映问题 1 项。')
await A.page.click('[data-test=report-title] input')
check((await A.page.textContent('[data-test=group-demand]'))?.includes('职工诉求'), 'report groups the problem under 职工诉求 (offline)')
check((await A.page.textContent('[data-test=report-card]')).includes('建议解决方案'), 'the five report fields are listed')
await A.page.click('[data-test=report-submit]')
await A.page.waitForTimeout(600)
await shot(A.page, '40-cadre-report-offline')

// Online: the submit is refused (no owner, no due date) and the fields are named in Chinese.
await A.ctx.setOffline(false)
await synced(A.page)
await synced(A.page)
await gotoApp(A.page, base + '/followup/reports')
await A.page.waitForSelector('[data-test=report-card]')
await A.page.click('[data-test=report-card] .head')
await A.page.waitForSelector('[data-test=report-rejected]', { timeout: 15000 })
check((await A.page.textContent('[data-test=err-owner]'))?.includes('责任人'), 'refused submit: 责任人 error at its field')
check((await A.page.textContent('[data-test=err-due_date]'))?.includes('预计完成时间'), 'refused submit: 预计完成时间 error at its field')
check((await A.page.textContent('[data-test=report-due]')).match(/\d{4}/) || (await A.page.isVisible('[data-test=calendar-unknown]')), 'report due date from the server (or the unknown-calendar warning)')
await shot(A.page, '41-cadre-report-errors')
await A.page.click('[data-test=edit-problem]')
await A.page.waitForSelector('[data-test=issue-editor]', { state: 'visible' })
await fill(A.page, 'issue-owner', '孙伟')
await fill(A.page, 'issue-due', inDays(20))
await A.page.click('[data-test=issue-save]')
await A.page.waitForTimeout(500)
await A.page.click('[data-test=report-submit]')
await A.page.waitForTimeout(400)
await synced(A.page)
await synced(A.page)
await A.page.waitForSelector('[data-test=report-status]:has-text("报告已提交")', { timeout: 15000 })
check(true, 'report submitted after completing the fields')
await gotoApp(A.page, base + '/followup/reports?tab=progress')
await A.page.waitForSelector('[data-test=receipt-code]', { timeout: 15000 })
const code = ((await A.page.textContent('[data-test=receipt-code] b')) ?? '').trim()
check(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/.test(code), `receipt code shown to the cadre (${code})`)
await shot(A.page, '42-cadre-progress')

// ---- HR: reports inbox, put on the agenda, assign to 设备管理部 / 孙伟.
const B = await profile('hr')
await gotoApp(B.page, base + '/followup/hr')
await B.page.waitForSelector('[data-test=inbox-report]', { timeout: 15000 })
check((await B.page.textContent('[data-test=inbox-report]')).includes('甲醇生产车间职工访谈情况报告'), 'HR inbox lists the submitted report')
await shot(B.page, '43-hr-inbox')
// 列入议题 from the tracking board (the inbox offers it too).
const ours = '[data-problem]:has-text("更衣室热水供应不稳定")'
await gotoApp(B.page, base + '/followup/hr?tab=board')
// The board opens as a table at the desk; its cards carry the actions (the choice is remembered).
await B.page.click('[data-test=view-cards]')
await B.page.waitForSelector(`${ours} [data-test=act-escalate]`, { timeout: 15000 })
await act(B.page, ours, 'escalate', '涉及冬季职工生活保障，提请经理层会议研究')
check((await B.page.textContent(ours)).includes('会议议题') && (await B.page.locator(`${ours} [data-test=act-escalate]`).count()) === 0, 'board: 列入议题 marks the problem and is offered once only')
await gotoApp(B.page, base + '/followup/hr')
await B.page.waitForSelector('[data-test=inbox-report]', { timeout: 15000 })
await act(B.page, '[data-test=inbox-report]', 'assign', '请设备管理部牵头整改', async () => {
  await B.page.click('[data-test="dept-设备管理部"]')
  await B.page.click('[data-test="owner-孙伟"]')
  await B.page.fill('[data-test=assign-due] input', inDays(14))
  await shot(B.page, '44-hr-assign')
})
await synced(B.page)
// Assigned, the report waits for nothing from HR: it moves to 已处理 (shown folded).
await gotoApp(B.page, base + '/followup/hr?inbox=done')
await B.page.click('[data-test=inbox-report] [data-test=inbox-expand]')
await B.page.waitForSelector('[data-test=inbox-report] [data-test=problem-status]:has-text("已交办")', { timeout: 15000 })
check(true, 'assigned (status 已交办 after sync), the report under 已处理')
// HR's own note changes the overlay under the open report; the report stays open (a watcher once
// folded it on every overlay change, so a sync arriving mid-read closed what HR was reading).
await act(B.page, '[data-test=inbox-report]', 'comment', '已电话告知设备管理部')
await synced(B.page)
check((await B.page.locator('[data-test=inbox-report] [data-test=problem-status]').count()) === 1, 'the opened report stays open while the overlay changes under it')
await gotoApp(B.page, base + '/followup/hr?tab=board')
await B.page.selectOption('[data-test=f-status]', 'assigned')
await B.page.waitForSelector('[data-problem]')
await shot(B.page, '45-hr-board')
await gotoApp(B.page, base + '/followup/hr?tab=overdue')
await shot(B.page, '46-hr-overdue')
// 逾期未交报告, per cadre with days overdue (from the server; the pytest side compares with the API).
await gotoApp(B.page, base + '/followup/hr?tab=late')
await B.page.waitForSelector('[data-test=late-cadre], [data-test=late-none]', { timeout: 15000 })
const lateCadres = await B.page.locator('[data-test=late-cadre]').count()
const lateRows = await B.page.locator('[data-test=late-report]').count()
console.log(`late report list: ${lateCadres} cadre(s), ${lateRows} report(s)`)
if (lateRows) check(/逾期 \d+ 天（\d+ 个工作日）/.test(await B.page.textContent('[data-test=late-days]')), 'late report shows the days overdue')
await shot(B.page, '46b-hr-late-reports')

// ---- Leader: the agenda, 记录决定.
const L = await profile('leader')
await gotoApp(L.page, base + '/followup/agenda')
await L.page.waitForSelector('[data-problem]', { timeout: 15000 })
await act(L.page, '[data-problem]', 'decide', '同意更换为即热式热水器，费用列入本月维修计划')
await synced(L.page)
await shot(L.page, '47-leader-agenda')
check((await L.page.textContent('[data-test=timeline]')).includes('记录决定'), 'leader decision in the timeline')

// ---- Handler: 我的待办 and the notification; progress with a photo, then resolve.
const H = await profile('handler')
await gotoApp(H.page, base + '/inbox?tab=messages')
await H.page.waitForSelector('[data-test=notification]', { timeout: 15000 })
await shot(H.page, '48-handler-notifications')
check((await H.page.locator('[data-test=notification].unread').count()) > 0, 'handler has an unread notification')
await H.page.click('[data-test=read-all]')
check((await countSettled(H.page, '[data-test=notification].unread', 0)) === 0, 'notifications marked read (notification.read)')
await gotoApp(H.page, base + '/followup/tasks')
await H.page.waitForSelector('[data-problem]', { timeout: 15000 })
await act(H.page, '[data-problem]', 'progress', '已采购即热式热水器，本周安装', async () => {
  await H.page.setInputFiles('[data-test=action-photo]', { name: 'progress.png', mimeType: 'image/png', buffer: PNG })
  await H.page.waitForSelector('[data-test=photo-count]:has-text("1")')
})
await shot(H.page, '49-handler-tasks')
check((await H.page.textContent('[data-problem] [data-test=problem-status]')).includes('整改中'), 'progress shows 整改中 at once (unsent, offline-style)')
await act(H.page, '[data-problem]', 'resolve', '热水器已更换，经试用供水稳定')
check((await countSettled(H.page, '[data-problem]', 0)) === 0, 'resolved problem leaves 办理中 before the sync')
await H.page.click('.van-tab:has-text("已办结")')
await H.page.waitForSelector('[data-problem]')
check((await H.page.locator('[data-problem] :is([data-test=act-start], [data-test=act-progress], [data-test=act-resolve])').count()) === 0, 'no handler actions offered on a resolved problem')
check(await H.page.isVisible('[data-problem] [data-test=act-comment]'), 'a comment is still possible on a resolved problem')
await synced(H.page)
await synced(H.page)

// ---- HR: close (销号) with evidence and verifier; archive needs a connection; archive; ledger.
await synced(B.page)
await gotoApp(B.page, base + '/followup/hr')
await B.page.waitForSelector('[data-test=inbox-report] [data-test=act-close]', { timeout: 15000 })
check(await B.page.isVisible('[data-test=inbox-report] [data-test=timeline-photos] [data-test=attachment]'), 'HR sees the handler’s progress photo in the timeline before 销号')
await act(B.page, '[data-test=inbox-report]', 'close', '现场核实：热水供应正常，职工满意', async () => {
  check(!(await B.page.isVisible('[data-test="verifier-孙伟"]')) && !(await B.page.isVisible('[data-test="verifier-王丽娟"]')), '销号: neither the closer nor the handler department is offered as verifier')
  await B.page.click('[data-test="verifier-周桂芳"]')
  await B.page.setInputFiles('[data-test=action-photo]', { name: 'evidence.png', mimeType: 'image/png', buffer: PNG })
})
await synced(B.page)
await B.page.waitForSelector('[data-test=inbox-report] [data-test=problem-status]:has-text("已销号")', { timeout: 15000 })
check(true, 'closed (已销号)')

// ---- The employee says it is still not fixed: the cadre who raised it reopens it.
await synced(A.page)
await gotoApp(A.page, base + '/followup/reports?tab=progress')
await A.page.waitForSelector(`${ours} [data-test=act-reopen]`, { timeout: 15000 })
await act(A.page, ours, 'reopen', '职工反映夜班时段仍无热水')
check((await A.page.textContent(`${ours} [data-test=problem-status]`)).includes('整改中'), 'cadre reopens a closed problem: back to 整改中')
await synced(A.page)
await shot(A.page, '50a-cadre-reopened')

// ---- The handler's notification opens the problem's own page; it is back at work: comment, resolve.
await synced(H.page)
await gotoApp(H.page, base + '/inbox?tab=messages')
await H.page.click('[data-test=notification]:has-text("问题被重新打开")')
await H.page.waitForURL(/\/followup\/problems\/[0-9a-f-]{36}$/, { timeout: 15000 })
await H.page.waitForSelector('[data-test=problem-view] [data-problem]', { timeout: 15000 })
check((await H.page.textContent('[data-test=problem-view] [data-test=problem-status]')).includes('整改中') && (await H.page.textContent('[data-test=problem-view] [data-test=timeline]')).includes('职工反映夜班时段仍无热水'), 'reopen notification opens the problem page: 整改中 with the reason in the timeline')
await act(H.page, '[data-test=problem-view]', 'comment', '已与职工约定夜班时段复查')
await act(H.page, '[data-test=problem-view]', 'resolve', '加装恒温阀，夜班供水正常')
await shot(H.page, '50b-handler-problem-page')
await synced(H.page)
await synced(H.page)

// ---- HR closes it again.
await synced(B.page)
await gotoApp(B.page, base + '/followup/hr')
await B.page.waitForSelector('[data-test=inbox-report] [data-test=act-close]', { timeout: 15000 })
await act(B.page, '[data-test=inbox-report]', 'close', '夜班复查：热水正常', async () => {
  await B.page.click('[data-test="verifier-周桂芳"]')
  await B.page.setInputFiles('[data-test=action-photo]', { name: 'evidence-2.png', mimeType: 'image/png', buffer: PNG })
})
await synced(B.page)
await B.page.waitForSelector('[data-test=inbox-report] [data-test=problem-status]:has-text("已销号")', { timeout: 15000 })
check(true, 'closed again after the reopen')
// 归档 cannot be undone: it asks first; 暂不归档 leaves everything as it was (issue 17 point 7).
await B.page.click('[data-test=archive]')
await B.page.waitForSelector('.van-dialog:has-text("不能撤销")', { state: 'visible' })
await shot(B.page, '49-hr-archive-confirm')
await B.page.click('.van-dialog__cancel')
await B.page.waitForSelector('.van-dialog', { state: 'hidden' })
check(await B.page.isVisible('[data-test=archive]') && !(await B.page.isVisible('[data-test=archived-tag]')), 'archive cancelled: nothing archived')
await B.ctx.setOffline(true)
await B.page.click('[data-test=archive]')
await B.page.click('.van-dialog:has-text("不能撤销") .van-dialog__confirm')
await B.page.waitForSelector('.van-dialog:has-text("需要联网")', { state: 'visible' })
check(true, 'archive offline: clear message')
await shot(B.page, '50-hr-archive-offline')
await B.page.click('.van-dialog__confirm')
await B.page.waitForSelector('.van-dialog', { state: 'hidden' })
await B.ctx.setOffline(false)
await B.page.click('[data-test=archive]')
await B.page.click('.van-dialog:has-text("不能撤销") .van-dialog__confirm')
await B.page.waitForTimeout(1500)
if (await B.page.isVisible('.van-dialog')) { console.error('FAIL: archive refused:', await B.page.textContent('.van-dialog')); process.exitCode = 1 }
await synced(B.page)
// Archived, the report waits for nothing more from HR: it is listed under 已处理.
await B.page.click('[data-test=inbox-done]')
await B.page.waitForSelector('[data-test=archived-tag]', { timeout: 15000 })
check(true, 'archived (archive row pulled)')
const [zip] = await Promise.all([B.page.waitForEvent('download', { timeout: 30000 }), B.page.click('[data-test=dl-archive]')])
check(/^访谈归档-\d{4}-\d{2}-\d{2}-.+-.+\.zip$/.test(zip.suggestedFilename()) && !zip.suggestedFilename().includes(ivId), `archive zip named by date, place and form (${zip.suggestedFilename()})`)
const [dl] = await Promise.all([B.page.waitForEvent('download', { timeout: 30000 }), B.page.click('[data-test=dl-ledger]')])
check(dl.suggestedFilename().endsWith('.xlsx'), `ledger downloaded (${dl.suggestedFilename()})`)
await B.page.waitForTimeout(2000)
await shot(B.page, '51-hr-archived')

// ---- Cadre: the progress timeline; the receipt page is the server's, not the app shell (SW).
await synced(A.page)
await gotoApp(A.page, base + '/followup/reports?tab=progress')
await A.page.waitForSelector('[data-test=timeline]')
const tl = await A.page.textContent('[data-test=timeline]')
check(tl.includes('销号') && tl.includes('办结'), 'cadre sees the full timeline')
await shot(A.page, '52-cadre-timeline')
await A.page.goto(base + '/r/' + code)
check((await A.page.textContent('body')).includes('问题办理进度'), 'with the service worker installed, /r/ is the server page')

// ---- The employee's phone: /r/<code>, no account.
const P = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true })
const phone = await P.newPage()
const res = await phone.goto(base + '/r/' + code.toLowerCase().replace('-', ''))
const body = await phone.textContent('body')
check(res.status() === 200 && body.includes('问题办理进度') && body.includes('已办结'), 'receipt page on a phone: 已办结 (销号)')
check(body.includes('热水器已更换') && !body.includes('孙伟') && !body.includes('冬季夜班职工无法洗浴'), 'receipt page shows the public texts only')
await phone.screenshot({ path: `${out}/53-phone-receipt.png`, fullPage: true })

console.log(errors.join('\n') || 'no page errors')
check(errors.length === 0, 'no page errors')
await browser.close()
