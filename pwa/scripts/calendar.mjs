// 工作日历 in real Chromium (issue 15 item 6): HR sees the banner while next year is unknown (when the
// server says so), opens the screen from it, pastes a notice, checks the parsed days, saves; the year
// then shows as entered and the days are listed. A notice the parser cannot read is refused in Chinese.
// Usage: node scripts/calendar.mjs http://127.0.0.1:8765 OUT NOTICE_FILE YEAR EXPECT_BANNER_YEAR|none
import { readFileSync } from 'node:fs'
import { gotoApp, harness, launch, signIn } from './lib-confidential.mjs'
import { countSettled, textSettled } from './lib-wait.mjs'

const [base, out, noticeFile, year, bannerYear] = process.argv.slice(2)
const { errors, check } = harness(out)
const browser = await launch()
const H = await signIn(browser, base, 'hr', errors)
await gotoApp(H.page, `${base}/followup/hr`)
if (bannerYear !== 'none') {
  const banner = await textSettled(H.page, '[data-test=calendar-unknown]', (t) => t.includes(bannerYear))
  check(banner.includes(`${bannerYear} 年的工作日历尚未录入`), `HR is warned that ${bannerYear} is not entered (${banner.trim()})`)
  await H.page.click('[data-test=calendar-enter]')
} else {
  check(await countSettled(H.page, '[data-test=calendar-unknown]', 0) === 0, 'no banner: the server knows next year')
  await gotoApp(H.page, `${base}/calendar`)
}
await H.page.waitForSelector('[data-test=calendar-view] [data-test^=calendar-year-]')
check(H.page.url().endsWith('/calendar'), 'the calendar screen opens')
const before = H.page.locator(`[data-test=calendar-year-${year}]`)
check((await before.count()) === 0 || (await before.getAttribute('data-state')) !== 'complete', `${year} is not entered yet`)

// A notice it cannot read: refused with the reason, nothing saved.
await H.page.fill('[data-test=notice-text] textarea', '国务院办公厅关于2031年部分节假日安排的通知 春节：1月22日至28日放假，共8天。')
await H.page.click('[data-test=notice-parse]')
const refused = await textSettled(H.page, '[data-test=calendar-error]', (t) => t.length > 0)
check(refused.includes('写明共 8 天，识别出 7 天'), `a wrong notice is refused in Chinese (${refused.trim()})`)

await H.page.fill('[data-test=notice-text] textarea', readFileSync(noticeFile, 'utf-8'))
await H.page.click('[data-test=notice-parse]')
await H.page.waitForSelector('[data-test=notice-preview]')
const summary = await H.page.textContent('[data-test=notice-summary]')
check(summary.includes(`${year} 年：放假 8 天，调休上班 2 天`), `the parsed days are shown before saving (${summary.trim()})`)
check(await countSettled(H.page, '[data-test=notice-day]', 10) === 10, 'ten days listed for checking')
check((await H.page.textContent('[data-test=notice-preview]')).includes('上班'), 'make-up working days are marked 上班')
await H.page.screenshot({ path: `${out}/80-calendar-preview.png`, fullPage: true })
await H.page.click('[data-test=notice-save]')
await H.page.waitForSelector('[data-test=calendar-saved]')
const state = await H.page.getAttribute(`[data-test=calendar-year-${year}]`, 'data-state')
check(state === 'complete', `${year} now shows as entered (${state})`)
check(await countSettled(H.page, '[data-test=calendar-override]', 10) >= 10, 'the saved days are listed')
const screen = await H.page.textContent('[data-test=calendar-view]')
check(!/[A-Za-z]{3,}/.test(screen), 'no English on the Chinese screen')
await H.page.screenshot({ path: `${out}/81-calendar-saved.png`, fullPage: true })
console.log(errors.join('\n') || 'no page errors')
check(errors.length === 0, 'no page errors')
await browser.close()
