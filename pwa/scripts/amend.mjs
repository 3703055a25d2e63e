// Submitted records are not silently edited (issue 13 point 9), in the real app: HR and the
// supervisor open a cadre's submitted, signed interview and get no edit screen — fields read-only, no
// save button, the reason in Chinese; the cadre taps 修改已提交的记录, is asked for the reason (an empty
// one is refused), amends the summary, and after syncing the record's 修改历史 shows who and why and the
// signature state reads 签名后已修改 — on the cadre's screen and on HR's.
// Usage: node scripts/amend.mjs http://127.0.0.1:8765 outdir <interview id>
import { chromium } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { signIn, gotoApp, synced } from './lib-confidential.mjs'
import { textSettled } from './lib-wait.mjs'

const base = process.argv[2] ?? 'http://127.0.0.1:8765'
const out = process.argv[3] ?? '/tmp/pwa-shots'
const id = process.argv[4]
mkdirSync(out, { recursive: true })
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
const check = (cond, msg) => { if (!cond) { console.error('FAIL:', msg); process.exitCode = 1 } else console.log('ok:', msg) }
const errors = []
const REASON = '补记会后职工反映的备件短缺'

async function open(user) {
  const p = await signIn(browser, base, user, errors)
  await synced(p.page)
  await gotoApp(p.page, `${base}/interviews/${id}`)
  await p.page.waitForSelector('[data-test=interview] [data-test=amendment-history]', { timeout: 20000 })
  return p
}
async function summaryReadonly(page) {
  await page.click('.van-tab:has-text("总结与提交")')
  await page.waitForSelector('[data-test=summary] textarea')
  return page.$eval('[data-test=summary] textarea', (el) => el.readOnly)
}

for (const user of ['hr', 'supervisor']) {
  const { page, ctx } = await open(user)
  await page.waitForSelector('[data-test=signed]', { timeout: 20000 })
  const why = (await page.textContent('[data-test=edit-locked]')) ?? ''
  check(why.includes('已提交的记录只能由参加访谈的干部本人修改'), `${user}: the screen says why it cannot be edited`)
  check(!(await page.isVisible('[data-test=submit]')) && !(await page.isVisible('[data-test=amend-start]')), `${user}: no save or amend button`)
  check(await summaryReadonly(page), `${user}: the summary is read-only`)
  check(!(await page.isVisible('[data-test=submit-bottom]')), `${user}: no save button under the summary`)
  await page.screenshot({ path: `${out}/10-${user}-locked.png` })
  await ctx.close()
}

const C = await open('cadre')
await C.page.waitForSelector('[data-test=signed]', { timeout: 20000 })
check((await C.page.textContent('[data-test=amend-hint]'))?.includes('注明原因'), 'cadre: told that a correction needs a reason')
check(await summaryReadonly(C.page), 'cadre: read-only until the amendment is started')
await C.page.click('[data-test=amend-start]')
await C.page.waitForSelector('[data-test=amend-dialog] [data-test=amend-reason] textarea', { state: 'visible' })
await C.page.click('[data-test=amend-dialog] .van-dialog__confirm')
check(await textSettled(C.page, '[data-test=amend-dialog]', (s) => s.includes('请填写修改原因')), 'an empty reason is refused')
await C.page.fill('[data-test=amend-dialog] [data-test=amend-reason] textarea', REASON)
await C.page.click('[data-test=amend-dialog] .van-dialog__confirm')
await C.page.waitForSelector('[data-test=amending]', { timeout: 10000 })
check(!(await summaryReadonly(C.page)), 'cadre: editable once the reason is given')
await C.page.fill('[data-test=summary] textarea', '循环泵密封问题突出；补记：备件短缺，需采购机械密封。')
await C.page.click('[data-test=submit-bottom]')
await synced(C.page)
await synced(C.page)
await C.page.waitForSelector('[data-test=amended-after-signing]', { timeout: 20000 })
check((await C.page.textContent('[data-test=amended-after-signing]')).includes('签名后已修改'), 'cadre: 签名后已修改')
check((await C.page.textContent('[data-test=amendment-history]')).includes(REASON), 'cadre: the history shows the reason')
await C.page.screenshot({ path: `${out}/20-cadre-amended.png` })
await C.ctx.close()

const H = await open('hr')
await H.page.waitForSelector('[data-test=amended-after-signing]', { timeout: 20000 })
const history = (await H.page.textContent('[data-test=amendment-history]')) ?? ''
check(history.includes(REASON) && history.includes('刘海涛') && history.includes('访谈摘要'), 'HR: the history names who, which field and why')
check(!(await H.page.isVisible('[data-test=signed]')), 'HR: 已签名 is no longer claimed')
await H.page.screenshot({ path: `${out}/30-hr-history.png` })
await H.ctx.close()

check(errors.length === 0, `no page errors (${errors.join(' | ')})`)
await browser.close()
