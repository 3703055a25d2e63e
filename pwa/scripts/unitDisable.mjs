// 停用 a unit in real Chromium (issue 15 item 2): a cadre's unit picker (新建访谈 → 访谈单位) offers the
// unit; the demo admin, in 组织机构, is refused disabling 甲醇生产车间 (people still work there: the message
// says how many), disables the unit after the confirmation, sees it greyed with 已停用 and hidden by the
// filter; after the cadre's next sync the picker no longer offers it. Then the admin enables it again.
// Usage: node scripts/unitDisable.mjs http://127.0.0.1:8765 OUT UNIT_NAME (a team under 甲醇生产车间)
import { mkdirSync } from 'node:fs'
import { gotoApp, harness, launch, signInOn, synced } from './lib-confidential.mjs'
import { settle, textSettled } from './lib-wait.mjs'

const [base, out, unitName] = process.argv.slice(2)
mkdirSync(out, { recursive: true })
const { errors, check } = harness(out)
const browser = await launch()
const CO = '西北能化公司'
const WORKSHOP = '甲醇生产车间'
const PATH = `${CO}/${WORKSHOP}/${unitName}`

const cadreCtx = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN' })
const cadre = await cadreCtx.newPage()
cadre.on('pageerror', (e) => errors.push(`cadre pageerror: ${e.message}`))
await signInOn(cadre, base, 'cadre')

/** The names the cadre's 访谈单位 cascader offers below 甲醇生产车间: the panel that starts with the
 *  workshop itself (本级). The form may open on the cadre's own unit, which already shows that panel. */
async function offeredBelowWorkshop() {
  await gotoApp(cadre, `${base}/interviews/new`)
  // The form puts the cadre's own unit in once it has read its draft (IndexedDB): a user sees that
  // before opening the picker, so wait for it too; opened earlier, the picker starts at the root.
  await settle(async () => cadre.inputValue('[data-test=unit] input'), (v) => v.length > 0)
  await cadre.click('[data-test=unit]')
  await cadre.waitForSelector('.van-cascader__option')
  const panel = async () => cadre.$$eval('.van-cascader__options', (ps, w) => {
    const lists = ps.map((p) => [...p.querySelectorAll('.van-cascader__option')].map((o) => o.textContent.trim()))
    return lists.find((l) => l[0]?.startsWith(`${w}（`)) ?? null
  }, WORKSHOP)
  // Opened on a unit, the cascader shows the root panel first and moves to the unit's own panel on
  // the next tick (Vant renders a tab's panel once it is active), so wait for that panel. Opened on
  // no unit, it stays at the root: walk down, company then workshop, each by its exact name (the
  // workshop's own panel starts with 「甲醇生产车间（本级）」).
  let names = await settle(panel, (l) => l !== null, { timeout: 5000 })
  for (const name of [CO, WORKSHOP]) {
    if (names) break
    await cadre.locator('.van-cascader__option', { hasText: new RegExp(`^\\s*${name}\\s*$`) }).first().click()
    names = await settle(panel, (l) => l !== null, { timeout: 5000 })
  }
  await cadre.screenshot({ path: `${out}/picker-${names?.includes(unitName) ? 'with' : 'without'}.png` })
  return names ?? []
}

check((await offeredBelowWorkshop()).includes(unitName), `the cadre's unit picker offers ${unitName} before it is disabled`)

const adminCtx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
const admin = await adminCtx.newPage()
admin.on('pageerror', (e) => errors.push(`admin pageerror: ${e.message}`))
await signInOn(admin, base, 'admin')
await gotoApp(admin, `${base}/admin/units`)
const row = (path) => `[data-test=unit-row][data-path="${path}"]`
await admin.waitForSelector(row(PATH))

// A workshop with people in it: the confirmation, then a refusal naming the count, nothing changed.
await admin.click(`${row(`${CO}/${WORKSHOP}`)} [data-test=unit-toggle-disabled]`)
await admin.waitForSelector('.van-dialog__confirm')
await admin.click('.van-dialog__confirm')
const busy = await textSettled(admin, '[data-test=units-error]', (t) => t.length > 0)
check(busy.includes('不能停用') && busy.includes('名在职人员'), `a unit with people in it is refused, saying why (${busy})`)
check(await admin.locator(`${row(`${CO}/${WORKSHOP}`)}[data-disabled]`).count() === 0, 'and stays enabled')

// 保留 in the confirmation keeps the unit as it is.
await admin.click(`${row(PATH)} [data-test=unit-toggle-disabled]`)
await admin.waitForSelector('.van-dialog__cancel')
const question = await admin.innerText('.van-dialog')
check(question.includes(PATH) && question.includes('停用'), `the confirmation names the unit (${question})`)
await admin.click('.van-dialog__cancel')
check(await admin.locator(`${row(PATH)}[data-disabled]`).count() === 0, 'cancelling the confirmation disables nothing')

await admin.click(`${row(PATH)} [data-test=unit-toggle-disabled]`)
await admin.click('.van-dialog__confirm')
check(await settle(async () => admin.locator(`${row(PATH)}[data-disabled] [data-test=unit-disabled]`).count(), (n) => n === 1, { timeout: 20000 }),
  'the disabled unit is listed greyed, marked 已停用')
check((await admin.innerText(`${row(PATH)} [data-test=unit-toggle-disabled]`)).includes('启用'), 'its button now says 启用')
await admin.screenshot({ path: `${out}/units-disabled.png`, fullPage: true })
await admin.check('[data-test=units-hide-disabled]')
const hidden = await settle(async () => admin.locator(row(PATH)).count(), (n) => n === 0)
await admin.screenshot({ path: `${out}/units-hidden.png`, fullPage: true })
check(hidden === 0, `隐藏已停用单位 hides it (${hidden}, checked: ${await admin.isChecked('[data-test=units-hide-disabled]')})`)
check(await admin.locator(row(`${CO}/${WORKSHOP}`)).count() === 1, 'and keeps the enabled units')
await admin.uncheck('[data-test=units-hide-disabled]')
await admin.waitForSelector(row(PATH))

// The cadre's next sync brings the unit's new state: the picker no longer offers it.
await gotoApp(cadre, `${base}/interviews`)
await synced(cadre)
check(!(await offeredBelowWorkshop()).includes(unitName), `after a sync the cadre's unit picker no longer offers ${unitName}`)

await gotoApp(admin, `${base}/admin/audit`)
const log = await textSettled(admin, '[data-test=audit-view]', (t) => t.includes('停用单位'))
check(log.includes('停用单位') && log.includes(PATH), '操作记录 shows 停用单位 with the path')
await gotoApp(admin, `${base}/admin/units`)
await admin.click(`${row(PATH)} [data-test=unit-toggle-disabled]`)
await admin.click('.van-dialog__confirm')
const still = await settle(async () => admin.locator(`${row(PATH)}[data-disabled]`).count(), (n) => n === 0, { timeout: 20000 })
await admin.screenshot({ path: `${out}/units-enabled.png`, fullPage: true })
check(still === 0, `启用 brings it back (${still}: ${await admin.innerText(row(PATH))})`)

console.log(errors.join('\n') || 'no page errors')
check(errors.length === 0, 'no page errors')
await browser.close()
