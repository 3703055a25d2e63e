// The PWA over real TLS (docs/deploy.md): Chromium trusts the plant CA through the NSS database
// under $HOME/.pki/nssdb (the driver makes it with certutil) and resolves fangtan.plant.test to
// loopback. Over HTTPS the service worker registers, the PIN is set (crypto.subtle), an interview
// is captured offline and synced. Over plain HTTP (a second server on the same data) only the
// "open over HTTPS" page shows, in Chinese and in English, and no request posts anything.
// Usage: node scripts/https.mjs https://fangtan.plant.test:PORT OUT http://fangtan.plant.test:PORT2
import { chromium } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { fill, harness, setPinIfAsked, synced, unlockIfLocked } from './lib-confidential.mjs'
import { swControls } from './lib-wait.mjs'

const [httpsBase, out, httpBase] = process.argv.slice(2)
mkdirSync(out, { recursive: true })
const { errors, check } = harness(out)
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP fangtan.plant.test 127.0.0.1'],
})

// --- plain HTTP: the HTTPS page, no login form, nothing posted
{
  const ctx = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN' })
  const page = await ctx.newPage()
  const requests = []
  page.on('request', (r) => requests.push(`${r.method()} ${r.url()}`))
  page.on('pageerror', (e) => errors.push(`http pageerror: ${e.message}`))
  await page.goto(httpBase + '/')
  await page.waitForSelector('[data-test=insecure-context]', { timeout: 20000 })
  check(await page.evaluate(() => window.isSecureContext === false), 'plain HTTP is not a secure context')
  check((await page.textContent('[data-test=insecure-context]')).includes('请通过 HTTPS 打开'), 'plain HTTP shows 请通过 HTTPS 打开')
  check((await page.getAttribute('[data-test=insecure-ca-link]', 'href')) === '/ca', 'the page links to /ca')
  await page.screenshot({ path: `${out}/01-http-insecure-zh.png` })
  // Even the login route shows only this page.
  await page.goto(httpBase + '/login')
  await page.waitForSelector('[data-test=insecure-context]')
  check((await page.locator('[data-test=password], [data-test=username], input[type=password]').count()) === 0, 'no login form is rendered over plain HTTP')
  await page.evaluate(() => localStorage.setItem('fangtan.locale', 'en'))
  await page.reload()
  await page.waitForSelector('[data-test=insecure-context]')
  check((await page.textContent('[data-test=insecure-context]')).includes('Open this app over HTTPS'), 'English locale: Open this app over HTTPS')
  await page.screenshot({ path: `${out}/02-http-insecure-en.png` })
  await page.click('[data-test=insecure-ca-link]')
  await page.waitForURL('**/ca')
  check((await page.textContent('h1')).includes('证书'), 'the link opens the certificate install page')
  await page.screenshot({ path: `${out}/02b-ca-page.png`, fullPage: true })
  const posted = requests.filter((r) => !r.startsWith('GET '))
  check(posted.length === 0, `nothing but GET requests over plain HTTP (${posted.join(', ') || 'none'})`)
  check(!requests.some((r) => r.includes('/api/')), 'no API request over plain HTTP')
  check(await page.evaluate(async () => (await navigator.serviceWorker?.getRegistrations?.())?.length ?? 0) === 0, 'no service worker over plain HTTP')
  await ctx.close()
}

// --- HTTPS: service worker, PIN, offline capture, sync
const ctx = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN' })
const page = await ctx.newPage()
page.on('pageerror', (e) => errors.push(`https pageerror: ${e.message}`))
await page.goto(httpsBase + '/')
await page.waitForSelector('[data-test=username]', { timeout: 20000 })
check(await page.evaluate(() => window.isSecureContext && !!crypto.subtle), 'HTTPS with the plant CA trusted is a secure context with crypto.subtle')
await fill(page, 'username', 'cadre')
await fill(page, 'password', 'fangtan-demo')
await page.click('[data-test=login]')
await page.waitForURL('**/todo') // the cadre's home is 待办 (issue 17 point 1)
check(await setPinIfAsked(page), 'the PIN is set over HTTPS')
await page.waitForFunction(() => /\d:\d/.test(document.querySelector('[data-test=last-sync]')?.textContent ?? ''), null, { timeout: 30000 })
await swControls(page)
check(true, 'the service worker registered and controls the page')

await ctx.setOffline(true)
// A cold start on 我的访谈 (the home is 待办): offline, the service worker answers the navigation.
await page.goto(httpsBase + '/interviews')
await unlockIfLocked(page)
await page.waitForSelector('[data-test=new-interview]', { timeout: 20000 })
check((await page.textContent('[data-test=online]'))?.includes('离线') ?? false, 'the app starts offline from the service worker')
await page.click('[data-test=new-interview]')
await page.waitForSelector('[data-test=form-walkthrough]')
await fill(page, 'adhoc-reason', 'HTTPS 测试：现场走访')
await page.click('[data-test=form-walkthrough]')
await page.click('[data-test=start]')
await page.waitForURL(/\/interviews\/[0-9a-f-]{36}$/)
await fill(page, 'place', '气化车间 HTTPS 测试现场')
await page.click('.van-tab:has-text("访谈要点")')
await fill(page, 'note-input-management.1', '交接班记录需要规范')
await page.click('[data-test="note-add-management.1"]')
await page.click('.van-tab:has-text("总结与提交")')
await fill(page, 'summary', 'HTTPS 离线走访总结：交接班管理。')
await page.click('[data-test=submit-bottom]')
await page.waitForSelector('.van-tag:has-text("已提交")')
check(true, 'an interview is captured and submitted offline over HTTPS')
await page.screenshot({ path: `${out}/03-https-offline-submitted.png` })

await ctx.setOffline(false)
await synced(page)
check(true, 'the offline interview synced over HTTPS')
await page.screenshot({ path: `${out}/04-https-synced.png` })
// The service worker controls the page, yet /ca is the server's page, not the app shell.
await page.goto(httpsBase + '/ca')
await page.waitForSelector('[data-test=ca-fingerprint]')
check((await page.textContent('h1')).includes('安装访谈系统证书'), 'with the service worker in control, /ca is still the server page')
console.log(errors.join('\n') || 'no page errors')
for (const e of errors) check(false, e)
await browser.close()
