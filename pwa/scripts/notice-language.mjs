// Issue 16 point 4: notifications in the language the reader chose. HR, signed in in zh-CN, cuts
// the network and picks English under 同步与存储 → 语言 (the server cannot hear it yet); back online,
// the next sync tells it. The driver then has the cadre submit a report (control: submit-report):
// HR's inbox shows its notification in English, not Chinese. Picking 中文 again is told at once, and
// the driver checks that the next notification is Chinese (control: check-chinese).
// Usage: node scripts/notice-language.mjs URL OUTDIR
import { mkdirSync } from 'node:fs'
import { gotoApp, harness, launch, signInOn, synced } from './lib-confidential.mjs'
import { driverControls } from './lib-control.mjs'

const base = process.argv[2] ?? 'http://127.0.0.1:8765'
const out = process.argv[3] ?? '/tmp/pwa-shots'
mkdirSync(out, { recursive: true })
const { errors, check } = harness(out)
const { control, close } = driverControls()
const browser = await launch()
const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
const page = await ctx.newPage()
page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))

/** 立即同步, then wait until the bar says everything went, in whichever language is on screen. */
const syncedIn = (words) => synced(page, { words })

try {
  await signInOn(page, base, 'hr')
  await gotoApp(page, base + '/status')
  await ctx.setOffline(true)
  await page.click('.van-radio:has-text("English")')
  await page.waitForFunction(() => document.documentElement.lang === 'en')
  check(await page.evaluate(() => localStorage.getItem('fangtan.locale.untold')) === '1',
    'English picked offline: kept as not yet told to the server')
  await ctx.setOffline(false)
  await page.evaluate(() => window.dispatchEvent(new Event('online')))
  await syncedIn('All synced')
  await page.waitForFunction(() => localStorage.getItem('fangtan.locale.untold') === null, null, { timeout: 15000 })
  check(true, 'back online: the sync told the server')

  await control('submit-report')
  await gotoApp(page, base + '/inbox')
  await syncedIn('All synced')
  const first = page.locator('[data-test=notification]').first()
  await first.waitFor({ timeout: 15000 })
  const text = await first.innerText()
  await page.screenshot({ path: `${out}/notice-english.png` })
  check(text.includes('Interview report submitted'), `the report's notification reads English: ${JSON.stringify(text)}`)
  check(!text.includes('访谈情况报告已提交'), 'and not the Chinese title')

  await gotoApp(page, base + '/status')
  await page.click('.van-radio:has-text("中文")')
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN')
  await page.waitForFunction(() => localStorage.getItem('fangtan.locale.untold') === null, null, { timeout: 15000 })
  check(true, '中文 picked online: told at once')
  await control('check-chinese')
} finally {
  close()
  check(errors.length === 0, `no page errors ${JSON.stringify(errors)}`)
  await browser.close()
}
