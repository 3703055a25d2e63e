// 组织机构 and 新增用户 in real Chromium (issue 15 item 2, h3-admin): the demo admin adds a unit under
// 甲醇生产车间, is refused a same-named sibling (the message names the existing unit's path), renames
// and moves the new unit, marks it a 责任部门, then adds a user into it with two roles and downloads the
// one-time password slip; 操作记录 lists every change in Chinese. Both screens are checked at 1440×900
// and at 1024×768 (no sideways scrolling, controls ≥ 44 px on the tablet). Last the new user signs in
// with the one-time password and must set a new one before the PIN and the first sync.
// Usage: node scripts/orgAdmin.mjs http://127.0.0.1:8765 OUT 工号 NEW_PASSWORD
import { mkdirSync } from 'node:fs'
import { fill, gotoApp, harness, launch, saveDownload, setPinIfAsked, signInOn, synced } from './lib-confidential.mjs'
import { settle, textSettled } from './lib-wait.mjs'

const [base, out, staffNo, newPassword] = process.argv.slice(2)
mkdirSync(out, { recursive: true })
const { errors, check } = harness(out)
const browser = await launch()
const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true })
const page = await ctx.newPage()
page.on('pageerror', (e) => errors.push(`orgAdmin pageerror: ${e.message}`))
await signInOn(page, base, 'admin')

const CO = '西北能化公司'
const row = (path) => `[data-test=unit-row][data-path="${path}"]`
const present = (sel) => settle(async () => page.locator(sel).count(), (n) => n === 1, { timeout: 20000 })

/** At the tablet size: nothing scrolls sideways and every visible button is at least 44 px high. */
async function tabletFit(name, root) {
  await page.setViewportSize({ width: 1024, height: 768 })
  const fit = await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)
  check(fit, `${name}: no horizontal scroll at 1024×768`)
  const small = await page.$$eval(`${root} button`, (bs) => bs.filter((b) => b.offsetParent !== null)
    .map((b) => [b.textContent.trim(), Math.round(b.getBoundingClientRect().height)]).filter(([, h]) => h < 44))
  check(small.length === 0, `${name}: controls ≥ 44 px on the tablet (${JSON.stringify(small)})`)
  await page.screenshot({ path: `${out}/${name}-1024x768.png`, fullPage: true })
  await page.setViewportSize({ width: 1440, height: 900 })
}
function noEnglish(name, text, allowed = []) {
  let t = text
  for (const a of allowed) t = t.split(a).join('')
  check(!/[A-Za-z]{3,}/.test(t), `${name}: no English on the Chinese screen (${t.match(/[A-Za-z]{3,}/g) ?? ''})`)
}

// --- 组织机构 -------------------------------------------------------------------------------------
check((await page.content()).includes('组织机构'), 'the admin has 组织机构 in the navigation')
await gotoApp(page, `${base}/admin/units`)
await page.waitForSelector(row(`${CO}/甲醇生产车间`))
await page.click(`${row(`${CO}/甲醇生产车间`)} [data-test=unit-add]`)
await page.fill('[data-test=unit-new-name]', '质检室')
await page.selectOption('[data-test=unit-new-kind]', 'team')
await page.click('[data-test=unit-add-save]')
check(await present(row(`${CO}/甲醇生产车间/质检室`)), 'the new unit 质检室 is in the tree under 甲醇生产车间')

await page.click(`${row(`${CO}/甲醇生产车间`)} [data-test=unit-add]`)
await page.fill('[data-test=unit-new-name]', '精馏班组')
await page.click('[data-test=unit-add-save]')
const clash = await textSettled(page, '[data-test=units-error]', (t) => t.length > 0)
check(clash.includes(`${CO}/甲醇生产车间/精馏班组`) && clash.includes('同名'), `a same-named sibling is refused naming its path (${clash})`)
await page.screenshot({ path: `${out}/10-units-duplicate-refused.png`, fullPage: true })
await page.click('[data-test=unit-add-form] button:not([type=submit])')

await page.click(`${row(`${CO}/甲醇生产车间/质检室`)} [data-test=unit-edit]`)
const targets = await page.$$eval('[data-test=unit-edit-parent] option', (os) => os.map((o) => o.textContent.trim()))
check(!targets.some((t) => t.includes('质检室')), 'the move picker offers neither the unit itself nor its subtree')
await page.fill('[data-test=unit-edit-name]', '质量检验室')
await page.click('[data-test=unit-edit-save]')
check(await present(row(`${CO}/甲醇生产车间/质量检验室`)), 'renamed to 质量检验室')
await page.click(`${row(`${CO}/甲醇生产车间/质量检验室`)} [data-test=unit-edit]`)
await page.selectOption('[data-test=unit-edit-parent]', { label: `${CO}/设备检修车间` })
await page.click('[data-test=unit-edit-save]')
const moved = row(`${CO}/设备检修车间/质量检验室`)
check(await present(moved), 'moved below 设备检修车间')
await page.click(`${moved} [data-test=unit-toggle-handler]`)
check(await present(`${moved} [data-test=unit-handler]`), 'marked 责任部门')
noEnglish('组织机构', await page.innerText('[data-test=units-view]'))
await page.screenshot({ path: `${out}/11-units-1440x900.png`, fullPage: true })
await tabletFit('12-units', '[data-test=units-view]')

// --- 新增用户 -------------------------------------------------------------------------------------
await gotoApp(page, `${base}/admin/users`)
await page.waitForSelector('[data-test=users-view]')
await page.click('[data-test=user-add]')
await page.fill('[data-test=add-username]', staffNo)
await page.fill('[data-test=add-name]', '孙晓明')
await page.selectOption('[data-test=add-unit]', { label: `${CO}/设备检修车间/质量检验室` })
await page.fill('[data-test=add-post]', '检验员')
await page.check('[data-test=user-add-form] input[data-role=handler]')
await page.screenshot({ path: `${out}/20-user-add-form.png`, fullPage: true })
await tabletFit('21-user-add-form', '[data-test=users-view]')
await page.click('[data-test=add-save]')
const password = await textSettled(page, '[data-test=one-time-password]', (t) => t.length >= 8, { timeout: 20000 })
check(password.length >= 8, 'the one-time password is shown once')
console.log(`one-time password: ${password}`)
await saveDownload(page, '[data-test=one-time-slip]', `${out}/slip.xlsx`)
const listed = await textSettled(page, `[data-test=user-row][data-username="${staffNo}"]`, (t) => t.includes('质量检验室'))
check(listed.includes('干部') && listed.includes('责任部门') && listed.includes('待改密码'), `the new user is listed with both roles, awaiting a new password (${listed})`)
noEnglish('用户与设备', await page.innerText('[data-test=users-view]'), [staffNo, password, 'pytest browser check'])
await page.screenshot({ path: `${out}/22-user-added-1440x900.png`, fullPage: true })
await tabletFit('23-user-added', '[data-test=users-view]')

await page.click(`[data-test=user-add]`)
await page.fill('[data-test=add-username]', staffNo)
await page.fill('[data-test=add-name]', '别人')
await page.selectOption('[data-test=add-unit]', { label: `${CO}/甲醇生产车间` })
await page.click('[data-test=add-save]')
const taken = await textSettled(page, '[data-test=users-error]', (t) => t.length > 0)
check(taken.includes(`工号 ${staffNo} 已被 孙晓明`), `a taken 工号 is refused in Chinese (${taken})`)

// --- 操作记录 -------------------------------------------------------------------------------------
await gotoApp(page, `${base}/admin/audit`)
const log = await textSettled(page, '[data-test=audit-view]', (t) => t.includes('新增用户'))
for (const w of ['新增单位', '单位改名', '移动单位', '设为责任部门', '新增用户', `${CO}/设备检修车间/质量检验室`]) {
  check(log.includes(w), `操作记录 shows ${w}`)
}
await page.screenshot({ path: `${out}/30-audit.png`, fullPage: true })

// --- the new user's first sign-in ---------------------------------------------------------------
const tablet = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN' })
const p2 = await tablet.newPage()
p2.on('pageerror', (e) => errors.push(`new user pageerror: ${e.message}`))
await p2.goto(base + '/login')
await fill(p2, 'username', staffNo)
await fill(p2, 'password', password)
await p2.click('[data-test=login]')
await p2.waitForSelector('[data-test=password-change]', { timeout: 20000 })
check(true, 'the new user must set a new password first')
await p2.screenshot({ path: `${out}/40-new-user-set-password.png` })
await fill(p2, 'pw-new', newPassword)
await fill(p2, 'pw-new2', newPassword)
await p2.click('[data-test=pw-submit]')
await p2.waitForSelector('[data-test=password-change]', { state: 'detached', timeout: 20000 })
check(await setPinIfAsked(p2), 'then the PIN setup, as at any first sign-in')
await synced(p2)
check(true, 'the new user syncs')
await p2.screenshot({ path: `${out}/41-new-user-signed-in.png` })

console.log(errors.join('\n') || 'no page errors')
check(errors.length === 0, 'no page errors')
await browser.close()
