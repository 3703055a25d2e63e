// Confidential remarks in a PERSISTENT Chromium profile (docs/security.md §4 "Confidential remarks:
// threat model"), as an installed PWA keeps one on the tablet's disk:
//  4. a remark typed quickly and reloaded at once (while it shows 加密中…) is back in the editor,
//     whole, after the reload (the journal, sealed at rest);
//  5. the remark's marker is in no file of the profile directory (every file, recursively, UTF-8 and
//     UTF-16LE) after typing, after a reload, after the browser is killed (SIGKILL, by its pid) and
//     after a clean close; nor is a second marker typed into an ordinary field (a participant's post). Each scan
//     first waits until a control string the page put into history.state is on disk, so it is known
//     to read what session restore wrote;
//  6. the officer enrols after the remark was written: she sees it waiting 等待作者的设备联网后为您授权
//     with its interview named (form · place · date, no hex id); the author's device syncs and
//     re-wraps it; the officer syncs and reads it.
// Usage: node scripts/remarks-profile.mjs URL OUTDIR MARKER PLAIN_MARKER PROFILES_DIR
import { mkdirSync, readdirSync, readFileSync, rmSync, lstatSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { harness, enrol, synced, signInOn, unlockIfLocked, newInterview, PIN } from './lib-confidential.mjs'
import { settle, textSettled } from './lib-wait.mjs'

const base = process.argv[2] ?? 'http://127.0.0.1:8765'
const out = process.argv[3] ?? '/tmp/pwa-shots'
const marker = process.argv[4] ?? `RMK-${Date.now().toString(16)}-夜班调岗`
const plainMarker = process.argv[5] ?? `NOTE-${Date.now().toString(16)}-食堂意见`
const profiles = process.argv[6] ?? '/tmp/pwa-profiles'
mkdirSync(out, { recursive: true })
/** Part of the control strings (which must share nothing with the markers). */
const ctl = Math.random().toString(36).slice(2, 12)
const { errors, check } = harness(out)
const cadreDir = join(profiles, 'cadre')
const officerDir = join(profiles, 'officer')
for (const d of [cadreDir, officerDir]) {
  rmSync(d, { recursive: true, force: true })
  mkdirSync(d, { recursive: true })
}

// --- the profile scan -------------------------------------------------------------------------
const forms = (s) => [Buffer.from(s, 'utf8'), Buffer.from(s, 'utf16le')]
const secretNeedles = [marker, marker.split('-')[1], plainMarker, plainMarker.split('-')[1]].flatMap((s) => forms(s).map((b) => [s, b]))

function filesUnder(dir) {
  const all = []
  const walk = (d) => {
    let entries
    try { entries = readdirSync(d) } catch { return }
    for (const name of entries) {
      const p = join(d, name)
      let st
      try { st = lstatSync(p) } catch { continue }
      if (st.isDirectory()) walk(p)
      else if (st.isFile()) all.push(p)
    }
  }
  walk(dir)
  return all
}

/** Every file of the profile that holds `needles` (any encoding given). */
function scan(dir, needles) {
  const hits = []
  let files = 0
  let bytes = 0
  for (const p of filesUnder(dir)) {
    let data
    try { data = readFileSync(p) } catch { continue }
    files++
    bytes += data.length
    for (const [label, b] of needles) if (data.includes(b)) hits.push(`${label} in ${p.slice(dir.length)}`)
  }
  return { hits, files, bytes }
}

/**
 * Wait until `control` (put into history.state by the page, which session restore stores) is in the
 * profile, then report where the secrets are. Without the control on disk the scan proves nothing.
 */
async function scanProfile(when, dir, control, { timeout = 30000 } = {}) {
  const found = control
    ? await settle(() => scan(dir, forms(control).map((b) => [control, b])).hits.length > 0, (v) => v, { timeout })
    : true
  const r = scan(dir, secretNeedles)
  writeFileSync(join(out, `profile-scan-${when.replace(/\W+/g, '-')}.json`), JSON.stringify(r, null, 1))
  if (control) check(found, `${when}: the control string in history.state reached the profile (session restore was written)`)
  check(r.hits.length === 0, `${when}: neither marker is in any of the ${r.files} files (${(r.bytes / 1e6).toFixed(1)} MB) of the profile, UTF-8 or UTF-16 (${r.hits.join('; ')})`)
  return r
}

/** Put a control string into the current history entry (the app's own state kept). */
async function markHistory(page, control) {
  await page.evaluate((c) => history.replaceState({ ...(history.state ?? {}), ftControl: c }, ''), control)
}

// --- browsers ---------------------------------------------------------------------------------
const launchProfile = (dir) => chromium.launchPersistentContext(dir, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
  viewport: { width: 1024, height: 768 },
  locale: 'zh-CN',
})

function watchErrors(page, who) {
  page.on('pageerror', (e) => errors.push(`${who} pageerror: ${e.message}`))
}

/** The pid of the browser process (not a renderer or helper) running on `dir`. */
function browserPid(dir) {
  for (const pid of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    let cmd
    try { cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0') } catch { continue }
    if (cmd.includes(`--user-data-dir=${dir}`) && !cmd.some((a) => a.startsWith('--type='))) return Number(pid)
  }
  return null
}

async function signInProfile(dir, user) {
  const ctx = await launchProfile(dir)
  const page = ctx.pages()[0] ?? (await ctx.newPage())
  watchErrors(page, user)
  await signInOn(page, base, user)
  return { ctx, page }
}

async function reopen(dir, url, who) {
  const ctx = await launchProfile(dir)
  const page = ctx.pages()[0] ?? (await ctx.newPage())
  watchErrors(page, who)
  await page.goto(url)
  await unlockIfLocked(page, PIN)
  return { ctx, page }
}

const editor = '[data-test=remark-input] [contenteditable]'
const editorText = (page) => settle(async () => ((await page.locator(editor).count()) ? await page.locator(editor).innerText() : null), (v) => v === marker, { timeout: 20000 })
const remarksTab = (page) => page.click('.van-tab:has-text("保密备注")')
const sealedShown = (page) => page.waitForFunction(() => document.querySelector('[data-test=seal-state]')?.textContent?.includes('已加密保存'), null, { timeout: 20000 })

// --- the cadre writes a remark before the officer has a key ---------------------------------------
let C = await signInProfile(cadreDir, 'cadre')
await enrol(C.page, base)
await C.page.click('[data-test=code-done]')
await synced(C.page)
const ivUrl = await newInterview(C.page, base, '职工反映家庭困难')

// An ordinary field that keeps its text on screen (the participant's post): the second marker. It
// is autosaved (sealed at rest here, plaintext on the server: only remarks are end to end).
await C.page.click('[data-test=participant-0-post] input')
await C.page.keyboard.press('End')
await C.page.keyboard.type(plainMarker)
check((await C.page.getAttribute('[data-test=participant-0-post] input', 'autocomplete')) === 'off', 'the post field is autocomplete="off" (kept out of session restore)')

// 4. Typed quickly, reloaded at once: the whole text is back in the editor.
await remarksTab(C.page)
await C.page.click('[data-test=remark-add]')
await C.page.click(editor)
await C.page.keyboard.type(marker)
check(await C.page.evaluate(() => document.querySelector('[data-test=remark-input] textarea, [data-test=remark-input] input') === null), 'the remark editor is no form control (contenteditable)')
await C.page.reload()
await unlockIfLocked(C.page, PIN)
await remarksTab(C.page)
// The unsealed draft is reopened in the editor, or — when the sync right after the unlock came
// first — already sealed from it: either way the whole text is there.
await C.page.waitForSelector(`${editor}, [data-test=remark-card]`, { timeout: 20000 })
let back
if (await C.page.isVisible(editor)) {
  back = await editorText(C.page)
  check(await C.page.isVisible('[data-test=remark-restored]'), 'the editor says the unsaved text was restored')
  await sealedShown(C.page)
} else {
  await C.page.click('[data-test=remark-view]')
  back = await textSettled(C.page, '[data-test=remark-text]', (t) => t === marker)
  console.log('(the sync after the unlock sealed the draft before the tab opened)')
}
check(back === marker, `after a reload right after typing, the whole remark is back (${back?.length} of ${marker.length} characters)`)
await markHistory(C.page, `CTL-typed-${ctl}`)
await C.page.screenshot({ path: `${out}/40-remark-restored.png` })
await scanProfile('after typing', cadreDir, `CTL-typed-${ctl}`)

// After a reload of the page that shows the editor with the text.
await C.page.reload()
await unlockIfLocked(C.page, PIN)
await remarksTab(C.page)
await C.page.waitForSelector('[data-test=remark-card], [data-test=remark-editor]')
await markHistory(C.page, `CTL-reload-${ctl}`)
await scanProfile('after a reload', cadreDir, `CTL-reload-${ctl}`)

// Back in the editor, then the browser is killed (no shutdown, no flush).
if (!(await C.page.isVisible(editor))) {
  await C.page.click('[data-test=remark-view]')
  await C.page.click('[data-test=remark-edit]')
}
check((await editorText(C.page)) === marker, 'the remark is in the editor before the crash')
await markHistory(C.page, `CTL-crash-${ctl}`)
await settle(() => scan(cadreDir, forms(`CTL-crash-${ctl}`).map((b) => ['c', b])).hits.length > 0, (v) => v, { timeout: 30000 })
const pid = browserPid(cadreDir)
check(pid !== null, `found the cadre's browser process (${pid})`)
if (pid) process.kill(pid, 'SIGKILL')
await settle(() => browserPid(cadreDir) === null, (v) => v, { timeout: 15000 })
await C.ctx.close().catch(() => {})
await scanProfile('after the browser was killed', cadreDir, null)

// Relaunched on the same profile: the remark is there (sealed), and syncs.
C = await reopen(cadreDir, ivUrl, 'cadre')
await remarksTab(C.page)
if (await C.page.isVisible('[data-test=remark-done]')) await C.page.click('[data-test=remark-done]')
await C.page.waitForSelector('[data-test=remark-card]')
await synced(C.page)
check((await C.page.locator('[data-test=remark-card]').count()) === 1, 'after the crash one remark is there, and synced')
await C.page.click('[data-test=remark-view]')
check((await textSettled(C.page, '[data-test=remark-text]', (t) => t.includes(marker))).includes(marker), 'after the crash the author opens the whole remark')
await C.page.click('.van-button:has-text("收起")')
await synced(C.page)
await C.ctx.close()
await scanProfile('after a clean close', cadreDir, null)

// --- 6. the officer enrols late ---------------------------------------------------------------
const O = await signInProfile(officerDir, 'officer')
await enrol(O.page, base)
await O.page.click('[data-test=code-done]')
await synced(O.page)
await O.page.goto(base + '/remarks')
await unlockIfLocked(O.page, PIN)
await O.page.waitForSelector('[data-test=officer-remark]')
const waiting = await textSettled(O.page, '[data-test=officer-remark-waiting]', (t) => t.includes('等待作者的设备联网后为您授权'))
check(waiting.includes('等待作者的设备联网后为您授权') && waiting.includes('刘海涛'), `the officer sees the remark waiting for its author's device, and why (${waiting.trim().slice(0, 80)})`)
check((await O.page.textContent('[data-test=waiting-summary]')).includes('1 条备注等待作者的设备联网后为您授权'), 'the officer sees how many remarks wait')
const label = (await O.page.textContent('[data-test=officer-remark-interview]')).trim()
check(label.includes('个别访谈') && /\d{4}-\d{2}-\d{2}|\d{1,2}月\d{1,2}日|\d{1,2}\/\d{1,2}/.test(label) && !/[0-9a-f]{8}/.test(label), `the officer's list names the interview: form · place · date, no hex id (${label})`)
check(!(await O.page.isVisible('[data-test=officer-remark-view]')), 'she cannot open it yet')
await O.page.screenshot({ path: `${out}/41-officer-waiting.png`, fullPage: true })

// The author's device comes online and syncs: it re-wraps the remark for the officer's key.
C = await reopen(cadreDir, ivUrl, 'cadre')
await synced(C.page)
await synced(C.page)
await C.ctx.close()

await synced(O.page)
await O.page.waitForSelector('[data-test=officer-remark-view]', { timeout: 20000 })
check((await O.page.locator('[data-test=officer-remark-waiting]').count()) === 0 && (await O.page.locator('[data-test=waiting-summary]').count()) === 0, 'nothing waits any more')
await O.page.click('[data-test=officer-remark-view]')
check((await textSettled(O.page, '[data-test=officer-remark-text]', (t) => t.includes(marker))).includes(marker), 'the late officer reads the remark')
await O.page.screenshot({ path: `${out}/42-officer-reads.png`, fullPage: true })
await O.page.click('.van-button:has-text("收起")')
await synced(O.page)
await O.ctx.close()
await scanProfile('the officer’s profile after a clean close', officerDir, null)

check(errors.length === 0, `no page errors (${errors.join('; ')})`)
