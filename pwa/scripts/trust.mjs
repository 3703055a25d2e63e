// Small things that erode trust (issue 16 point 7, docs/pwa.md "Small things a cadre trusts the app
// by"), in real Chromium on a tablet (1024×768, and 800×1280 where layout matters):
//  - the PIN screen opens the number pad and, like the lock screen, is centred at 1024, 800 and 390 px;
//  - 临时加访请填写原因 and 请选择问题分类 go as soon as the field is fixed;
//  - 按计划访谈 lists what is overdue or due now first, each with its status, the completed folded away;
//  - submitting with an unsaved problem draft asks first, and 返回草稿 opens the draft;
//  - 立即同步 offline, and with the server out of reach, says so and that the changes stay queued;
//  - 我的报告 names the interview as 我的访谈 does, the whole card opens it (mouse and keyboard), and
//    访谈情况综述 starts from the interview's 访谈总结 without ever replacing what the cadre wrote.
// Usage: node scripts/trust.mjs http://127.0.0.1:8765 [outdir]
import { mkdirSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { PIN, fill, gotoApp, harness, launch, syncEnded, syncState, synced } from './lib-confidential.mjs'
import { settle, swControls, textSettled, valueSettled } from './lib-wait.mjs'

const base = process.argv[2] ?? 'http://127.0.0.1:8765'
const out = process.argv[3] ?? '/tmp/pwa-shots'
mkdirSync(out, { recursive: true })
const { errors, check } = harness(out)
const browser = await launch()
const SIZES = [{ width: 1024, height: 768 }, { width: 800, height: 1280 }, { width: 390, height: 844 }]
const ctx = await browser.newContext({ viewport: SIZES[0], locale: 'zh-CN' })
const page = await ctx.newPage()
page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
const shot = (name) => page.screenshot({ path: `${out}/${name}.png` })

/** The panel's horizontal centre minus the viewport's (px), and whether it fits the screen. */
const centring = (panel) => page.evaluate((sel) => {
  const r = document.querySelector(sel).getBoundingClientRect()
  return { off: Math.round(r.left + r.width / 2 - window.innerWidth / 2), fits: r.left >= 0 && r.right <= window.innerWidth }
}, panel)
const pinAttrs = (sel) => page.evaluate((s) => {
  const i = document.querySelector(`[data-test=${s}] input`)
  return [i.getAttribute('inputmode'), i.getAttribute('pattern'), i.getAttribute('autocomplete')].join(' ')
}, sel)
// With FANGTAN_CONTROL=1 (the pytest driver) `control: stop-server` / `start-server` ask it to stop and
// start the real server, answered `done` on stdin.
const rl = process.env.FANGTAN_CONTROL === '1' ? createInterface({ input: process.stdin }) : null
const stdinLines = rl ? rl[Symbol.asyncIterator]() : null
async function control(what) {
  if (!stdinLines) { console.log(`note: not controlled (${what} skipped)`); return false }
  console.log(`control: ${what}`)
  const { value } = await stdinLines.next()
  if ((value ?? '').trim() !== 'done') throw new Error(`driver answered ${value} to ${what}`)
  return true
}
const fieldError = (sel) => page.evaluate((s) => document.querySelector(`[data-test=${s}] .van-field__error-message`)?.textContent?.trim() ?? '', sel)
/** The text of the 立即同步 notice once one matching `re` is on screen (the toast element is reused). */
async function toast(re) {
  const h = await page.waitForFunction((src) => {
    const el = [...document.querySelectorAll('.manual-sync-notice')].find((e) => getComputedStyle(e).display !== 'none' && e.getClientRects().length > 0)
    const text = el?.textContent?.trim() ?? ''
    return new RegExp(src).test(text) ? text : null
  }, re.source, { timeout: 30000 }).catch(() => null)
  if (h) return await h.jsonValue()
  // Not seen: say what was on screen instead, so a failure names its cause.
  const seen = await page.evaluate(() => [...document.querySelectorAll('.van-toast')].map((e) => e.textContent?.trim()).filter(Boolean).join(' | '))
  const status = await page.evaluate(() => document.querySelector('[data-test=status-bar], .status-bar')?.textContent?.trim() ?? '')
  console.log(`note: no notice matched ${re}; toasts on screen: [${seen}]; status: [${status}]`)
  return ''
}

try {
  // ---- 8. The PIN screen right after the first sign-in: number pad, centred at every size.
  await page.goto(base + '/login')
  await page.fill('[data-test=username] input', 'cadre')
  await page.fill('[data-test=password] input', 'fangtan-demo')
  await page.click('[data-test=login]')
  await page.waitForSelector('[data-test=pin-setup]', { timeout: 30000 })
  check((await pinAttrs('pin-new')) === 'numeric [0-9]* off' && (await pinAttrs('pin-new2')) === 'numeric [0-9]* off',
    'the PIN fields ask for the number pad (inputmode=numeric, pattern, no autofill)')
  for (const vp of SIZES) {
    await page.setViewportSize(vp)
    const c = await centring('[data-test=pin-setup] .panel')
    check(Math.abs(c.off) <= 2 && c.fits, `设置解锁密码 is centred at ${vp.width}×${vp.height} (off by ${c.off} px)`)
    await shot(`${vp.width}x${vp.height}-01-pin-setup`)
  }
  await page.setViewportSize(SIZES[0])
  // 1. (PIN) A too-short PIN is told, and the message goes once the PIN is long enough.
  await fill(page, 'pin-new', '12')
  await page.click('[data-test=pin-set]')
  check((await settle(() => fieldError('pin-new'), (t) => t.includes('至少需要 6 位'))).includes('至少需要 6 位'), 'a short PIN is told 解锁密码至少需要 6 位')
  await fill(page, 'pin-new', PIN)
  check((await textSettled(page, '[data-test=pin-new] .van-field__error-message', (t) => t === '')) === '', 'the PIN message goes once the PIN is long enough')
  await fill(page, 'pin-new2', PIN)
  await page.click('[data-test=pin-set]')
  await page.waitForSelector('[data-test=pin-setup]', { state: 'detached', timeout: 30000 })
  await synced(page)
  await swControls(page)

  // The lock screen: number pad (full keyboard on request), centred at every size.
  await page.click('[data-test=lock-now]')
  await page.waitForSelector('[data-test=lock-screen]')
  check((await pinAttrs('lock-pin')) === 'numeric [0-9]* off', 'the lock screen asks for the number pad')
  for (const vp of SIZES) {
    await page.setViewportSize(vp)
    const c = await centring('[data-test=lock-screen] .panel')
    check(Math.abs(c.off) <= 2 && c.fits, `the lock screen is centred at ${vp.width}×${vp.height} (off by ${c.off} px)`)
    await shot(`${vp.width}x${vp.height}-02-lock`)
  }
  await page.setViewportSize(SIZES[0])
  await page.click('[data-test=lock-keypad]')
  check((await pinAttrs('lock-pin')) === '  off', '使用全键盘 gives the full keyboard back (a PIN with letters)')
  await page.click('[data-test=lock-keypad]')
  await fill(page, 'lock-pin', PIN)
  await page.click('[data-test=unlock]')
  await page.waitForSelector('[data-test=lock-screen]', { state: 'detached', timeout: 20000 })

  // ---- 9. 按计划访谈: overdue and current first, each with its status; completed folded away.
  await gotoApp(page, base + '/interviews/new')
  await page.click('[data-test=source-plan]')
  await page.waitForSelector('[data-test^=plan-option-]')
  const options = () => page.$$eval('[data-test^=plan-option-]', (els) => els.map((el) => ({
    standing: el.getAttribute('data-standing'), tag: el.querySelector('[data-test=plan-status]')?.textContent?.trim() ?? '',
  })))
  const folded = await options()
  const rank = { overdue: 0, current: 0, upcoming: 1, completed: 2 }
  check(folded.length > 0 && folded.every((o) => o.tag), `every plan item shows its status (${folded.map((o) => o.tag).join('、')})`)
  check(['overdue', 'current'].includes(folded[0].standing), `the first plan item is overdue or due now (${folded[0].standing})`)
  check(folded.every((o, i) => i === 0 || rank[folded[i - 1].standing] <= rank[o.standing]), 'overdue and current first, then upcoming')
  check(folded.map((o) => o.standing).join(',') === 'overdue,current,upcoming', `the overdue item leads (earliest deadline), then the current one, then the one ahead (${folded.map((o) => o.standing)})`)
  check(folded.map((o) => o.tag).join('、') === '已逾期、待访谈、未开始', 'each says where it stands: 已逾期、待访谈、未开始')
  check(!folded.some((o) => o.standing === 'completed'), 'completed plan items are folded away')
  check(folded.some((o) => o.tag === '已逾期') && folded.some((o) => o.tag === '待访谈'), 'the statuses read 已逾期 and 待访谈')
  await page.setViewportSize(SIZES[1])
  await shot('800x1280-03-plan-picker')
  await page.setViewportSize(SIZES[0])
  check((await textSettled(page, '[data-test=plan-toggle-completed]', (t) => t.includes('显示已完成的 1 项'))).includes('显示已完成的 1 项'), 'the completed one is behind 显示已完成的 1 项')
  await page.click('[data-test=plan-toggle-completed]')
  const all = await settle(options, (o) => o.length > folded.length)
  check(all.length === folded.length + 1 && all[folded.length].standing === 'completed' && all[folded.length].tag === '已完成',
    `显示已完成 adds the completed items after the others (${all.map((o) => o.tag).join('、')})`)

  // ---- 1. 临时加访请填写原因 goes once a reason is typed.
  await page.click('[data-test=source-adhoc]')
  await page.click('[data-test=start]')
  check((await settle(() => fieldError('adhoc-reason'), (t) => t === '临时加访请填写原因')) === '临时加访请填写原因', '开始访谈 without a reason: 临时加访请填写原因')
  check(await settle(() => page.isVisible('[data-test=form-error]'), (v) => v), 'and 请选择访谈形式')
  await fill(page, 'adhoc-reason', '夜班职工反映排班问题')
  check((await textSettled(page, '[data-test=adhoc-reason] .van-field__error-message', (t) => t === '')) === '', 'the reason typed: 临时加访请填写原因 is gone')
  check(await page.isVisible('[data-test=form-error]'), 'the form is still asked for')
  await page.click('[data-test=form-walkthrough]')
  check((await settle(() => page.isVisible('[data-test=form-error]'), (v) => !v)) === false, 'a form chosen: its message is gone')
  await page.click('[data-test=start]')
  await page.waitForURL(/\/interviews\/[0-9a-f-]{36}$/)
  const ivUrl = page.url()
  await fill(page, 'place', '合成车间压缩机房')

  // 请选择问题分类 goes once a category is chosen; the problem is then left as a draft.
  await page.click('.van-tab:has-text("问题")')
  await page.click('[data-test=raise-issue]')
  await page.waitForSelector('[data-test=issue-editor]', { state: 'visible' })
  await fill(page, 'issue-description', '压缩机房夜间照明不足')
  await page.click('[data-test=issue-save]')
  check((await textSettled(page, '[data-test=issue-category] .van-field__error-message', (t) => t === '请选择问题分类')) === '请选择问题分类', '保存问题 without a category: 请选择问题分类')
  await page.click('[data-test=cat-management]')
  check((await textSettled(page, '[data-test=issue-category] .van-field__error-message', (t) => t === '')) === '', 'a category chosen: 请选择问题分类 is gone')
  await page.click('[data-test=cat-business]') // changed mind, still not saved: a draft
  await page.waitForTimeout(500) // the draft's debounced save (store/autosave.ts)
  await page.click('[data-test=issue-editor] .van-nav-bar__left')
  await page.waitForSelector('[data-test=issue-draft]')

  // ---- 3. Submitting with that draft asks first; 返回草稿 opens it. (Offline from here, so the
  // submission waits in the outbox for step 2.)
  await ctx.setOffline(true)
  await page.click('.van-tab:has-text("访谈要点")')
  await page.click('[data-test="covered-business.1"]')
  await page.click('.van-tab:has-text("总结与提交")')
  const summary = '压缩机房夜间照明不足，职工巡检存在安全隐患，需尽快整改。'
  await fill(page, 'summary', summary)
  await page.click('[data-test=submit-bottom]')
  await page.waitForSelector('.submit-drafts-dialog', { state: 'visible' })
  check((await textSettled(page, '.submit-drafts-dialog', (t) => t.includes('压缩机房夜间照明不足'))).includes('压缩机房夜间照明不足'), 'submitting with an unsaved problem asks first and names it')
  await shot('1024x768-04-submit-with-draft')
  await page.click('.submit-drafts-dialog .van-dialog__cancel')
  await page.waitForSelector('[data-test=issue-editor]', { state: 'visible' })
  check((await valueSettled(page, '[data-test=issue-description] textarea', '压缩机房夜间照明不足')) === '压缩机房夜间照明不足', '返回草稿 opens the draft where it was left')
  check(((await page.textContent('[data-test=interview] h1')) ?? '').includes('草稿'), 'and nothing was submitted (still 草稿)')
  await page.click('[data-test=issue-save]')
  await page.click('[data-test=slip-close]')
  await page.waitForSelector('[data-test=issue-card]')
  await page.click('.van-tab:has-text("总结与提交")')
  await page.click('[data-test=submit-bottom]')
  await page.waitForSelector('.van-toast:has-text("已提交")', { timeout: 15000 })
  check(!(await page.isVisible('.submit-drafts-dialog')), 'with no draft left, the interview submits without asking')

  // ---- 2. 立即同步 offline: said, and the changes stay queued.
  await page.click('[data-test=sync-now]')
  const offlineText = await toast(/当前离线：\d+ 条修改已保存在本机/)
  check(!!offlineText, `立即同步 offline says so and that the changes stay queued (${offlineText})`)
  await shot('1024x768-05-sync-offline')
  // The network is back but the server does not answer (stopped by the driver).
  const controlled = await control('stop-server')
  const offlineRuns = await syncState(page)
  await ctx.setOffline(false)
  if (controlled) {
    // The page learns it is online a moment after the context does; pressed before that, 立即同步
    // rightly says 当前离线. Pressed while the sync the 'online' event starts runs, it would join
    // that run: wait for it to end first.
    await page.waitForFunction(() => navigator.onLine === true, null, { timeout: 30000 })
    await syncEnded(page, offlineRuns)
    await page.click('[data-test=sync-now]')
    const downText = await toast(/连不上服务器：\d+ 条修改仍保存在本机/)
    check(!!downText, `立即同步 with the server out of reach says so (${downText})`)
    await control('start-server')
  }
  // Pressed while a sync that started with the server down is still retrying, it would join that run.
  await syncEnded(page, { begun: -1 })
  await page.click('[data-test=sync-now]')
  check(!!(await toast(/^已同步/)), '立即同步 online says 已同步')
  await synced(page)

  // ---- 5. One name: 我的访谈 and 我的报告 call the interview the same.
  await gotoApp(page, base + '/interviews')
  const listName = ((await page.textContent('[data-test=interview-card] [data-test=interview-name]')) ?? '').trim()
  check(listName.startsWith('现场走访 · 合成车间压缩机房 · '), `我的访谈 names it form · place · date (${listName})`)
  await gotoApp(page, base + '/followup/reports')
  await page.waitForSelector('[data-test=report-card]')
  const card = page.locator('[data-test=report-card]').first()
  check(((await card.locator('[data-test=report-name]').textContent()) ?? '').trim() === listName, '我的报告 names it the same')

  // ---- 6. The whole card opens the report, not only its header row; 4. the 综述 starts from the 总结.
  await card.locator('[data-test=report-due]').click()
  await page.waitForSelector('[data-test=report-summary]')
  check(true, 'a click on the card below its header opens the report')
  check((await valueSettled(page, '[data-test=report-summary] textarea', summary)) === summary, '访谈情况综述 starts from the interview’s 访谈总结')
  await page.setViewportSize(SIZES[1])
  await shot('800x1280-06-report-open')
  await page.setViewportSize(SIZES[0])
  const mine = '本次走访发现照明问题一项，已交办。'
  await fill(page, 'report-summary', mine)
  await page.click('[data-test=report-title] input')
  await page.click('[data-test=report-summary] textarea') // clicks inside the open report do not close it
  check(await page.isVisible('[data-test=report-summary]'), 'clicks inside the open report keep it open')
  await card.locator('[data-test=report-toggle]').click()
  await page.waitForSelector('[data-test=report-summary]', { state: 'detached' })
  // Keyboard: the header is a button (Tab to it, Enter opens).
  await card.locator('[data-test=report-toggle]').focus()
  await page.keyboard.press('Enter')
  await page.waitForSelector('[data-test=report-summary]')
  check((await valueSettled(page, '[data-test=report-summary] textarea', mine)) === mine, 'reopened: what the cadre wrote is kept, not replaced by the 总结')
  await page.keyboard.press('Tab')
  await card.locator('[data-test=report-toggle]').focus()
  await page.keyboard.press(' ')
  await page.waitForSelector('[data-test=report-summary]', { state: 'detached' })
  check(true, 'the keyboard opens and closes the report (Enter, Space)')
  check((await card.locator('[data-test=report-toggle]').getAttribute('aria-expanded')) === 'false', 'the header says whether it is open (aria-expanded)')
  void ivUrl
} catch (e) {
  check(false, `unexpected: ${e instanceof Error ? e.stack : e}`)
  await shot('99-failure').catch(() => {})
} finally {
  check(errors.length === 0, `no page errors (${errors.join('; ')})`)
  await browser.close()
  rl?.close() // an open stdin keeps node running
}
