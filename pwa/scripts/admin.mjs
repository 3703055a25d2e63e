// 名单导入 in real Chromium (issue 15 item 2, "Done when"): the demo admin, at 1440×900, downloads the
// template, uploads a roster with three bad rows and sees the three refusals in Chinese (第 N 行,
// 列名（X 列）, the reason) with 导入 disabled, uploads the fixed file and applies it, downloads the
// one-time password slips, and uploading the same file again shows no changes.
// Usage: node scripts/admin.mjs http://127.0.0.1:8765 OUT BAD_FILE FIXED_FILE "ROW:COLUMN:LETTER,…" ACCOUNTS
import { gotoApp, harness, launch, signInOn } from './lib-confidential.mjs'
import { countSettled, settle, textSettled } from './lib-wait.mjs'

const [base, out, badFile, fixedFile, expected, accounts] = process.argv.slice(2)
const { errors, check } = harness(out)
const browser = await launch()
const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true })
const page = await ctx.newPage()
page.on('pageerror', (e) => errors.push(`admin pageerror: ${e.message}`))
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log(`console ${m.type()}: ${m.text()}`) })
await signInOn(page, base, 'admin')

const navLinks = await page.locator('a[href="/admin/roster"], [data-test=nav] a[href="/admin/roster"]').count()
check(navLinks > 0 || (await page.content()).includes('名单导入'), 'the admin has 名单导入 in the navigation')
await gotoApp(page, `${base}/admin/roster`)
await page.waitForSelector('[data-test=roster-view]')

async function save(selector, name) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 120000 }), page.click(selector)])
  await dl.saveAs(`${out}/${name}`)
  console.log(`saved: ${name} (${dl.suggestedFilename()})`)
  return dl.suggestedFilename()
}
/** Upload a file and wait until the preview of that file is shown. */
async function upload(file) {
  await page.setInputFiles('[data-test=roster-file]', file)
  await page.waitForSelector('[data-test=roster-preview], [data-test=roster-error]', { timeout: 120000 }).catch(async (e) => { await page.screenshot({ path: `${out}/99-upload-failed.png`, fullPage: true }); throw e })
  const err = await page.locator('[data-test=roster-error]').count()
  if (err) console.log('error:', await page.textContent('[data-test=roster-error]'))
}
const count = async (k) => Number(await page.getAttribute(`[data-test=roster-count-${k}]`, 'data-n'))

const template = await save('[data-test=roster-template]', 'template.xlsx')
check(template === '人员名单模板.xlsx', `the template downloads (${template})`)

await upload(badFile)
const want = expected.split(',').map((e) => e.split(':'))
check(await countSettled(page, '[data-test=roster-refusal]', want.length) === want.length, `${want.length} refusals listed`)
const refusals = await page.locator('[data-test=roster-refusal]').allTextContents()
for (const [row, column, letter] of want) {
  const line = refusals.find((r) => r.includes(`第 ${row} 行`)) ?? ''
  check(line.includes(`${column}（${letter} 列）`), `row ${row} is refused in column ${column} (${letter}): ${line.trim()}`)
  const reason = line.replace(`第 ${row} 行`, '').replace(`${column}（${letter} 列）`, '')
  check(/[\u4e00-\u9fff]/.test(reason) && !/[A-Za-z]{3,}/.test(reason.replace(/A\d{4}/g, '')), `row ${row}'s reason is in Chinese (${reason.trim()})`)
}
check(await count('refused') === want.length, 'the 拒绝 count matches')
check(await page.isDisabled('[data-test=roster-apply]'), '导入 is disabled while rows are refused')
await page.click('[data-test=roster-valid-only]')
check(!(await page.isDisabled('[data-test=roster-apply]')), '仅导入有效行 enables 导入')
await page.screenshot({ path: `${out}/90-roster-refusals.png`, fullPage: true })

await upload(fixedFile)
check(await countSettled(page, '[data-test=roster-refusal]', 0) === 0, 'the fixed file has no refusals')
const added = await settle(() => count('added'), (n) => n === Number(accounts))
check(added === Number(accounts), `新增 ${accounts} (${added})`)
check(!(await page.isDisabled('[data-test=roster-apply]')), '导入 is enabled for the fixed file')
await page.click('[data-test=roster-apply]')
await page.waitForSelector('[data-test=roster-applied]', { timeout: 300000 })
const applied = await page.textContent('[data-test=roster-applied]')
check(applied.includes(`新增 ${accounts}`), `applied: ${applied.trim()}`)
const slips = await save('[data-test=roster-slips]', 'slips.xlsx')
check(slips === '一次性密码条.xlsx', `the slips download (${slips})`)
await page.screenshot({ path: `${out}/91-roster-applied.png`, fullPage: true })

await upload(fixedFile)
const same = await textSettled(page, '[data-test=roster-no-changes]', (t) => t.length > 0)
check(same.includes('没有需要导入的变化'), `re-uploading the same file shows no changes (${same.trim()})`)
check(await count('unchanged') === Number(accounts), 'every row is 不变')
check(await page.isDisabled('[data-test=roster-apply]'), 'nothing to import')
const screen = (await page.textContent('[data-test=roster-view]')).replace(/\.(xlsx|csv)/g, '')
check(!/[A-Za-z]{3,}/.test(screen), 'no English on the Chinese screen')
await page.screenshot({ path: `${out}/92-roster-unchanged.png`, fullPage: true })

await gotoApp(page, `${base}/admin/audit`)
const audit = await settle(() => page.locator('[data-test=audit-row]').count(), (n) => n > 0)
check(audit > 0, `操作记录 lists the import (${audit} rows)`)
const actions = await page.locator('[data-test=audit-row] [data-action]').allTextContents()
check(actions.includes('导入名单') && actions.every((a) => !/[A-Za-z]/.test(a)), `操作记录 names actions in Chinese (${[...new Set(actions)].join('、')})`)
console.log(errors.join('\n') || 'no page errors')
check(errors.length === 0, 'no page errors')
await browser.close()
