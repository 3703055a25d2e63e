// Recovery on a new device and the app lock: the cadre enrols and writes a remark on tablet A; a
// second browser profile (tablet B) signs in as the same user, is offered recovery, refuses a wrong
// passphrase, recovers with the right one and reads the earlier remark. Then B locks on demand:
// wrong PINs wait 1, 2, 4 s, the wait survives a reload, the right PIN unlocks (offline). Once the
// cached unlock share has expired it refuses offline and unlocks again online.
// Usage: node scripts/recovery.mjs http://127.0.0.1:8765 OUTDIR MARKER
import { mkdirSync } from 'node:fs'
import { harness, launch, signIn, enrol, synced, newInterview, writeRemark, fill, gotoApp, PASSPHRASE, PIN } from './lib-confidential.mjs'
import { swControls } from './lib-wait.mjs'

const base = process.argv[2] ?? 'http://127.0.0.1:8765'
const out = process.argv[3] ?? '/tmp/pwa-shots'
const marker = process.argv[4] ?? `MARK-${Date.now().toString(16)}-调岗诉求`
mkdirSync(out, { recursive: true })
const { errors, check } = harness(out)
const browser = await launch()

const A = await signIn(browser, base, 'cadre', errors)
await enrol(A.page, base)
await A.page.click('[data-test=code-done]')
const ivUrl = await newInterview(A.page, base, '职工反映调岗诉求')
await writeRemark(A.page, marker)
await synced(A.page)
await synced(A.page)
await A.ctx.close()

// Tablet B: same user, no keys yet; the server has the key and its backups.
const B = await signIn(browser, base, 'cadre', errors)
await B.page.click('[data-test=set-up-keys]')
await B.page.waitForSelector('[data-test=secret]', { timeout: 20000 })
check(await B.page.isVisible('[data-test=recover]'), 'a second device is offered recovery, not a new key')
check(!(await B.page.isVisible('[data-test=pin] input')), 'recovery does not ask for a PIN again: it was set right after sign-in')
await fill(B.page, 'secret', '这不是我的口令-wrong-passphrase')
await B.page.click('[data-test=recover]')
await B.page.waitForFunction(() => document.querySelector('[data-test=secret]')?.textContent?.includes('口令或恢复码不正确'), null, { timeout: 30000 })
check(true, 'a wrong passphrase is refused (口令或恢复码不正确)')
await fill(B.page, 'secret', PASSPHRASE)
await B.page.click('[data-test=recover]')
await B.page.waitForURL((u) => !u.pathname.startsWith('/keys'), { timeout: 30000 })
check(!(await B.page.isVisible('[data-test=needs-keys]')), 'the key is recovered on the new device')
await synced(B.page)
await gotoApp(B.page, ivUrl)
await B.page.click('.van-tab:has-text("保密备注")')
await B.page.click('[data-test=remark-view]')
await B.page.waitForSelector('[data-test=remark-text]')
check((await B.page.textContent('[data-test=remark-text]')).includes(marker), 'the recovered key opens the remark written on the other device')
await B.page.screenshot({ path: `${out}/40-recovered-remark.png` })

// App lock, offline (the reload below needs the service worker in control).
await swControls(B.page)
await B.ctx.setOffline(true)
await B.page.click('[data-test=lock-now]')
await B.page.waitForSelector('[data-test=lock-screen]')
check(!(await B.page.isVisible('[data-test=remark-text]')), 'locking hides the screen (the plaintext is unmounted)')
await B.page.screenshot({ path: `${out}/41-locked.png` })
const wrong = async (pin) => {
  await fill(B.page, 'lock-pin', pin)
  await B.page.click('[data-test=unlock]')
  await B.page.waitForSelector('[data-test=lock-error]')
  return (await B.page.textContent('[data-test=lock-error]')).trim()
}
const e1 = await wrong('000000')
check(e1.includes('1 秒'), `first wrong PIN waits 1 s (${e1})`)
await B.page.waitForTimeout(1100)
const e2 = await wrong('111111')
check(e2.includes('2 秒'), `second wrong PIN waits 2 s (${e2})`)
await B.page.waitForTimeout(2100)
const e3 = await wrong('222222')
check(e3.includes('4 秒'), `third wrong PIN waits 4 s (${e3})`)
await B.page.reload()
await B.page.waitForSelector('[data-test=lock-screen]')
check(true, 'a reload starts locked (offline)')
const e4 = await wrong(PIN)
check(/请 \d 秒后再试/.test(e4), `the wait survives the reload: even the right PIN is not tried yet (${e4})`)
await B.page.waitForTimeout(4200)
await fill(B.page, 'lock-pin', PIN)
await B.page.click('[data-test=unlock]')
await B.page.waitForSelector('[data-test=lock-screen]', { state: 'detached', timeout: 15000 })
check(await B.page.isVisible('[data-test=interview]'), 'the right PIN unlocks offline, back on the same screen')

// The cached unlock share expires (as 30 days offline would): offline, even the right PIN cannot
// unlock and the screen says to connect; back online the share is fetched again and it unlocks.
await B.page.evaluate(async () => {
  const db = await new Promise((res, rej) => { const r = indexedDB.open('fangtan'); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error) })
  const tx = db.transaction('meta', 'readwrite')
  const store = tx.objectStore('meta')
  const get = store.get('unlock_share')
  get.onsuccess = () => store.put({ ...get.result, expires_at: Date.now() - 1000 }, 'unlock_share')
  await new Promise((res) => { tx.oncomplete = res })
  db.close()
})
await B.page.reload()
await B.page.waitForSelector('[data-test=lock-screen]')
const expired = await wrong(PIN)
check(expired.includes('需要联网'), `an expired unlock share refuses even the right PIN offline, asking to connect (${expired})`)
await B.ctx.setOffline(false)
await fill(B.page, 'lock-pin', PIN)
await B.page.click('[data-test=unlock]')
await B.page.waitForSelector('[data-test=lock-screen]', { state: 'detached', timeout: 15000 })
const renewed = await B.page.evaluate(async () => {
  const db = await new Promise((res, rej) => { const r = indexedDB.open('fangtan'); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error) })
  const v = await new Promise((res) => { const r = db.transaction('meta').objectStore('meta').get('unlock_share'); r.onsuccess = () => res(r.result) })
  db.close()
  return v?.expires_at ?? 0
})
check(renewed - Date.now() > 29 * 86_400_000, 'online, the share is fetched again (valid 30 days) and the PIN unlocks')

check(errors.length === 0, `no page errors (${errors.join('; ')})`)
await browser.close()
