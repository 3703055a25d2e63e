// 回执码 in the employee's hand (issue #16 points 1 and 8), in headless Chromium against a running
// fangtan server: the cadre's tablet (1024×768) fills its reserved pool while online; with the
// network cut and the server STOPPED (driven by tests/e2e/browser) it raises a problem and shows the
// code and its QR at once, and the rating tickets' QR screen says the phone needs a signal once; the
// server comes back, the tablet syncs, HR assigns (driver, API); a phone (390×844) opens /r/<code>
// and sees the 公开摘要, the department and the expected date, and opens the rating link and sees
// the cadre's name and the interview's date and place.
// Usage: node scripts/receipt.mjs http://127.0.0.1:8765 [outdir]
// With FANGTAN_CONTROL=1 it prints `control: stop-server` / `start-server` / `assign-problem <code>`
// and waits for `done` on stdin.
import { mkdirSync } from 'node:fs'
import { fill as fillOn, gotoApp, harness, launch, newInterview, receiptPoolSize, signInOn, synced } from './lib-confidential.mjs'
import { settle, swControls, textSettled } from './lib-wait.mjs'
import { driverControls, serverUp as serverUpAt } from './lib-control.mjs'

const base = process.argv[2] ?? 'http://127.0.0.1:8765'
const out = process.argv[3] ?? '/tmp/pwa-shots-receipt'
mkdirSync(out, { recursive: true })
const { errors, check } = harness(out)
const { control, close } = driverControls()
const serverUp = () => serverUpAt(base)
const shot = async (page, name) => { await page.screenshot({ path: `${out}/${name}.png` }); console.log('shot', name) }
const poolSize = receiptPoolSize

const browser = await launch()
// ---- the cadre's tablet, online: sign in, sync, the pool of reserved codes arrives
const tablet = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN' })
const page = await tablet.newPage()
page.on('pageerror', (e) => errors.push(`tablet pageerror: ${e.message}`))
await signInOn(page, base, 'cadre')
await swControls(page)
const size = await settle(() => poolSize(page), (n) => n === 100, { timeout: 30000 })
check(size === 100, `the tablet holds 100 reserved receipt codes after syncing (${size})`)
await gotoApp(page, base + '/status')
check((await textSettled(page, '[data-test=st-receipt-pool]', (t) => t.includes('100'))).includes('本机预留回执码'), '同步与存储 shows the reserved receipt codes (100)')
await gotoApp(page, base + '/evaluation/tickets')
await page.waitForFunction(() => /可用评价码：50 张/.test(document.querySelector('[data-test=tickets-unused]')?.textContent ?? ''), null, { timeout: 30000 })

// ---- offline, server stopped
await tablet.setOffline(true)
if (await control('stop-server')) check(!(await serverUp()), 'server is down while the cadre works offline')
const ivUrl = await newInterview(page, base, '夜班职工反映热水供应问题')
await fillOn(page, 'place', '甲醇车间会议室')
await page.click('.van-tab:has-text("问题")')
await page.click('[data-test=raise-issue]')
await page.waitForSelector('[data-test=issue-editor]')
await page.click('[data-test=cat-demand]')
await fillOn(page, 'issue-description', '夜班更衣室没有热水，职工王某多次反映。')
await fillOn(page, 'issue-public-summary', '夜班更衣室热水')
await fillOn(page, 'issue-solution', '加装储水式热水器')
const due = new Date(Date.now() + 20 * 86400e3).toISOString().slice(0, 10)
await page.fill('[data-test=issue-due] input', due)
await page.click('[data-test=issue-save]')
await page.waitForSelector('[data-test=receipt-slip]', { timeout: 15000 })
const code = ((await page.textContent('[data-test=slip-receipt-code]')) ?? '').trim()
check(/^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}$/.test(code), `offline, the code is shown at once: ${code}`)
const qr = await page.getAttribute('[data-test=slip-receipt-qr]', 'data-qr-text')
check(qr?.endsWith(`/r/${code}`) && (await page.locator('[data-test=slip-receipt-qr] svg').count()) === 1, `the QR code links to /r/${code}`)
check(((await page.textContent('[data-test=slip-signal]')) ?? '').includes('网络信号'), 'the slip says the phone needs a signal')
await shot(page, '80-tablet-offline-receipt-slip')
// the printable slip: print media shows the slip alone, without its buttons
await page.emulateMedia({ media: 'print' })
check(!(await page.isVisible('[data-test=slip-print]')) && (await page.isVisible('[data-test=slip-receipt-code]')), 'print view: the slip without its buttons')
await shot(page, '80b-tablet-receipt-slip-print')
await page.emulateMedia({ media: 'screen' })
check(await settle(() => poolSize(page), (n) => n === 99), 'the spent code left the pool (99 left)')
await page.click('[data-test=slip-close]')
// the code stays on the problem card, also after a reload (spent with the problem, never reused)
await page.reload()
await gotoApp(page, ivUrl)
await page.click('.van-tab:has-text("问题")')
check((await textSettled(page, '[data-test=issue-card]', (t) => t.includes(code))).includes(code), 'after a reload the problem card shows the same code')
check((await poolSize(page)) === 99, 'a reload does not give the code back to the pool')
await page.click('[data-test=issue-slip]')
check((await textSettled(page, '[data-test=slip-receipt-code]', (t) => t.includes(code))).includes(code), 'the slip opens again from the problem card (to reprint)')
await page.click('[data-test=slip-close]')
await page.waitForSelector('[data-test=receipt-slip]', { state: 'detached' })
// the rating tickets' QR screen, offline, with the interview's date and place
await page.click('[data-test=hand-out-tickets]')
await page.waitForSelector('[data-test=tickets-show]')
await page.click('[data-test=tickets-show]')
await page.waitForSelector('[data-test=ticket-qr] svg')
const rateUrl = await page.getAttribute('[data-test=ticket-qr]', 'data-qr-text')
check(/\/e\/[^#]+#d=.+&p=/.test(rateUrl ?? ''), `the rating QR carries date and place in its fragment: ${rateUrl}`)
check(((await page.textContent('[data-test=ticket-signal]')) ?? '').includes('网络信号'), 'the ticket QR screen says the phone needs a signal once')
await shot(page, '81-tablet-offline-ticket-qr')
await page.click('[data-test=ticket-done]').catch(() => undefined)

// ---- server back, sync
if (await control('start-server')) check(await serverUp(), 'server is back')
await tablet.setOffline(false)
await gotoApp(page, ivUrl)
await synced(page)
check(true, 'the tablet synced')
const assigned = await control('assign-problem')

// ---- the employee's phone
const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true })
const p = await phone.newPage()
const res = await p.goto(`${base}/r/${code}`)
const text = (await p.textContent('body')) ?? ''
check(res?.status() === 200, `/r/${code} answers 200 on the phone`)
check(text.includes('夜班更衣室热水'), 'the receipt page shows the public summary')
const dept = text.match(/责任部门：[^预<]+/)?.[0] ?? ''
check(assigned ? dept.includes('设备管理部') : dept.includes('待交办'), `the receipt page shows the department: ${dept}`)
check(text.includes('预计完成：') && /\d{4}年\d{2}月\d{2}日/.test(text), 'the receipt page shows the expected completion date')
check(!text.includes('王某') && !text.includes('刘海涛'), 'the receipt page names nobody')
await shot(p, '82-phone-receipt-page')
await p.goto(rateUrl)
const rated = await textSettled(p, '[data-test=rated]', (t) => t.includes('地点'))
check(rated.includes('被评价干部：刘海涛'), `the rating page names the cadre: ${rated}`)
check(rated.includes('访谈日期：') && rated.includes('地点：甲醇车间会议室'), 'the rating page shows the interview date and place')
await shot(p, '83-phone-rating-page')

check(errors.length === 0, `no page errors (${errors.join('; ')})`)
await browser.close()
close() // stdin would keep node alive
