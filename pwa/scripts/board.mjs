// HR at the office desk (1440×900, zh-CN) on the demo (issue 17 point 4): the 报告收件箱 is grouped
// (待处理 / 已处理) and paged, so the page stays short; the tracking board is a table (remembered
// against the cards view), filtered, sorted by days overdue and by due date, and each filtered view
// is exported. For every export the script prints the table's row ids in order
// (`rows <name>: [...]`) and saves the .xlsx as OUT/board-<name>.xlsx; pytest opens it with openpyxl
// and compares (tests/e2e/browser/test_pwa_hr_board_table_filters_sorts_and_exports.py).
// Usage: node scripts/board.mjs http://127.0.0.1:8765 OUT
import { mkdirSync } from 'node:fs'
import { harness, launch, signInOn, gotoApp, saveDownload } from './lib-confidential.mjs'
import { settle } from './lib-wait.mjs'

const [base, out] = process.argv.slice(2)
mkdirSync(out, { recursive: true })
const { errors, check } = harness(out)
const browser = await launch()
const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true })
const page = await ctx.newPage()
page.on('pageerror', (e) => errors.push(`hr pageerror: ${e.message}`))
await signInOn(page, base, 'hr')
const shot = (name) => page.screenshot({ path: `${out}/${name}.png`, fullPage: true })
const pageHeight = () => page.evaluate(() => document.documentElement.scrollHeight)

// ---- 报告收件箱: two groups, newest first, five reports a page.
await gotoApp(page, `${base}/followup/hr`)
await page.waitForSelector('[data-test=inbox-report]', { timeout: 20000 })
const groupCount = async (sel) => Number(/（(\d+)）/.exec((await page.textContent(sel)) ?? '')?.[1] ?? -1)
const todo = await groupCount('[data-test=inbox-todo]')
const done = await groupCount('[data-test=inbox-done]')
console.log(`inbox groups: todo ${todo}, done ${done}`)
console.log(`inbox badge: ${(await page.textContent('.van-tab--active .van-badge').catch(() => '')) ?? ''}`)
const inboxHeights = [await pageHeight()]
console.log(`inbox height todo: ${inboxHeights[0]}`)
check((await page.locator('[data-test=inbox-report]').count()) <= 5, 'inbox: at most five reports on a page')
await shot('10-inbox-todo')
if (await page.isVisible('[data-test=pager-inbox] [data-test=pager-next]')) {
  await page.click('[data-test=pager-inbox] [data-test=pager-next]')
  await page.waitForSelector('[data-test=pager-inbox] [data-test=pager-at]:has-text("第 2 /")')
  inboxHeights.push(await pageHeight())
  console.log(`inbox height todo page 2: ${inboxHeights.at(-1)}`)
}
await page.click('[data-test=inbox-done]')
await page.waitForURL(/inbox=done/)
await settle(() => page.locator('[data-test=inbox-report]').count(), (n) => n === Math.min(done, 5))
inboxHeights.push(await pageHeight())
console.log(`inbox height done: ${inboxHeights.at(-1)}`)
await shot('11-inbox-done')
console.log(`inbox max height: ${Math.max(...inboxHeights)}`)

// ---- The board: a table by default at the desk, the cards view remembered once chosen.
await gotoApp(page, `${base}/followup/hr?tab=board`)
await page.waitForSelector('[data-test=board-table] [data-test=board-row]', { timeout: 20000 })
const total = Number(/共 (\d+) 个问题/.exec((await page.textContent('[data-test=board-count]')) ?? '')?.[1] ?? -1)
console.log(`board total: ${total}`)
check((await page.locator('[data-test=board-row]').count()) === Math.min(total, 50), 'table: every problem on the first page (50 a page)')
await shot('20-board-table')
await page.click('[data-test=view-cards]')
await page.waitForSelector('[data-test=problem-board] [data-problem]')
const cards = await page.locator('[data-test=problem-board] [data-problem]').count()
check(cards === Math.min(total, 20), `cards: 20 a page (${cards} of ${total})`)
check(total <= 20 || (await page.isVisible('[data-test=pager-board]')), 'cards: paged')
await page.reload()
await gotoApp(page, `${base}/followup/hr?tab=board`)
await page.waitForSelector('[data-test=problem-board] [data-problem]', { timeout: 20000 })
check((await page.locator('[data-test=board-table]').count()) === 0, 'the cards view is remembered after a reload')
await page.click('[data-test=view-table]')
await page.waitForSelector('[data-test=board-table]')
await page.reload()
await gotoApp(page, `${base}/followup/hr?tab=board`)
await page.waitForSelector('[data-test=board-table] [data-test=board-row]', { timeout: 20000 })
check(true, 'the table view is remembered after a reload')

const rowIds = () => page.$$eval('[data-test=board-row]', (trs) => trs.map((tr) => tr.getAttribute('data-id')))
const overdueDays = () => page.$$eval('[data-test=row-overdue]', (tds) => tds.map((td) => Number(/\d+/.exec(td.textContent ?? '')?.[0] ?? 0)))
/** Wait until the count says `n` rows matched and the table shows them. */
async function rowsSettled(want) {
  const ids = await settle(rowIds, (ids) => want(ids))
  return ids
}
async function exported(name) {
  const ids = await rowIds()
  console.log(`rows ${name}: ${JSON.stringify(ids)}`)
  const file = await saveDownload(page, '[data-test=board-export]', `${out}/board-${name}.xlsx`)
  check(file.endsWith('.xlsx'), `${name}: exported (.xlsx)`)
}

// 1. Overdue only, most days overdue first.
await page.check('[data-test=f-overdue]')
await page.selectOption('[data-test=f-sort]', 'overdue')
const overdueIds = await rowsSettled((ids) => ids.length > 0 && ids.length < total)
const days = await overdueDays()
console.log(`overdue days: ${JSON.stringify(days)}`)
check(overdueIds.length > 0 && days.every((d) => d > 0), `overdue filter: ${overdueIds.length} rows, each overdue`)
check(days.every((d, i) => i === 0 || days[i - 1] >= d), 'sorted by days overdue, most first')
await shot('21-board-overdue')
await exported('overdue')

// 2. One handler department, earliest due date first.
await page.click('[data-test=f-clear]')
await rowsSettled((ids) => ids.length === Math.min(total, 50))
await page.selectOption('[data-test=f-dept]', { label: '设备管理部' })
await page.selectOption('[data-test=f-sort]', 'due')
const deptIds = await rowsSettled((ids) => ids.length > 0 && ids.length < total)
check(deptIds.length > 0, `department filter: ${deptIds.length} rows`)
await shot('22-board-dept')
await exported('dept')

// 3. A keyword, a unit (with the teams below it) and a due-date range, newest first.
await page.click('[data-test=f-clear]')
await rowsSettled((ids) => ids.length === Math.min(total, 50))
await page.selectOption('[data-test=f-unit]', { label: '\u3000甲醇生产车间' })
await page.fill('[data-test=f-q]', '职工')
await page.fill('[data-test=f-due-from]', '2000-01-01')
await page.selectOption('[data-test=f-sort]', 'newest')
const mixedIds = await rowsSettled((ids) => ids.length > 0 && ids.length < total)
check(mixedIds.length > 0, `keyword + unit + due range: ${mixedIds.length} rows`)
await shot('23-board-keyword-unit')
await exported('mixed')

// 4. A cadre and a status.
await page.click('[data-test=f-clear]')
await rowsSettled((ids) => ids.length === Math.min(total, 50))
await page.selectOption('[data-test=f-cadre]', { label: '刘海涛' })
await page.selectOption('[data-test=f-status]', 'closed')
const cadreIds = await rowsSettled((ids) => ids.length > 0 && ids.length < total)
check(cadreIds.length > 0, `cadre + status: ${cadreIds.length} rows`)
await exported('cadre')

// A row opens the problem's page.
await page.click('[data-test=board-row] [data-test=row-link]')
await page.waitForURL(/\/followup\/problems\/[0-9a-f-]{36}$/)
await page.waitForSelector('[data-test=problem-view] [data-problem]', { timeout: 15000 })
check(true, 'a row opens its problem page')

console.log(errors.join('\n') || 'no page errors')
check(errors.length === 0, 'no page errors')
await browser.close()
