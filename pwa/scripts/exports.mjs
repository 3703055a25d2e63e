// Downloads from the app, by role (issue 6 item 7): the report .docx from the report's page (HR, a
// leader, the interview's own cadre), the ledger .xlsx and the agenda .docx from HR's screen and
// the agenda from the leader's. Each file is saved to OUT for the pytest side to read back with
// python-docx / openpyxl. A handler gets no download buttons (the API's 403 is checked in pytest).
// Usage: node scripts/exports.mjs http://127.0.0.1:8765 OUT INTERVIEW_ID
import { mkdirSync } from 'node:fs'
import { harness, launch, signIn, gotoApp, saveDownload } from './lib-confidential.mjs'

const [base, out, interviewId] = process.argv.slice(2)
mkdirSync(out, { recursive: true })
const { errors, check } = harness(out)
const browser = await launch()

/** Click a download button and save the file as OUT/<name>; returns the browser's suggested file name. */
const save = (page, selector, name) => saveDownload(page, selector, `${out}/${name}`)

// ---- HR: the report from its page (where report notifications open), the ledger and the agenda.
const hr = await signIn(browser, base, 'hr', errors)
await gotoApp(hr.page, `${base}/followup/reports/${interviewId}`)
await hr.page.waitForSelector('[data-test=report-view] [data-test=report-problem]', { timeout: 20000 })
check((await save(hr.page, '[data-test=dl-report]', 'hr-report.docx')).endsWith('.docx'), 'HR downloads the report (.docx) from the report page')
await hr.page.screenshot({ path: `${out}/60-hr-report-page.png` })
await gotoApp(hr.page, `${base}/followup/hr`)
await hr.page.waitForSelector('[data-test=dl-ledger]')
check((await save(hr.page, '[data-test=dl-ledger]', 'hr-ledger.xlsx')).endsWith('.xlsx'), 'HR downloads the ledger (.xlsx)')
check((await save(hr.page, '[data-test=dl-agenda]', 'hr-agenda.docx')).endsWith('.docx'), 'HR downloads the agenda (.docx)')

// ---- Leader: the agenda from the agenda screen, the report from its page.
const leader = await signIn(browser, base, 'leader', errors)
await gotoApp(leader.page, `${base}/followup/agenda`)
await leader.page.waitForSelector('[data-test=dl-agenda]')
check((await save(leader.page, '[data-test=dl-agenda]', 'leader-agenda.docx')).endsWith('.docx'), 'leader downloads the agenda (.docx)')
await gotoApp(leader.page, `${base}/followup/reports/${interviewId}`)
await leader.page.waitForSelector('[data-test=report-view] [data-test=report-problem]', { timeout: 20000 })
await save(leader.page, '[data-test=dl-report]', 'leader-report.docx')
check(true, 'leader downloads the report (.docx)')

// ---- The interview's own cadre: their report.
const cadre = await signIn(browser, base, 'cadre', errors)
await gotoApp(cadre.page, `${base}/followup/reports/${interviewId}`)
await cadre.page.waitForSelector('[data-test=report-view] [data-test=report-problem]', { timeout: 20000 })
await save(cadre.page, '[data-test=dl-report]', 'cadre-report.docx')
check(true, 'the interview’s cadre downloads their report (.docx)')

// ---- A handler: no ledger or agenda buttons, and the report is not on the device at all.
const handler = await signIn(browser, base, 'handler', errors)
await gotoApp(handler.page, `${base}/followup/hr`)
await handler.page.waitForSelector('[data-test=hr-view]')
await gotoApp(handler.page, `${base}/followup/agenda`)
await handler.page.waitForSelector('[data-test=agenda-view]')
check((await handler.page.locator('[data-test=dl-agenda]').count()) === 0, 'handler: no agenda download button')
await gotoApp(handler.page, `${base}/followup/hr`)
await handler.page.waitForSelector('[data-test=hr-view]')
check((await handler.page.locator('[data-test=dl-ledger], [data-test=dl-agenda]').count()) === 0, 'handler: no ledger or agenda download button')
await gotoApp(handler.page, `${base}/followup/reports/${interviewId}`)
await handler.page.waitForSelector('[data-test=not-on-device]', { timeout: 20000 })
check((await handler.page.locator('[data-test=dl-report]').count()) === 0, 'handler: the report is not on the device, no download button')
await handler.page.screenshot({ path: `${out}/61-handler-no-report.png` })

console.log(errors.join('\n') || 'no page errors')
check(errors.length === 0, 'no page errors')
await browser.close()
