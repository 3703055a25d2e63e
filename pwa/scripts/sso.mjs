// Single sign-on (docs/security.md "Single sign-on"): the login screen shows 企业统一登录 because the
// server says SSO is configured; a click goes through the (local, test-run) OpenID provider and back;
// the app exchanges the one-time code and continues exactly as after a password sign-in: the PIN
// setup, then work offline and a sync once back online. An unknown directory user (chosen by the
// driving test before the second run) sees the refusal in Chinese on the login screen.
// Usage: node scripts/sso.mjs http://127.0.0.1:8765 outdir <mode: ok | refused>
import { mkdirSync } from 'node:fs'
import { harness, launch, fill, setPinIfAsked, newInterview, synced } from './lib-confidential.mjs'
import { countSettled, textSettled, swControls } from './lib-wait.mjs'

const [base, out, mode] = process.argv.slice(2)
mkdirSync(out, { recursive: true })
const { errors, check } = harness(out)
const browser = await launch()
const ctx = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN' })
const page = await ctx.newPage()
page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
const urls = []
page.on('request', (r) => urls.push(r.url()))

await page.goto(base + '/login')
const button = await page.waitForSelector('[data-test=sso-oidc]', { timeout: 20000 })
check(((await button.innerText()) ?? '').includes('企业统一登录'), 'the login screen offers 企业统一登录')
await page.screenshot({ path: `${out}/01-login-with-sso.png` })
await button.click()

if (mode === 'refused') {
  const text = await textSettled(page, '[data-test=login-error]', (s) => s.length > 0, { timeout: 20000 })
  check(text.includes('未在访谈系统中开通') && !/[A-Za-z]/.test(text), `an unknown user is refused in Chinese (${text})`)
  check(!page.url().includes('sso_error'), 'the error code is cleared from the address bar')
  await page.screenshot({ path: `${out}/02-refused.png` })
} else {
  // The exchange of the one-time code runs on /login; the app leaves it once signed in (waiting for
  // that, as signInOn does after a password, not for any shell element that /login may show too).
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 30000 })
  check(await setPinIfAsked(page), 'after single sign-on: the PIN setup, as after a password sign-in')
  check(!page.url().includes('sso_code'), 'the one-time code is cleared from the address bar')
  check(!urls.some((u) => u.includes('access_token')), 'no token in any URL')
  await page.waitForFunction(() => /\d:\d/.test(document.querySelector('[data-test=last-sync]')?.textContent ?? ''), null, { timeout: 30000 })
  await swControls(page) // the service worker serves the app offline
  await ctx.setOffline(true)
  await newInterview(page, base, '统一登录后离线走访')
  await page.click('.van-tab:has-text("访谈要点")')
  await fill(page, 'note-input-business.2', '统一登录后离线记录的要点。')
  await page.click('[data-test="note-add-business.2"]')
  check((await countSettled(page, '[data-test=note]', 1)) === 1, 'the note is kept offline')
  await page.screenshot({ path: `${out}/02-offline-note.png` })
  await ctx.setOffline(false)
  await synced(page)
  check(true, 'synced after coming back online')
}
check(errors.length === 0, `no page errors (${errors.join(' | ')})`)
await browser.close()
