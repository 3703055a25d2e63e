// 计划导入 in the app (issue 15 point 4): HR downloads the plan template on 公司年度访谈计划, the driver
// fills it (openpyxl), HR uploads a file with a bad row and sees the refusal in Chinese, uploads the
// fixed file and confirms; the cadre's tablet gets the item after sync; the same file again shows
// no changes. Usage: node scripts/plan-import.mjs http://127.0.0.1:8765 OUT YEAR TITLE
import { mkdirSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { harness, launch, signIn, gotoApp, saveDownload, synced } from './lib-confidential.mjs'
import { textSettled } from './lib-wait.mjs'

const [base, out, year, title] = process.argv.slice(2)
mkdirSync(out, { recursive: true })
const { errors, check } = harness(out)
const rl = process.env.FANGTAN_CONTROL === '1' ? createInterface({ input: process.stdin }) : null
const stdinLines = rl ? rl[Symbol.asyncIterator]() : null
/** Ask the driver to act (fill the template); resolves once it answers done. */
async function control(what) {
  if (!stdinLines) throw new Error(`not controlled: ${what} needs the pytest driver`)
  console.log(`control: ${what}`)
  const { value } = await stdinLines.next()
  if ((value ?? '').trim() !== 'done') throw new Error(`driver answered ${value} to ${what}`)
}
const browser = await launch()

const hr = await signIn(browser, base, 'hr', errors)
await gotoApp(hr.page, `${base}/plans/company`)
await hr.page.waitForSelector('[data-test=plan-import-template]')
await hr.page.selectOption('[data-test=plan-year]', year)
check((await hr.page.locator('[data-test=plan-import]').innerText()).includes('导入计划'), 'HR sees 下载模板 and 导入计划')
const name = await saveDownload(hr.page, '[data-test=plan-import-template]', `${out}/plan-template.xlsx`)
check(name.endsWith('模板.xlsx'), `HR downloads the plan template (${name})`)
await control('fill')

// The file with a bad row: the refusal names the row, the column and the reason in Chinese; only
// 仅导入有效行 is offered.
await hr.page.setInputFiles('[data-test=plan-import-file]', `${out}/plan-bad.xlsx`)
await hr.page.waitForSelector('[data-test=plan-import-refusal]', { timeout: 30000 })
const refusal = await hr.page.locator('[data-test=plan-import-refusal]').innerText()
check(refusal.includes('第 4 行') && refusal.includes('时段（D 列）') && refusal.includes('时段格式应为'), `HR sees the refusal in Chinese (${refusal.replace(/\s+/g, ' ')})`)
check(await hr.page.locator('[data-test=plan-import-refused]').getAttribute('data-n') === '1', 'one row is refused')
check(await hr.page.locator('[data-test=plan-import-apply]').count() === 0 && await hr.page.isVisible('[data-test=plan-import-apply-valid]'),
  'with a refused row only 仅导入有效行 is offered')
await hr.page.screenshot({ path: `${out}/80-plan-import-refused.png`, fullPage: true })

// The fixed file: two new items, confirmed.
await hr.page.setInputFiles('[data-test=plan-import-file]', `${out}/plan-good.xlsx`)
await hr.page.waitForSelector('[data-test=plan-import-apply]', { timeout: 30000 })
check(await hr.page.locator('[data-test=plan-import-added]').getAttribute('data-n') === '2' &&
  await hr.page.locator('[data-test=plan-import-refusal]').count() === 0, 'the fixed file previews 2 new items, none refused')
await hr.page.screenshot({ path: `${out}/81-plan-import-preview.png`, fullPage: true })
await hr.page.click('[data-test=plan-import-apply]')
await hr.page.waitForSelector('[data-test=plan-import-done]', { timeout: 60000 })
check(await hr.page.locator('[data-test=plan-import-done]').getAttribute('data-n') === '2', 'HR imports the plan (已导入 2 项计划)')
// The items come to HR's own screen by sync like any other.
await synced(hr.page)
check((await textSettled(hr.page, '.cards', (t) => t.includes(title), { timeout: 30000 })).includes(title), 'HR’s plan screen lists the imported item after sync')

// The same file again: nothing to import.
await hr.page.setInputFiles('[data-test=plan-import-file]', `${out}/plan-good.xlsx`)
await hr.page.waitForSelector('[data-test=plan-import-no-changes]', { timeout: 30000 })
check(await hr.page.locator('[data-test=plan-import-unchanged]').getAttribute('data-n') === '2', 're-importing the same file shows no changes (已在计划中 2)')
await hr.page.screenshot({ path: `${out}/82-plan-import-no-changes.png`, fullPage: true })

// The cadre's tablet gets the imported item after sync.
const cadre = await signIn(browser, base, 'cadre', errors)
await gotoApp(cadre.page, `${base}/plans/mine`)
await synced(cadre.page)
check((await textSettled(cadre.page, '.page', (t) => t.includes(title), { timeout: 30000 })).includes(title), 'the cadre’s tablet lists the imported item after sync')
await cadre.page.screenshot({ path: `${out}/83-cadre-gets-imported-item.png`, fullPage: true })

console.log(errors.join('\n') || 'no page errors')
check(errors.length === 0, 'no page errors')
rl?.close()
await browser.close()
