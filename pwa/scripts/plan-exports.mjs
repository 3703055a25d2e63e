// The plan screens' downloads (issue 15 point 4): HR exports the company plan as .xlsx and as a
// document (.docx) from 公司年度访谈计划; the unit lead exports the unit plan from 单位访谈计划.
// Each file is saved to OUT for the pytest side to read back with openpyxl / python-docx.
// Usage: node scripts/plan-exports.mjs http://127.0.0.1:8765 OUT
import { mkdirSync } from 'node:fs'
import { harness, launch, signIn, gotoApp, saveDownload } from './lib-confidential.mjs'

const [base, out] = process.argv.slice(2)
mkdirSync(out, { recursive: true })
const { errors, check } = harness(out)
const browser = await launch()

/** Click a download button and save the file as OUT/<name>; returns the browser's suggested file name. */
const save = (page, selector, name) => saveDownload(page, selector, `${out}/${name}`)

const hr = await signIn(browser, base, 'hr', errors)
await gotoApp(hr.page, `${base}/plans/company`)
await hr.page.waitForSelector('[data-test=plan-export-xlsx]')
check((await hr.page.locator('[data-test=plan-export-xlsx]').innerText()).includes('导出 Excel'), 'HR sees 导出 Excel')
check((await save(hr.page, '[data-test=plan-export-xlsx]', 'hr-company-plan.xlsx')).endsWith('年度干部访谈计划.xlsx'), 'HR downloads the company plan (.xlsx)')
check((await save(hr.page, '[data-test=plan-export-docx]', 'hr-company-plan.docx')).endsWith('年度干部访谈计划.docx'), 'HR downloads the company plan as a document (.docx)')
await hr.page.screenshot({ path: `${out}/70-hr-plan-exports.png` })
// 复制上年计划: the confirmation names the count; after it the server says how many were created.
await hr.page.click('[data-test=plan-copy]')
await hr.page.waitForSelector('.van-dialog:visible >> text=复制到')
check((await hr.page.locator('.van-dialog:visible').innerText()).includes('1 项计划'), 'HR is asked to confirm copying 1 item of last year')
await hr.page.click('.van-dialog:visible .van-dialog__confirm')
await hr.page.waitForSelector('.van-dialog:visible >> text=已复制 1 项计划', { timeout: 30000 })
check(true, 'HR copies last year’s plan (已复制 1 项计划)')
await hr.page.click('.van-dialog:visible .van-dialog__confirm')

const lead = await signIn(browser, base, 'unitlead', errors)
await gotoApp(lead.page, `${base}/plans/unit`)
await lead.page.waitForSelector('[data-test=plan-export-docx]')
check((await save(lead.page, '[data-test=plan-export-xlsx]', 'lead-unit-plan.xlsx')).endsWith('.xlsx'), 'the unit lead downloads the unit plan (.xlsx)')
check((await save(lead.page, '[data-test=plan-export-docx]', 'lead-unit-plan.docx')).endsWith('.docx'), 'the unit lead downloads the unit plan as a document (.docx)')

console.log(errors.join('\n') || 'no page errors')
check(errors.length === 0, 'no page errors')
await browser.close()
