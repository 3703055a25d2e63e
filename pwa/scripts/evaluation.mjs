// Anonymous evaluation end to end (issue 7 item 3, docs/evaluation.md) against a real server:
// the cadre's tablet fills its ticket pool while online, then, offline, shows QR tickets one at a
// time; a phone-sized browser (zh-CN) opens the rating page of one ticket, loses its signal, rates,
// and the answer is submitted once the signal is back; HR's results, dashboard and assessment show
// the quarter still collecting as 待发布 (with its release date) whatever the number of responses,
// and the previous quarter (seeded by the test: 6 responses for 刘海涛, 2 for 陈晓东) released.
// Usage: node scripts/evaluation.mjs http://127.0.0.1:8765 [outdir]
import { mkdirSync } from 'node:fs'
import { gotoApp, harness, launch, signIn } from './lib-confidential.mjs'
import { swControls } from './lib-wait.mjs'

const base = process.argv[2] ?? 'http://127.0.0.1:8765'
const out = process.argv[3] ?? '/tmp/pwa-shots'
mkdirSync(out, { recursive: true })
const { errors, check } = harness(out)
const browser = await launch()
const shot = async (page, name) => { await page.waitForTimeout(300); await page.screenshot({ path: `${out}/${name}.png` }) }

// ---- The cadre's tablet: the pool fills after sync, then tickets are shown offline.
const A = await signIn(browser, base, 'cadre', errors)
await swControls(A.page)
await gotoApp(A.page, base + '/evaluation/tickets')
await A.page.waitForFunction(() => /可用评价码：50 张/.test(document.querySelector('[data-test=tickets-unused]')?.textContent ?? ''), null, { timeout: 30000 })
check(true, 'the tablet holds a pool of 50 tickets after syncing')
await A.ctx.setOffline(true)
await gotoApp(A.page, base + '/evaluation/tickets')
await A.page.waitForSelector('[data-test=tickets-unused]')
await A.page.fill('[data-test=ticket-count] input', '5')
await A.page.locator('[data-test=ticket-count] input').blur()
await shot(A.page, '70-tablet-tickets-offline')
await A.page.click('[data-test=tickets-show]')
await A.page.waitForSelector('[data-test=ticket-fullscreen]')
const tickets = []
for (let i = 0; i < 5; i++) {
  await A.page.waitForFunction((n) => document.querySelector('[data-test=ticket-fullscreen]')?.textContent?.includes(`第 ${n} / 5 张`), i + 1)
  await A.page.waitForSelector('[data-test=ticket-qr] svg')
  const number = (await A.page.textContent('[data-test=ticket-number]')).trim()
  const qrText = await A.page.getAttribute('[data-test=ticket-qr]', 'data-qr-text')
  tickets.push(number)
  if (i === 0) {
    check(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/.test(number), `offline tablet shows a ticket number: ${number}`)
    check(qrText === `${base}/e/${number.replaceAll('-', '')}`, `the QR code links to the rating page: ${qrText}`)
    await shot(A.page, '71-tablet-ticket-fullscreen')
  }
  if (i < 4) await A.page.click('[data-test=ticket-next]')
}
check(new Set(tickets).size === 5, 'five different tickets, one per participant')
await A.page.click('[data-test=ticket-done]')
await A.page.waitForFunction(() => /可用评价码：45 张/.test(document.querySelector('[data-test=tickets-unused]')?.textContent ?? ''))
check(true, 'shown tickets are marked handed out on the tablet (45 left)')
// A printed sheet (offline too): one slip per participant with its number under the QR code.
await A.page.evaluate(() => { window.print = () => { window.__printed = (window.__printed ?? 0) + 1 } })
await A.page.fill('[data-test=ticket-count] input', '6')
await A.page.locator('[data-test=ticket-count] input').blur()
await A.page.click('[data-test=tickets-print]')
await A.page.waitForSelector('[data-test=ticket-sheet] .slip svg')
await A.page.waitForFunction(() => window.__printed === 1)
const slips = await A.page.$$eval('[data-test=slip-number]', (els) => els.map((e) => e.textContent.trim()))
check(slips.length === 6 && slips.every((n) => /^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/.test(n)) && !slips.some((n) => tickets.includes(n)),
  `print sheet: 6 new slips with their numbers (${slips[0]} …) and the print dialog opened`)
await A.page.emulateMedia({ media: 'print' })
await shot(A.page, '78-tablet-print-sheet')
await A.page.emulateMedia({ media: 'screen' })
await A.page.click('[data-test=ticket-sheet] .sheet-bar .van-button')
await A.page.waitForFunction(() => /可用评价码：39 张/.test(document.querySelector('[data-test=tickets-unused]')?.textContent ?? ''))
check(true, 'printed tickets are marked handed out too (39 left)')

// ---- HR before any rating reaches k.
const H = await signIn(browser, base, 'hr', errors)

// ---- A phone: iPhone-sized, Chinese; the signal drops while rating.
const P = await browser.newContext({
  viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true, locale: 'zh-CN',
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
})
const phone = await P.newPage()
phone.on('pageerror', (e) => errors.push(`phone pageerror: ${e.message}`))
async function rate(ticket, scores, comment, { offline = false } = {}) {
  const res = await phone.goto(`${base}/e/${ticket.replaceAll('-', '')}`)
  check(res.status() === 200, `rating page opens for ${ticket}`)
  if (offline) await P.setOffline(true)
  for (const [field, v] of Object.entries(scores)) await phone.click(`[data-field=${field}] label:nth-child(${v})`)
  if (comment) await phone.fill('#comment', comment)
  await phone.click('#submit')
}
const first = { attitude: 4, professionalism: 5, responsiveness: 3 }
await rate(tickets[0], first, '车间班前会讲得很清楚，希望热水问题尽快解决', { offline: true })
await phone.waitForFunction(() => document.querySelector('#status')?.textContent?.includes('等待网络'))
check(true, 'offline phone keeps the answer: 等待网络')
const stored = await phone.evaluate(() => localStorage.getItem('fangtan.eval.pending'))
check(stored && stored.includes('"attitude":4'), 'the answer waits in localStorage')
await shot(phone, '72-phone-waiting-offline')
await phone.waitForTimeout(1500)
await P.setOffline(false)
await phone.waitForFunction(() => document.querySelector('#status')?.textContent?.includes('已提交'), null, { timeout: 30000 })
check(true, 'back online, the phone submits: 已提交')
check((await phone.evaluate(() => localStorage.getItem('fangtan.eval.pending'))) === '{}', 'nothing left pending on the phone')
await shot(phone, '73-phone-submitted')
// The same ticket again: refused, nothing stored.
const again = await phone.goto(`${base}/e/${tickets[0].replaceAll('-', '')}`)
check(again.status() === 409 && (await phone.textContent('body')).includes('此评价码已使用'), 'a used ticket says 此评价码已使用')

// The quarter still collecting (its cells are released the second day of the next quarter) and the
// previous one, which is over: the test seeded it before this script started.
const now = new Date()
const year = now.getFullYear()
const quarter = Math.floor(now.getMonth() / 3) + 1
const period = `${year}Q${quarter}`
const release = quarter === 4 ? `${year + 1}-01-02` : `${year}-${String(3 * quarter + 1).padStart(2, '0')}-02`
const [prevYear, prevQuarter] = quarter === 1 ? [year - 1, 4] : [year, quarter - 1]
async function pickPeriod(page, prefix, y, q) {
  if (y !== year) {
    await page.fill(`[data-test=${prefix}-year] input`, String(y))
    await page.locator(`[data-test=${prefix}-year] input`).blur()
  }
  await page.selectOption(`[data-test=${prefix}-quarter]`, String(q))
}
async function expectPending(what) {
  await gotoApp(H.page, base + '/evaluation/results')
  await H.page.waitForSelector(`[data-test="eval-pending-${period}"]`, { timeout: 20000 })
  const text = await H.page.textContent(`[data-test="eval-pending-${period}"]`)
  check(text.includes('待发布') && text.includes(release), `HR: ${what}: ${period} shows 待发布 until ${release}`)
  check(await H.page.isVisible('[data-test=eval-none]') && !(await H.page.isVisible('[data-test=eval-cell-刘海涛]'))
    && !(await H.page.isVisible('[data-test=eval-suppressed-刘海涛]')), `HR: ${what}: no cell, no score, no count`)
  check((await H.page.textContent('[data-test=eval-pooled-responses]')).includes('0'), `HR: ${what}: the total counts nothing of the open quarter`)
}

// ---- HR: 1 response: pending.
await expectPending('after 1 response')
await shot(H.page, '74-hr-results-pending')

// ---- Four more ratings: k = 5 reached, still pending.
for (let i = 1; i < 5; i++) {
  await rate(tickets[i], { attitude: 5, professionalism: 4, responsiveness: 4 }, '')
  await phone.waitForFunction(() => document.querySelector('#status')?.textContent?.includes('已提交'), null, { timeout: 30000 })
}
check(true, 'four more ratings submitted')
await expectPending('after k = 5 responses')

// ---- The previous quarter is over: released.
await pickPeriod(H.page, 'eval', prevYear, prevQuarter)
await H.page.waitForSelector('[data-test=eval-cell-刘海涛]', { timeout: 20000 })
const row = await H.page.textContent('[data-test=eval-cell-刘海涛]')
// seeded: 3 x (5, 4, 3) and 3 x (4, 4, 4): 4.50, 4.00, 3.50
const pooledCount = (await H.page.textContent('[data-test=eval-cell-刘海涛] td:nth-child(3)')).trim()
check(row.includes('4.50') && row.includes('4.00') && row.includes('3.50') && pooledCount === '6', `HR: pooled result of a quarter that is over: ${row.replace(/\s+/g, ' ')}`)
check(await H.page.isVisible('[data-test=eval-suppressed-陈晓东]'), 'HR: a cadre below k in a quarter that is over is listed as suppressed, no scores')
check((await H.page.textContent('body')).includes('意见建议需至少 10 份评价才显示'), 'HR: comments stay hidden below their own k')
await shot(H.page, '75-hr-results-pooled')

// ---- HR types in a paper questionnaire (纸质问卷) against a printed slip's number.
await gotoApp(H.page, base + '/evaluation/results')
await H.page.waitForSelector(`[data-test="eval-pending-${period}"]`, { timeout: 20000 })
await H.page.fill('[data-test=paper-ticket] input', slips[0].toLowerCase())
for (const [field, v] of [['attitude', 3], ['professionalism', 4], ['responsiveness', 2]]) {
  await H.page.click(`[data-test=paper-${field}] .van-rate__item:nth-child(${v})`)
}
await H.page.click('[data-test=paper-submit]')
await H.page.waitForFunction(() => (document.querySelector('[data-test=paper-ticket] input')?.value ?? 'x') === '', null, { timeout: 10000 })
check(true, 'HR: a paper questionnaire entered by its printed number is recorded')
await expectPending('after the paper questionnaire')
await H.page.fill('[data-test=paper-ticket] input', slips[0])
for (const field of ['attitude', 'professionalism', 'responsiveness']) await H.page.click(`[data-test=paper-${field}] .van-rate__item:nth-child(5)`)
await H.page.click('[data-test=paper-submit]')
await H.page.waitForSelector('.van-dialog__message:has-text("此评价码已经使用过")', { timeout: 10000 })
check(true, 'HR: the same printed number twice is refused: 此评价码已经使用过')
await shot(H.page, '79-hr-paper-refused')
await H.page.click('.van-dialog__confirm')

// ---- HR's dashboard (ECharts loaded only there) and the cadre assessment.
const chartsLoaded = () => H.page.evaluate(() => performance.getEntriesByType('resource').some((e) => /\/echarts-[^/]*\.js$/.test(e.name)))
check(!(await chartsLoaded()), 'ECharts is not loaded outside the dashboards')
await H.page.click('.van-sidebar-item:has-text("统计看板"), a:has-text("统计看板"), :text("统计看板")')
await H.page.waitForURL('**/dashboards')
await H.page.waitForSelector(`[data-test="scores-pending-${period}"]`, { timeout: 20000 })
check((await H.page.textContent(`[data-test="scores-pending-${period}"]`)).includes(release), `dashboard: ${period} ratings 待发布 until ${release}`)
check((await H.page.textContent('[data-test=stat-responses]')).trim().startsWith('0'), 'dashboard: no rating of the open quarter counted')
await pickPeriod(H.page, 'period', prevYear, prevQuarter)
await H.page.waitForSelector('[data-test=chart-scores] canvas', { timeout: 20000 })
check(await chartsLoaded(), 'the dashboard loads ECharts and draws the scores chart')
await H.page.waitForFunction(() => document.querySelector('[data-test=stat-responses] b')?.textContent?.trim() === '6', null, { timeout: 20000 })
check(true, 'dashboard: the 6 released ratings of the quarter that is over counted')
await shot(H.page, '76-hr-dashboard')
await gotoApp(H.page, base + '/assessment')
await H.page.waitForSelector('[data-test=assessment-刘海涛]', { timeout: 20000 })
check((await H.page.textContent('[data-test=assessment-刘海涛]')).includes(`待发布（${release} 发布）`), 'assessment: the open quarter shows 待发布 with its release date')
await pickPeriod(H.page, 'period', prevYear, prevQuarter)
await H.page.waitForFunction(() => document.querySelector('[data-test=assessment-刘海涛]')?.textContent?.includes('n=6'), null, { timeout: 20000 })
const liu = await H.page.textContent('[data-test=assessment-刘海涛]')
const chen = await H.page.textContent('[data-test=assessment-陈晓东]')
check(liu.includes('4.50') && liu.includes('n=6'), `assessment: pooled scores of 刘海涛: ${liu.replace(/\s+/g, ' ')}`)
check(chen.includes('样本不足'), 'assessment: a cadre without k ratings shows 样本不足')
await shot(H.page, '77-hr-assessment')

check(errors.length === 0, `no page errors ${JSON.stringify(errors)}`)
await browser.close()
