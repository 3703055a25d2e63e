// What a decision needs, on the card (issue 17 points 5 and 7), in real Chromium at 1440×900 zh-CN,
// one browser profile per role, over a world the test pushed (a submitted report whose problem HR put
// on the agenda): HR sees 建议解决方案, the report's 访谈情况综述 and a timeline that says who took each
// step; the 交办 sheet refuses a due date before the interview at once (nothing queued), then assigns;
// the leader's agenda card carries the summary, the solution and where it was assigned; the handler's
// card the same, and resolves; HR's 销号 sheet offers only plausible verifiers, never the closer.
// Usage: node scripts/decisionCards.mjs URL OUTDIR ISSUE_ID INTERVIEW_DAY
import { chromium } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { gotoApp, signInOn, synced } from './lib-confidential.mjs'

const [base, out, issueId, interviewDay] = process.argv.slice(2)
mkdirSync(out, { recursive: true })
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
const check = (cond, msg) => { if (!cond) { console.error('FAIL:', msg); process.exitCode = 1 } else console.log('ok:', msg) }
const errors = []
const card = `[data-test="problem-${issueId}"]`
const fill = (page, sel, v) => page.fill(`[data-test="${sel}"] input, [data-test="${sel}"] textarea`, v)
const shot = (page, name) => page.screenshot({ path: `${out}/${name}.png`, fullPage: true })

async function profile(user) {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  const page = await ctx.newPage()
  page.on('pageerror', (e) => errors.push(`${user} pageerror: ${e.message}`))
  await signInOn(page, base, user)
  return { ctx, page }
}
const text = async (page, sel) => (await page.textContent(sel)) ?? ''
const steps = async (page) => page.$$eval(`${card} [data-test=timeline] li`, (lis) => lis.map((li) => ({ kind: li.dataset.step, text: li.innerText })))

// ---- HR on the problem page.
const H = await profile('hr')
await gotoApp(H.page, `${base}/followup/problems/${issueId}`)
await H.page.waitForSelector(`${card} [data-test=timeline]`)
check((await text(H.page, `${card} [data-test=problem-solution]`)).includes('建议解决方案：改用机械密封'), 'HR: the card shows 建议解决方案')
check((await text(H.page, `${card} [data-test=report-summary]`)).includes('循环泵密封问题突出'), 'HR: the problem page shows the report\'s 访谈情况综述')
let tl = await steps(H.page)
check(tl.find((s) => s.kind === 'raise')?.text.includes('（刘海涛 · 管理干部）'), `HR: the timeline says who raised it (${tl.find((s) => s.kind === 'raise')?.text})`)
check(tl.find((s) => s.kind === 'escalate')?.text.includes('（王丽娟 · 人力资源部（党群部））'), 'HR: … and who put it on the agenda, with the role')
check(!tl.some((s) => s.text.includes('李师傅')), 'HR: the timeline names no participant')

// 交办 with a due date before the interview: refused on the spot, the sheet stays open, nothing queued.
await H.page.click(`${card} [data-test=act-assign]`)
await H.page.waitForSelector('[data-test=action-sheet]', { state: 'visible' })
await H.page.click('[data-test="dept-设备管理部"]')
await H.page.click('[data-test="owner-孙伟"]')
await fill(H.page, 'assign-due', '2025-09-20')
await H.page.click('[data-test=action-save]')
await H.page.waitForSelector('[data-test=action-error]', { state: 'visible' })
check((await text(H.page, '[data-test=action-error]')).includes(`不能早于访谈日期 ${interviewDay}`), `HR: a due date before the interview is refused at once (${await text(H.page, '[data-test=action-error]')})`)
check(await H.page.isVisible('[data-test=action-sheet]'), 'HR: the 交办 sheet stays open to correct it')
check((await text(H.page, '[data-test=pending]')).includes('已全部同步'), 'HR: nothing was queued for the refused due date')
await shot(H.page, '10-hr-assign-due-before-interview')
await fill(H.page, 'assign-due', '2025-11-28')
await H.page.click('[data-test=action-save]')
await H.page.waitForSelector('[data-test=action-sheet]', { state: 'hidden' })
await synced(H.page)
await H.page.waitForSelector(`${card} [data-step=assign] [data-test=step-dept]`)
const assigned = await text(H.page, `${card} [data-step=assign]`)
check(assigned.includes('（王丽娟 · 人力资源部（党群部））') && assigned.includes('→ 设备管理部（责任人 孙伟），完成时限 2025-11-28'), `HR: the timeline says who assigned it, to which department, owner and due date (${assigned.trim()})`)
await shot(H.page, '11-hr-problem-page')

// ---- The leader decides from the agenda: summary, solution and the assignment on the card.
const L = await profile('leader')
await gotoApp(L.page, `${base}/followup/agenda`)
await L.page.waitForSelector(`${card} [data-test=timeline]`)
check((await text(L.page, `${card} [data-test=report-summary]`)).includes('循环泵密封问题突出'), 'leader: the agenda card carries the report\'s 访谈情况综述')
check((await text(L.page, `${card} [data-test=problem-solution]`)).includes('改用机械密封'), 'leader: … and 建议解决方案')
check((await text(L.page, `${card} [data-step=assign]`)).includes('→ 设备管理部'), 'leader: … and to which department it went')
check(await L.page.isVisible(`${card} [data-test=act-decide]`), 'leader: 记录决定 is on the same card')
await shot(L.page, '20-leader-agenda')
await L.page.click('.van-tab:has-text("访谈报告")')
await L.page.waitForSelector('[data-test=report-summary]:has-text("循环泵密封问题突出")')
check((await text(L.page, '[data-test=report-summary]')).includes('访谈情况综述'), 'leader: a report to read shows its 访谈情况综述 under its label')
await shot(L.page, '21-leader-reports')

// ---- The handler: the same on the task card, then resolves.
const D = await profile('handler')
await gotoApp(D.page, `${base}/followup/tasks`)
await D.page.waitForSelector(`${card} [data-test=timeline]`)
check((await text(D.page, `${card} [data-test=problem-solution]`)).includes('改用机械密封'), 'handler: the task card shows 建议解决方案')
const seen = await text(D.page, `${card} [data-step=assign]`)
check(seen.includes('（王丽娟 · 人力资源部（党群部））') && seen.includes('→ 设备管理部'), `handler: the timeline says who assigned it and to which department (${seen.trim()})`)
await D.page.click(`${card} [data-test=act-resolve]`)
await D.page.waitForSelector('[data-test=action-sheet]', { state: 'visible' })
await fill(D.page, 'action-text', '已更换机械密封，试运行正常')
await D.page.click('[data-test=action-save]')
await D.page.waitForSelector('[data-test=action-sheet]', { state: 'hidden' })
await synced(D.page)
await shot(D.page, '30-handler-tasks')

// ---- HR: 销号 offers plausible verifiers only.
await synced(H.page)
await gotoApp(H.page, `${base}/followup/problems/${issueId}`)
await H.page.waitForSelector(`${card} [data-test=act-close]`, { timeout: 20000 })
tl = await steps(H.page)
check(tl.find((s) => s.kind === 'resolve')?.text.includes('（孙伟 · 设备管理部）'), 'HR: a handler\'s step names them with their department')
await H.page.click(`${card} [data-test=act-close]`)
await H.page.waitForSelector('[data-test=action-sheet]', { state: 'visible' })
const offered = await H.page.$$eval('[data-test^="verifier-"]', (els) => els.map((e) => e.dataset.test.replace('verifier-', '')).filter((n) => n !== 'hint'))
check(offered.length === 4 && [...offered.slice(0, 2)].sort().join() === ['周桂芳', '张建国'].sort().join() && offered[2] === '刘海涛' && offered[3] === '赵红梅',
  `HR: 销号 offers the leader and the supervision group, then the interview's cadre, then the unit's lead (${offered.join('、')})`)
check(!offered.includes('王丽娟') && !offered.includes('孙伟') && !offered.includes('陈晓东') && !offered.includes('吴静') && !offered.includes('郑凯'),
  'HR: never the closer, the handler department, a cadre of another interview, the officer or the admin')
const sheet = await text(H.page, '[data-test=action-sheet]')
check(sheet.includes('周桂芳（监督小组）') && sheet.includes('刘海涛（管理干部 · 甲醇生产车间）') && sheet.includes('赵红梅（基层单位负责人 · 甲醇生产车间）'), 'HR: each verifier with their role (and unit)')
await shot(H.page, '40-hr-close-verifiers')

check(errors.length === 0, `no page errors (${errors.join('; ')})`)
await browser.close()
