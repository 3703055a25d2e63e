// First sign-in with a one-time password (roster import, docs/administration.md): a new cadre signs
// in with the password from the printed slip and gets 设置新密码 before anything else — no PIN
// screen, no sync request; a common password is refused in Chinese; the new one is accepted, the
// PIN is set, and the app works as after any first sign-in: offline, the cadre starts an interview
// and writes a note, back online it syncs. Then 修改密码 on the status screen changes it again (a
// wrong current password refused first). The test checks the server side.
// Last, the admin resets the password (driven by the test) and the app, reopened from storage, is
// answered 403 auth.password_change_required and shows 设置新密码 again, asking for the new one-time one.
// Usage: node scripts/onetime.mjs http://127.0.0.1:8765 outdir <username> <one-time password> <new> <newer>
import { mkdirSync, readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { harness, launch, fill, setPinIfAsked, newInterview, synced, gotoApp, unlockIfLocked } from './lib-confidential.mjs'
import { countSettled, textSettled, swControls } from './lib-wait.mjs'

const [base, out, username, oneTime, NEW, NEWER, NEWEST] = process.argv.slice(2)
const rl = process.env.FANGTAN_CONTROL === '1' ? createInterface({ input: process.stdin }) : null
const stdinLines = rl ? rl[Symbol.asyncIterator]() : null
/** Ask the driver to act on the server; returns true once done (false when run by hand). */
async function control(what) {
  if (!stdinLines) { console.log(`note: not controlled (${what} skipped)`); return false }
  console.log(`control: ${what}`)
  const { value } = await stdinLines.next()
  if ((value ?? '').trim() !== 'done') throw new Error(`driver answered ${value} to ${what}`)
  return true
}
mkdirSync(out, { recursive: true })
const { errors, check } = harness(out)
const browser = await launch()
const ctx = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN' })
const page = await ctx.newPage()
page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
const calls = []
page.on('request', (r) => { const p = new URL(r.url()).pathname; if (p.startsWith('/api/')) calls.push(`${r.method()} ${p}`) })

await page.goto(base + '/login')
await fill(page, 'username', username)
await fill(page, 'password', oneTime)
await page.click('[data-test=login]')
await page.waitForSelector('[data-test=password-change]', { timeout: 20000 })
const screen = (await page.innerText('[data-test=password-change]')) ?? ''
check(screen.includes('设置新密码') && screen.includes('至少 10 个字符') && screen.includes('不能是常见密码'), 'after the one-time password: 设置新密码 with the policy stated')
check(!/[A-Za-z]/.test(screen), `no English on the Chinese screen (${JSON.stringify(screen.match(/[A-Za-z]+/g))})`)
check(!(await page.isVisible('[data-test=pin-setup]')), 'the PIN is not asked before the new password')
check(!(await page.isVisible('[data-test=pw-current]')), 'the one-time password just typed is not asked again')
await page.screenshot({ path: `${out}/01-set-new-password.png` })

// A common password: refused by the server, the reason in Chinese next to the field.
await fill(page, 'pw-new', 'qwertyuiop')
await fill(page, 'pw-new2', 'qwertyuiop')
await page.click('[data-test=pw-submit]')
const refusal = await textSettled(page, '[data-test=pw-new] .van-field__error-message', (s) => s.length > 0)
check(refusal.includes('太常见') && !/[A-Za-z]/.test(refusal), `a common password is refused in Chinese (${refusal})`)
check(await page.isVisible('[data-test=password-change]'), 'still on 设置新密码 after the refusal')
await page.screenshot({ path: `${out}/02-common-refused.png` })
check(!calls.some((c) => c.includes('/api/sync')), `nothing synced before the new password (${calls.join(', ')})`)

await fill(page, 'pw-new', NEW)
await fill(page, 'pw-new2', NEW)
await page.click('[data-test=pw-submit]')
await page.waitForSelector('[data-test=password-change]', { state: 'detached', timeout: 20000 })
check(await setPinIfAsked(page), 'after the new password: the PIN setup, as at any first sign-in')
await page.waitForFunction(() => /\d:\d/.test(document.querySelector('[data-test=last-sync]')?.textContent ?? ''), null, { timeout: 30000 })
check(calls.some((c) => c.includes('/api/sync')), 'the first sync ran after the PIN')
await swControls(page)

// Offline: an interview with a note.
await ctx.setOffline(true)
await newInterview(page, base, '新任班组长首次走访精馏岗位')
const ivId = page.url().split('/').pop()
await page.click('.van-tab:has-text("访谈要点")')
await fill(page, 'note-input-business.2', '回流泵密封渗漏，需安排检修。')
await page.click('[data-test="note-add-business.2"]')
check((await countSettled(page, '[data-test=note]', 1)) === 1, 'the note is kept offline')
check(!(await textSettled(page, '[data-test=pending]', (s) => !s.includes('已全部同步'))).includes('已全部同步'), 'work waits in the outbox while offline')
await page.screenshot({ path: `${out}/03-offline-note.png` })

await ctx.setOffline(false)
await synced(page)
console.log(`interview: ${ivId}`)
check(true, 'synced after coming back online')

// Voluntary 修改密码 on the status screen, the same form: the current password is asked.
await gotoApp(page, base + '/status')
await page.click('[data-test=change-password]')
await page.waitForSelector('[data-test=password-change] [data-test=pw-current]', { timeout: 10000 })
const form = await page.innerText('[data-test=password-change]')
check(form.includes('修改密码') && form.includes('至少 10 个字符'), '修改密码 shows the policy')
await fill(page, 'pw-current', 'not-my-password')
await fill(page, 'pw-new', NEWER)
await fill(page, 'pw-new2', NEWER)
await page.click('[data-test=pw-submit]')
const wrong = await textSettled(page, '[data-test=pw-current] .van-field__error-message', (s) => s.length > 0)
check(wrong.includes('当前密码错误') && !/[A-Za-z]/.test(wrong), `a wrong current password is refused in Chinese (${wrong})`)
await fill(page, 'pw-current', NEW)
await page.click('[data-test=pw-submit]')
await page.waitForSelector('[data-test=password-change]', { state: 'detached', timeout: 20000 })
check(true, '修改密码 accepted')
await page.screenshot({ path: `${out}/04-status-changed.png` })

// The admin resets the password to a new one-time one; the app reopened from storage learns it
// from the server's 403 and asks for the new one-time password and a new password.
if (await control('reset-password')) {
  const reset = readFileSync(`${out}/one-time-password.txt`, 'utf8').trim()
  await page.reload()
  await unlockIfLocked(page)
  await page.waitForSelector('[data-test=password-change] [data-test=pw-current]', { timeout: 30000 })
  const again = await page.innerText('[data-test=password-change]')
  check(again.includes('设置新密码') && !/[A-Za-z]/.test(again), 'a restored session answered 403 password_change_required shows 设置新密码 again')
  await page.screenshot({ path: `${out}/05-after-reset.png` })
  await fill(page, 'pw-current', reset)
  await fill(page, 'pw-new', NEWEST)
  await fill(page, 'pw-new2', NEWEST)
  await page.click('[data-test=pw-submit]')
  await page.waitForSelector('[data-test=password-change]', { state: 'detached', timeout: 20000 })
  await synced(page)
  check(true, 'after the reset: new password set and the app syncs again')
}

check(errors.length === 0, `no page errors (${errors.join(' | ')})`)
await browser.close()
rl?.close() // an open stdin reader would keep node running
