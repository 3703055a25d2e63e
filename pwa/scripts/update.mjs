// "有新版本": a new build is deployed while the cadre has unsynced work and an interview open.
// The prompt appears but waits while the interview is open; once it is closed, 立即更新 switches to
// the new service worker, and every local item (outbox, note composer draft) is still there.
// Usage: node scripts/update.mjs http://127.0.0.1:8765 OUTDIR DISTDIR
//   DISTDIR is the directory the server serves the app from: the script changes its sw.js there
//   (a new build), so give it a copy, never pwa/dist itself.
import { chromium } from 'playwright-core'
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs'
import { gotoApp, setPinIfAsked, unlockIfLocked } from './lib-confidential.mjs'
import { countSettled, textSettled, valueSettled, swControls } from './lib-wait.mjs'

const base = process.argv[2] ?? 'http://127.0.0.1:8765'
const out = process.argv[3] ?? '/tmp/pwa-shots'
const dist = process.argv[4]
if (!dist) throw new Error('usage: update.mjs URL OUTDIR DISTDIR (a copy of pwa/dist the server serves)')
mkdirSync(out, { recursive: true })
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
const check = (cond, msg) => { if (!cond) { console.error('FAIL:', msg); process.exitCode = 1 } else console.log('ok:', msg) }
const errors = []
const ctx = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN' })
const page = await ctx.newPage()
page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
const fill = (sel, v) => page.fill(`[data-test="${sel}"] input, [data-test="${sel}"] textarea`, v)

await page.goto(base + '/login')
await page.fill('[data-test=username] input', 'cadre')
await page.fill('[data-test=password] input', 'fangtan-demo')
await page.click('[data-test=login]')
await page.waitForURL('**/todo') // the cadre's home is 待办 (issue 17 point 1)
await setPinIfAsked(page)
await page.waitForFunction(() => /\d:\d/.test(document.querySelector('[data-test=last-sync]')?.textContent ?? ''), null, { timeout: 20000 })
await swControls(page)
const swBefore = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.scriptURL)

// Unsynced work: pushes are refused by the network from here on, so everything stays local.
await ctx.route('**/api/sync/push', (r) => r.abort('internetdisconnected'))
await gotoApp(page, base + '/interviews/new')
await fill('adhoc-reason', '版本更新前的临时加访')
await page.click('[data-test=form-walkthrough]')
await page.click('[data-test=start]')
await page.waitForURL(/\/interviews\/[0-9a-f-]{36}$/)
const ivUrl = page.url()
await fill('place', '合成车间压缩机房')
await page.click('.van-tab:has-text("访谈要点")')
await fill('note-input-demand.1', '压缩机房噪声大')
await page.click('[data-test="note-add-demand.1"]')
await page.click('[data-test="note-input-demand.2"] textarea')
await page.keyboard.type('尚未记下的要点')
await page.waitForTimeout(600)

// Deploy a new build: a byte-different sw.js, then let the browser look for it.
appendFileSync(`${dist}/sw.js`, `\n// new build ${Date.now()}\n`)
await page.evaluate(async () => { await (await navigator.serviceWorker.getRegistration())?.update() })
await page.waitForSelector('[data-test=update]', { timeout: 20000 })
check((await textSettled(page, '[data-test=update]', (t) => t.includes('有新版本'))).includes('有新版本'), '有新版本 is shown')
check(!(await page.isVisible('[data-test=update-now]')), 'no switch while an interview is open for editing')
await page.evaluate(() => { window.scrollTo(0, 0); document.querySelectorAll('*').forEach((el) => { if (el.scrollTop) el.scrollTop = 0 }) })
await page.screenshot({ path: `${out}/30-update-waiting.png` })
const stillOld = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting != null)
check(stillOld, 'the new version waits')

// Leave the interview: the update may switch now.
await gotoApp(page, base + '/interviews')
await page.waitForSelector('[data-test=update-now]', { timeout: 15000 })
await page.screenshot({ path: `${out}/31-update-ready.png` })
await Promise.all([page.waitForEvent('load', { timeout: 20000 }), page.click('[data-test=update-now]')])
// The reload starts locked, like every load.
await unlockIfLocked(page)
await page.waitForSelector('[data-test=interview-card]', { timeout: 15000 })
await page.waitForTimeout(800)
const after = await page.evaluate(async () => {
  const reg = await navigator.serviceWorker.getRegistration()
  return { waiting: reg?.waiting != null, active: reg?.active?.state, controlled: navigator.serviceWorker.controller != null }
})
check(!after.waiting && after.active === 'activated' && after.controlled, 'the new service worker is active and controls the page')
check(!(await page.isVisible('[data-test=update]')), 'the prompt is gone after the update')
check(readFileSync(`${dist}/sw.js`, 'utf8').includes('new build') && swBefore != null, 'a different sw.js was served')
check((await page.textContent('[data-test=pending]')).includes('待同步'), 'unsynced work still waiting after the update')
check((await page.textContent('[data-test=interview-card]')).includes('合成车间压缩机房'), 'the interview is still there')
await gotoApp(page, ivUrl)
await page.waitForSelector('[data-test=interview]')
await page.click('.van-tab:has-text("访谈要点")')
check((await countSettled(page, '[data-test=note]', 1)) === 1, 'the note is still there')
check((await valueSettled(page, '[data-test="note-input-demand.2"] textarea', '尚未记下的要点')) === '尚未记下的要点', 'the note composer draft is still there')
const outbox = await page.evaluate(async () => {
  const db = await new Promise((res, rej) => { const r = indexedDB.open('fangtan'); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error) })
  return new Promise((res) => { const r = db.transaction('outbox').objectStore('outbox').count(); r.onsuccess = () => res(r.result) })
})
check(outbox >= 2, `outbox kept across the update (${outbox} entries)`)
await page.screenshot({ path: `${out}/32-after-update.png` })
console.log(errors.join('\n') || 'no page errors')
await browser.close()
