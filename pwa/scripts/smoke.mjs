// Drive the built app in headless Chromium against a running fangtan server: sign in, cut the
// network (and, when driven by the browser tests, stop the server), capture an interview of each of
// the five forms with notes, a problem and a photo (validation errors included), reload and cold
// start offline with the server down, keep a voice memo interrupted by a reload, restore the
// network, sync, check the server through the API and in a second profile signed in as HR, and take
// screenshots of each main screen at tablet size (1024×768).
// Usage: node scripts/smoke.mjs http://127.0.0.1:8765 [outdir]   (system Chromium; never downloads)
// With FANGTAN_CONTROL=1 the script asks its driver (tests/e2e/browser) to stop and restart the
// server: it prints `control: stop-server` / `control: start-server` and waits for `done` on stdin.
import { chromium } from 'playwright-core'
import { mkdirSync, readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { gotoApp, setPinIfAsked, synced, unlockIfLocked } from './lib-confidential.mjs'
import { countSettled, settle, textSettled, valueSettled, swControls } from './lib-wait.mjs'

const base = process.argv[2] ?? 'http://127.0.0.1:8765'
const out = process.argv[3] ?? '/tmp/pwa-shots'
mkdirSync(out, { recursive: true })
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] })
const ctx = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN', permissions: ['microphone'] })
const errors = []
function watch(p, who = 'cadre') {
  p.on('pageerror', (e) => errors.push(`${who} pageerror: ${e.message}`))
  p.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource|ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED/.test(m.text())) errors.push(`${who} console: ${m.text()}`) })
  return p
}
let page = watch(await ctx.newPage())
const controlled = process.env.FANGTAN_CONTROL === '1'
const rl = controlled ? createInterface({ input: process.stdin }) : null
const stdinLines = rl ? rl[Symbol.asyncIterator]() : null
/** Ask the driver to act on the server; returns true once done (false when run by hand). */
async function control(what) {
  if (!controlled) { console.log(`note: not controlled, the server stays up (${what} skipped)`); return false }
  console.log(`control: ${what}`)
  const { value } = await stdinLines.next()
  if ((value ?? '').trim() !== 'done') throw new Error(`driver answered ${value} to ${what}`)
  return true
}
async function serverUp() {
  try { return (await fetch(base + '/api/health', { signal: AbortSignal.timeout(2000) })).ok } catch { return false }
}
const shot = async (name, full = false) => { await page.waitForTimeout(500); await page.screenshot({ path: `${out}/${name}.png`, fullPage: full }); console.log('shot', name) }
const fill = (sel, v) => page.fill(`[data-test="${sel}"] input, [data-test="${sel}"] textarea`, v)
const check = (cond, msg) => { if (!cond) { console.error('FAIL:', msg); process.exitCode = 1 } else console.log('ok:', msg) }

await page.goto(base + '/')
await page.waitForSelector('[data-test=username]')
await shot('01-login')
await fill('username', 'cadre')
await fill('password', 'fangtan-demo')
await page.click('[data-test=login]')
await page.waitForURL('**/todo') // the cadre's home is 待办 (issue 17 point 1)
// Every device sets its unlock PIN right after the first sign-in, before the first sync.
check(await setPinIfAsked(page), 'the PIN is asked for right after the first sign-in')
// Wait for the first sync (org units arrive) and for the service worker to control the page.
await page.waitForFunction(() => /\d:\d/.test(document.querySelector('[data-test=last-sync]')?.textContent ?? ''), null, { timeout: 20000 })
await swControls(page)
// A page the worker did not take over stays uncontrolled until asked: the worker's claim at
// activation skips a page whose navigation is still in flight (the recovery flake of session 8).
// A reload past the worker (Shift+reload) makes such a page on purpose; it must ask to be claimed,
// or the offline cold start below fails.
const cdp = await ctx.newCDPSession(page)
await Promise.all([page.waitForEvent('load'), cdp.send('Page.reload', { ignoreCache: true })])
await cdp.detach()
await unlockIfLocked(page)
const claimed = await settle(() => page.evaluate(() => navigator.serviceWorker.controller != null).catch(() => false), (c) => c, { timeout: 20000 })
check(claimed, 'a page loaded past the service worker is taken over by it (it asks to be claimed)')
await shot('02-interviews-empty')

// --- offline from here on, and (driven by the tests) the server is down too
await ctx.setOffline(true)
const stopped = await control('stop-server')
if (stopped) check(!(await serverUp()), 'server is down while the cadre works offline')
// A cold start on 我的访谈 (the home is 待办): offline, the service worker answers the navigation.
await page.goto(base + '/interviews')
await unlockIfLocked(page)
await page.waitForSelector('[data-test=new-interview]', { timeout: 15000 })
check((await textSettled(page, '[data-test=online]', (t) => t.includes('离线'))).includes('离线'), 'app shell starts offline (server down), status bar says 离线')
await page.click('[data-test=new-interview]')
await page.waitForSelector('[data-test=form-group]')
await page.click('[data-test=start]')
await shot('03-new-errors')
await fill('adhoc-reason', '甲醇合成塔检修期间职工反映加班较多')
await page.click('[data-test=form-group]')
await shot('03-new')
await page.click('[data-test=start]')
await page.waitForURL(/\/interviews\/[0-9a-f-]{36}$/)
const ivUrl = page.url()
await fill('theme', '检修期间的排班与安全')
await page.click('[data-test=add-participant]')
await fill('participant-0-post', '中控操作工')
await page.click('[data-test=add-participant]')
await fill('participant-1-post', '巡检工')
await fill('participant-1-name', '李强')
await fill('place', '甲醇车间会议室')
await page.waitForTimeout(400)
await shot('04-interview-basics')
// submit with only 2 people and nothing else: errors next to the fields, nothing lost
await page.click('[data-test=submit]')
await page.click('.van-tab:has-text("基本信息")')
check(await settle(() => page.isVisible('[data-test=participants-error]'), Boolean), 'group with 2 people shows an error')
await shot('05-interview-errors')
await page.click('[data-test=add-participant]')
await fill('participant-2-post', '维修钳工')
// notes
await page.click('.van-tab:has-text("访谈要点")')
await fill('note-input-business.2', '合成塔检修备件到货慢，等待时间长，影响检修进度。')
await page.click('[data-test="note-add-business.2"]')
await fill('note-input-demand.1', '检修现场夜间照明不足。')
await page.click('[data-test="note-add-demand.1"]')
await fill('note-input-demand.2', '连续加班后调休难以落实。')
await page.click('[data-test="note-add-demand.2"]')
await page.waitForTimeout(400)
await shot('06-interview-notes')
// briefing
await page.click('.van-tab:has-text("上情下达")')
await fill('conveyed', '传达了公司安全生产月的要求和检修期间的加班调休政策。')
await page.click('[data-test=understood-partly]')
await shot('07-interview-briefing')
// issue with a past due date
await page.click('.van-tab:has-text("问题")')
await page.click('[data-test=raise-issue]')
await page.waitForSelector('[data-test=issue-editor]')
await page.click('[data-test=cat-business]')
await fill('issue-description', '合成塔检修备件采购周期长，影响检修进度。')
await fill('issue-solution', '建立关键备件安全库存，提前一个月提报采购计划。')
await fill('issue-owner', '设备管理部 孙伟')
await page.fill('[data-test=issue-due] input', '2020-01-01')
await page.click('[data-test=issue-save]')
check((await textSettled(page, '[data-test=issue-editor]', (t) => t.includes('不能早于今天'))).includes('不能早于今天'), 'past due date refused in Chinese')
await shot('08-issue-error')
const future = new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10)
await page.fill('[data-test=issue-due] input', future)
await page.click('[data-test=issue-save]')
await page.click('[data-test=slip-close]') // the new problem's 回执 slip (issue 16)
await page.waitForSelector('[data-test=issue-card]')
await shot('09-interview-issues')
// photos: one too big, one fine
await page.click('.van-tab:has-text("照片与录音")')
await page.setInputFiles('[data-test=photo-input] >> nth=-1', { name: 'big.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(16 * 1024 * 1024, 1) })
await page.waitForSelector('[data-test=photo-error]')
check((await page.textContent('[data-test=photo-error]')).includes('超过'), 'oversized photo refused')
await page.setInputFiles('[data-test=photo-input] >> nth=-1', { name: '现场.png', mimeType: 'image/png', buffer: readFileSync(new URL('../public/pwa-512x512.png', import.meta.url)) })
await page.waitForSelector('[data-test=attachment] img')
// a short voice memo (fake microphone)
await page.click('[data-test=record]')
await page.waitForTimeout(1500)
await page.click('[data-test=stop]')
await page.waitForSelector('[data-test=attachment] audio', { timeout: 10000 })
// A second memo interrupted by a reload (as a crash would): the chunks already written are kept.
await page.click('[data-test=record]')
await page.waitForTimeout(2600)
await page.reload()
await unlockIfLocked(page)
await page.waitForSelector('[data-test=interview]')
await page.click('.van-tab:has-text("照片与录音")')
check((await countSettled(page, '[data-test=attachment] audio', 2)) === 2, 'voice memo interrupted by a reload is kept')
await shot('10-interview-media')
// summary
await page.click('.van-tab:has-text("访谈要点")')
// type into a composer and reload at once, focus still in the field (no blur, no "记下")
await page.click('[data-test="note-input-suggestion.1"] textarea')
await page.keyboard.type('建议备件库存共享')
await page.waitForTimeout(50)
await page.reload()
await unlockIfLocked(page)
await page.waitForSelector('[data-test=interview]')
await page.click('.van-tab:has-text("访谈要点")')
check((await valueSettled(page, '[data-test="note-input-suggestion.1"] textarea', '建议备件库存共享')) === '建议备件库存共享', 'note typed but not yet kept survives a reload')
await page.click('.van-tab:has-text("总结与提交")')
await page.click('[data-test=summary] textarea')
await page.keyboard.type('职工对检修期间加班强度和备件供应意见集中，需设备管理部牵头解决。')
// reload offline mid-interview: everything must still be there
await page.reload()
await unlockIfLocked(page)
await page.waitForSelector('[data-test=interview]')
check((await valueSettled(page, '[data-test=theme] input', '检修期间的排班与安全')) === '检修期间的排班与安全', 'theme survives an offline reload')
await page.click('.van-tab:has-text("访谈要点")')
check((await countSettled(page, '[data-test=note]', 3)) === 3, 'three notes after reload')
await page.click('.van-tab:has-text("总结与提交")')
check((await settle(() => page.inputValue('[data-test=summary] textarea'), (v) => v.includes('备件'))).includes('备件'), 'summary survives reload')
// Cold start: close the only tab and open the deep link in a new one, network cut and server down.
await page.close()
page = watch(await ctx.newPage())
await gotoApp(page, ivUrl)
await page.waitForSelector('[data-test=interview]', { timeout: 15000 })
check((await valueSettled(page, '[data-test=theme] input', '检修期间的排班与安全')) === '检修期间的排班与安全', 'cold start offline on a deep link shows the interview')
await page.click('.van-tab:has-text("问题")')
check((await countSettled(page, '[data-test=issue-card]', 1)) === 1, 'its problem is there after the cold start')
await page.click('.van-tab:has-text("照片与录音")')
// The tab renders its content when first shown, and each photo or memo only once its Blob has been
// read from IndexedDB and decrypted (AttachmentView): count them once they are shown.
const coldPhotos = await countSettled(page, '[data-test=attachment] img', 1)
const coldMemos = await countSettled(page, '[data-test=attachment] audio', 2)
check(coldPhotos === 1 && coldMemos === 2, `its photo and memos are there after the cold start (${coldPhotos} photo, ${coldMemos} memos)`)
await page.click('.van-tab:has-text("总结与提交")')
await page.click('[data-test=submit-bottom]')
await page.waitForSelector('.van-tag:has-text("已提交")')
await shot('11-submitted')
await gotoApp(page, base + '/interviews')
await page.waitForSelector('[data-test=interview-card]')
await shot('12-list-offline')
check((await textSettled(page, '[data-test=pending]', (t) => t.includes('待同步'))).includes('待同步'), 'pending count shown offline')

// The other four forms, each with what it needs, a note, a problem and a photo, submitted offline.
const png = readFileSync(new URL('../public/pwa-512x512.png', import.meta.url))
async function quick(form, fillBasics, label) {
  await gotoApp(page, base + '/interviews/new')
  await page.waitForSelector(`[data-test=form-${form}]`)
  await fill('adhoc-reason', `${label}：职工反映问题集中`)
  await page.click(`[data-test=form-${form}]`)
  await page.click('[data-test=start]')
  await page.waitForURL(/\/interviews\/[0-9a-f-]{36}$/)
  await fillBasics()
  await page.click('.van-tab:has-text("访谈要点")')
  await fill('note-input-management.1', `${label}：班组长沟通方式需要改进`)
  await page.click('[data-test="note-add-management.1"]')
  await page.click('.van-tab:has-text("问题")')
  await page.click('[data-test=raise-issue]')
  await page.waitForSelector('[data-test=issue-editor]')
  await page.click('[data-test=cat-management]')
  await fill('issue-description', `${label}中反映：交接班记录不规范`)
  await fill('issue-solution', '统一交接班记录模板')
  await page.click('[data-test=issue-save]')
  await page.click('[data-test=slip-close]') // the new problem's 回执 slip (issue 16)
  await page.waitForSelector('[data-test=issue-card]')
  await page.click('.van-tab:has-text("照片与录音")')
  // a distinct photo per form (trailing bytes change the hash, the PNG still renders)
  await page.setInputFiles('[data-test=photo-input] >> nth=-1', { name: `${form}.png`, mimeType: 'image/png', buffer: Buffer.concat([png, Buffer.from(form)]) })
  await page.waitForSelector('[data-test=attachment] img >> visible=true')
  await page.click('.van-tab:has-text("总结与提交")')
  await fill('summary', `${label}总结：意见集中在交接班管理。`)
  await page.click('[data-test=submit-bottom]')
  await page.waitForSelector('.van-tag:has-text("已提交")')
  check(true, `${label} (${form}) captured offline with a note, a problem and a photo`)
}
await quick('individual', async () => {
  await fill('participant-0-post', '化验员')
  await page.click('[data-test=participant-0-anonymous] .van-switch')
  await shot('11a-individual')
}, '个别访谈')
await quick('walkthrough', async () => { await fill('place', '气化车间二号炉检修现场') }, '现场走访')
await quick('online', async () => {
  await fill('channel', '企业微信视频')
  await fill('absence-reason', '倒班')
  await page.click('[data-test=add-participant]')
  await fill('participant-0-post', '倒班操作工')
}, '线上辅助访谈')
await quick('symposium', async () => {
  await fill('topic', '跨部门协同问题')
  await page.click('[data-test=departments]')
  await page.click('.van-popup .van-cell >> nth=1')
  await page.click('.van-popup .van-cell >> nth=2')
  await page.click('[data-test=unit-confirm]')
  await page.click('[data-test=consensus-add]')
  await fill('consensus-0', '检修计划需提前共享')
  await page.click('[data-test=disagreements-add]')
  await fill('disagreements-0', '备件费用由谁承担')
  await shot('11b-symposium')
}, '专题座谈会')
// Reload offline (server still down): all five interviews are listed, all waiting to sync.
await gotoApp(page, base + '/interviews')
await page.reload()
await unlockIfLocked(page)
await page.waitForSelector('[data-test=interview-card]')
check((await countSettled(page, '[data-test=interview-card]', 5)) === 5, 'five interviews listed after an offline reload')
check((await countSettled(page, '[data-test=interview-card] .van-tag:has-text("已提交")', 5)) === 5, 'all five submitted')
await shot('12b-list-offline-five')

// --- back online: sync
if (await control('start-server')) check(await serverUp(), 'server is back')
await ctx.setOffline(false)
// Synced: nothing pending and the sync (its pull, with any rejection, and the uploads) has ended.
await synced(page)
await shot('13-list-synced')
check((await page.textContent('[data-test=sync-now]')) && !(await page.isVisible('.van-badge:has-text("1")')), 'no rejections after syncing all forms')
// The server has them: read back through the API as the same user.
const login = await (await fetch(base + '/api/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'cadre', password: 'fangtan-demo', device_name: 'smoke check' }) })).json()
const pulled = await (await fetch(base + '/api/sync/pull?cursor=0&limit=10000', { headers: { Authorization: `Bearer ${login.access_token}` } })).json()
const ivs = pulled.changes.filter((c) => c.entity === 'interview' && c.row.status === 'submitted').map((c) => c.row.form)
for (const f of ['individual', 'group', 'walkthrough', 'online', 'symposium']) check(ivs.includes(f), `server has a submitted ${f} interview`)
const issueCount = pulled.changes.filter((c) => c.entity === 'issue').length
check(issueCount === 5, `server has the five problems (${issueCount})`)
const atts = pulled.changes.filter((c) => c.entity === 'attachment').map((c) => c.row.mime)
check(atts.some((m) => m.startsWith('audio/')) && atts.some((m) => m.startsWith('image/')), 'server has the photo and the voice memo')
for (const c of pulled.changes.filter((c) => c.entity === 'attachment')) {
  const h = await fetch(base + '/api/blobs/' + c.row.sha256, { method: 'HEAD', headers: { Authorization: `Bearer ${login.access_token}` } })
  check(h.status === 200, `blob ${c.row.mime} uploaded (${h.status})`)
}
await gotoApp(page, ivUrl)
await page.waitForSelector('[data-test=interview]')
await shot('14-interview-synced')
await gotoApp(page, base + '/issues')
await page.waitForSelector('[data-test=issue-row]')
await shot('15-issues')
await gotoApp(page, base + '/inbox?tab=rejections')
await shot('16-inbox')
await gotoApp(page, base + '/status')
await shot('17-status')

// A second browser profile signed in as HR: after its sync, its app lists the cadre's interviews.
const hrCtx = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN' })
const hr = watch(await hrCtx.newPage(), 'hr')
await hr.goto(base + '/login')
await hr.fill('[data-test=username] input', 'hr')
await hr.fill('[data-test=password] input', 'fangtan-demo')
await hr.click('[data-test=login]')
await hr.waitForURL((u) => !u.pathname.startsWith('/login'))
await setPinIfAsked(hr)
await hr.waitForFunction(() => /\d:\d/.test(document.querySelector('[data-test=last-sync]')?.textContent ?? ''), null, { timeout: 20000 })
await hr.click('text=访谈记录')
await hr.waitForSelector('[data-test=interview-card]', { timeout: 15000 })
const hrLabels = ['个别访谈', '小组座谈', '现场走访', '线上辅助访谈', '专题座谈会']
const hrCards = await settle(() => hr.locator('[data-test=interview-card]').allTextContents(),
  (cards) => hrLabels.every((label) => cards.some((c) => c.includes(label) && c.includes('已提交'))), { timeout: 15000 })
for (const label of hrLabels) check(hrCards.some((c) => c.includes(label) && c.includes('已提交')), `HR's app lists the cadre's submitted ${label}`)
await hr.screenshot({ path: `${out}/18-hr-interviews.png` })
console.log('shot 18-hr-interviews')
await gotoApp(hr, ivUrl)
await hr.waitForSelector('[data-test=interview]')
await hr.click('.van-tab:has-text("问题")')
await hr.waitForSelector('[data-test=issue-card]', { timeout: 10000 })
check((await textSettled(hr, '[data-test=issue-card]', (t) => t.includes('备件'))).includes('备件'), 'HR opens the group interview and sees its problem')
await hr.click('.van-tab:has-text("照片与录音")')
await hr.waitForSelector('[data-test=attachment] img', { timeout: 10000 })
check(true, 'HR sees the photo')
await hr.screenshot({ path: `${out}/19-hr-interview-media.png` })
console.log(errors.join('\n') || 'no page errors')
await browser.close()
rl?.close() // stdin would keep node alive
