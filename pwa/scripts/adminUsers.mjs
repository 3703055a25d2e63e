// 用户与设备 in real Chromium (issue 15 item 2): the demo admin, at 1440×900, finds 刘海涛 and changes
// his post, resets another user to a one-time password (shown once, printed here for the test), and
// revokes a device of a third user after the confirmation explains what happens to unsynced work.
// Usage: node scripts/adminUsers.mjs http://127.0.0.1:8765 OUT NEW_POST RESET_USER DEVICE_USER DEVICE_ID
import { gotoApp, harness, launch, signInOn } from './lib-confidential.mjs'
import { settle, textSettled } from './lib-wait.mjs'

const [base, out, newPost, resetUser, deviceUser, deviceId] = process.argv.slice(2)
const { errors, check } = harness(out)
const browser = await launch()
const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
const page = await ctx.newPage()
page.on('pageerror', (e) => errors.push(`adminUsers pageerror: ${e.message}`))
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log(`console ${m.type()}: ${m.text()}`) })
await signInOn(page, base, 'admin')

check((await page.content()).includes('用户与设备'), 'the admin has 用户与设备 in the navigation')
await gotoApp(page, `${base}/admin/users`)
await page.waitForSelector('[data-test=users-view]')

async function find(q, username) {
  await page.fill('[data-test=user-search]', q)
  await page.click('[data-test=user-find]')
  const only = async () => `${await page.locator('[data-test=user-row]').count()}:${await page.locator(`[data-test=user-row][data-username="${username}"]`).count()}`
  return (await settle(only, (v) => v === '1:1')) === '1:1'
}
async function confirm(words) {
  await page.waitForSelector('.van-dialog__confirm', { state: 'visible' })
  const message = (await page.textContent('.van-dialog__message')) ?? ''
  check(words.every((w) => message.includes(w)), `the confirmation says ${words.join('、')} (${message.trim()})`)
  await page.click('.van-dialog__confirm')
  return message
}

check(await find('刘海涛', 'cadre'), 'searching 刘海涛 finds him alone')
await page.click('[data-test=user-row] [data-test=user-edit]')
await page.fill('[data-test=edit-post]', newPost)
await page.click('[data-test=edit-save]')
const post = await textSettled(page, '[data-test=user-row] [data-test=user-post]', (t) => t === newPost)
check(post === newPost, `his post is now ${newPost} (${post})`)
await page.screenshot({ path: `${out}/80-users-edited.png`, fullPage: true })

check(await find(resetUser, resetUser), `searching ${resetUser} finds that user`)
await page.click('[data-test=user-row] [data-test=user-reset]')
await confirm(['一次性密码'])
const password = await textSettled(page, '[data-test=one-time-password]', (t) => t.length >= 8)
check(password.length >= 8, 'a one-time password is shown')
console.log(`one-time password: ${password}`)
check((await page.textContent('[data-test=one-time]')).includes('当面'), 'the note says to hand it over in person')
await page.screenshot({ path: `${out}/81-users-one-time.png`, fullPage: true })
await page.click('[data-test=one-time] button')

check(await find(deviceUser, deviceUser), `searching ${deviceUser} finds that user`)
await page.click('[data-test=user-row] [data-test=user-devices]')
const row = `[data-test=device-row][data-device="${deviceId}"]`
await page.waitForSelector(row)
check((await page.textContent(row)).includes('有效') || (await page.textContent(row)).includes('在用'), 'the device is listed as in use')
await page.click(`${row} [data-test=device-revoke]`)
await confirm(['未同步', '导出'])
const state = await textSettled(page, `${row} [data-test=device-state]`, (t) => t.includes('已吊销'))
check(state.includes('已吊销'), `the device is shown revoked (${state.trim()})`)
// Left out: 工号 and device names (data, not words of the screen).
const screen = (await page.textContent('[data-test=users-view]'))
  .replace(new RegExp(`pytest browser check|${resetUser}|${deviceUser}`, 'g'), '')
check(!/[A-Za-z]{3,}/.test(screen), `no English on the Chinese screen (${screen.match(/[A-Za-z]{3,}/g) ?? ''})`)
await page.screenshot({ path: `${out}/82-users-device-revoked.png`, fullPage: true })
console.log(errors.join('\n') || 'no page errors')
check(errors.length === 0, 'no page errors')
await browser.close()
