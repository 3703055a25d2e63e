// PWA budgets (issue 4), measured in headless Debian Chromium against a running fangtan server:
//   1. offline cold start to an interactive home screen (server stopped, network cut), median of N;
//   2. time for 1,000 notes captured offline to sync on reconnect (outbox -> server, pull back).
// Usage: node bench/pwa.mjs URL  — prints one JSON object on the last line.
// The driver (bench/pwa.py) stops and restarts the server when this script prints "control: …".
import { createRequire } from 'node:module'
import { createInterface } from 'node:readline'

const require = createRequire(new URL('../pwa/package.json', import.meta.url))
const { chromium } = require('playwright-core')
const { setPinIfAsked, PIN } = await import('../pwa/scripts/lib-confidential.mjs')

const base = process.argv[2]
const runs = Number(process.env.BENCH_COLD_RUNS ?? 7)
const notes = Number(process.env.BENCH_NOTES ?? 1000)
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]()
async function control(action) {
  console.log(`control: ${action}`)
  const { value } = await lines.next()
  if (value?.trim() !== 'done') throw new Error(`control ${action} failed: ${value}`)
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
})
const ctx = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN' })
let page = await ctx.newPage()
await page.goto(base + '/')
await page.fill('[data-test="username"] input', 'cadre')
await page.fill('[data-test="password"] input', 'fangtan-demo')
await page.click('[data-test=login]')
await page.waitForURL('**/interviews')
// Every device sets its unlock PIN right after the first sign-in, before the first sync.
await setPinIfAsked(page)
await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 30000 })
await page.waitForFunction(() => /\d:\d/.test(document.querySelector('[data-test=last-sync]')?.textContent ?? ''), null, { timeout: 30000 })

// 1. Offline cold start: a fresh tab with the server down and the network cut.
await control('stop-server')
await ctx.setOffline(true)
await page.close()
// Every load starts locked: the cold start ends when the PIN field is actionable; the unlock
// (PIN + cached unlock share → PBKDF2 600,000 → data key) to the home screen is measured apart.
const cold = []
const unlock = []
for (let i = 0; i < runs; i++) {
  page = await ctx.newPage()
  const t0 = Date.now()
  await page.goto(base + '/interviews')
  await page.waitForSelector('[data-test=lock-pin] input', { state: 'visible' })
  await page.locator('[data-test=lock-pin] input').click({ trial: true }) // actionable = interactive
  cold.push(Date.now() - t0)
  const t1 = Date.now()
  await page.fill('[data-test=lock-pin] input', PIN)
  await page.click('[data-test=unlock]')
  await page.waitForSelector('[data-test=new-interview]', { state: 'visible' })
  await page.locator('[data-test=new-interview]').click({ trial: true })
  unlock.push(Date.now() - t1)
  if (i < runs - 1) await page.close()
}

// 2. 1,000 notes captured offline: written into the outbox exactly as the app records them
// (next_mutation_id continues), then the network returns and the app syncs.
// Pulled rows are sealed at rest; the signed-in user's unit is in the plaintext `meta`.
const unitId = await page.evaluate(async () => {
  const db = await new Promise((ok, ko) => { const r = indexedDB.open('fangtan'); r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error) })
  const user = await new Promise((ok) => { const r = db.transaction('meta').objectStore('meta').get('user'); r.onsuccess = () => ok(r.result) })
  db.close()
  return user.unit_id
})
// Written in plaintext, as an app from before sealing at rest would have: the sealed layer reads
// such records as they are and seals them when the sync touches them.
await page.evaluate(async ({ n, unitId }) => {
  const uuid = () => crypto.randomUUID()
  const db = await new Promise((ok, ko) => { const r = indexedDB.open('fangtan'); r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error) })
  const tx = db.transaction(['outbox', 'meta'], 'readwrite')
  const meta = tx.objectStore('meta')
  const next = await new Promise((ok) => { const r = meta.get('next_mutation_id'); r.onsuccess = () => ok(r.result ?? 1) })
  const now = new Date().toISOString()
  const interviewId = uuid()
  const text = '精馏塔回流泵机械密封每月泄漏两次，备件采购周期长达四十天，职工建议建立常用备件储备并由设备管理部统一调配，以减少非计划停车对指标完成的影响。'.repeat(3)
  const entry = (id, name, args, entity, row) => ({ id, name, args, client_time: now, created_at: now, state: 'pending', entity, row_id: row, attempts: 0 })
  const out = tx.objectStore('outbox')
  out.add(entry(next, 'interview.save', { id: interviewId, adhoc_reason: '基准测试', form: 'walkthrough', unit_id: unitId, place: '精馏装置区' }, 'interview', interviewId))
  for (let i = 1; i <= n; i++) {
    const id = uuid()
    out.add(entry(next + i, 'note.add', { id, interview_id: interviewId, prompt_id: 'business.2', text: `${i} ${text}` }, 'note', id))
  }
  meta.put(next + n + 1, 'next_mutation_id')
  await new Promise((ok, ko) => { tx.oncomplete = ok; tx.onerror = () => ko(tx.error) })
  db.close()
}, { n: notes, unitId })
await control('start-server')
const t0 = Date.now()
await ctx.setOffline(false)
await page.click('[data-test=sync-now]')
// Poll from here: waitForFunction would treat the async predicate's Promise as already truthy.
const outboxCount = () => page.evaluate(async () => {
  const db = await new Promise((ok) => { const r = indexedDB.open('fangtan'); r.onsuccess = () => ok(r.result) })
  const count = await new Promise((ok) => { const r = db.transaction('outbox').objectStore('outbox').count(); r.onsuccess = () => ok(r.result) })
  db.close()
  return count
})
while ((await outboxCount()) > 0) {
  if (Date.now() - t0 > 120000) throw new Error('outbox not empty after 120 s')
  await new Promise((r) => setTimeout(r, 25))
}
const syncMs = Date.now() - t0

// 3. 1,000 notes plus 100 edits of rows created in the same offline session: per problem, it is
// raised, five notes later edited, five notes later the next one is raised. A sync attempt while
// the server was down froze each problem's issue.raise, so its edit could not fold into it (as the
// app records it: store/outbox.ts enqueue marks such an edit `needs_base`). Counted: push and pull
// phases (a phase = consecutive requests of one kind), requests, and the 立即同步 taps it takes
// until the outbox is empty (a tap = one app sync; its rounds are capped, see sync/client.ts).
await ctx.setOffline(true)
const edits = Number(process.env.BENCH_EDITS ?? 100)
const firstIssue = await page.evaluate(async ({ n, edits, unitId }) => {
  const uuid = () => crypto.randomUUID()
  const db = await new Promise((ok, ko) => { const r = indexedDB.open('fangtan'); r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error) })
  const tx = db.transaction(['outbox', 'meta'], 'readwrite')
  const meta = tx.objectStore('meta')
  let id = await new Promise((ok) => { const r = meta.get('next_mutation_id'); r.onsuccess = () => ok(r.result ?? 1) })
  const now = new Date().toISOString()
  const interviewId = uuid()
  const text = '合成氨装置循环水泵轴承温度偏高，夜班巡检记录不全，职工建议增加在线测温并明确交接班检查项。'.repeat(3)
  const out = tx.objectStore('outbox')
  const add = (name, args, entity, row, extra = {}) => out.add({ id: id++, name, args, client_time: now, created_at: now, state: 'pending', entity, row_id: row, attempts: 0, ...extra })
  add('interview.save', { id: interviewId, adhoc_reason: '基准测试', form: 'walkthrough', unit_id: unitId, place: '合成氨装置区' }, 'interview', interviewId, { state: 'frozen' })
  const perIssue = Math.floor(n / edits)
  let notes = 0
  const note = () => { const nid = uuid(); notes++; add('note.add', { id: nid, interview_id: interviewId, prompt_id: 'business.2', text: `${notes} ${text}` }, 'note', nid) }
  let first = null
  for (let k = 0; k < edits; k++) {
    const issue = uuid()
    first ??= issue
    add('issue.raise', { id: issue, interview_id: interviewId, category: 'business', description: `问题 ${k}：循环水泵轴承温度偏高`, unit_ids: [unitId] }, 'issue', issue, { state: 'frozen' })
    for (let i = 0; i < perIssue / 2; i++) note()
    add('issue.update', { id: issue, solution: `方案 ${k}：增加在线测温` }, 'issue', issue, { needs_base: true })
    for (let i = 0; i < perIssue / 2; i++) note()
  }
  while (notes < n) note()
  meta.put(id, 'next_mutation_id')
  await new Promise((ok, ko) => { tx.oncomplete = ok; tx.onerror = () => ko(tx.error) })
  db.close()
  return first
}, { n: notes, edits, unitId })
const calls = []
page.on('request', (r) => {
  const path = new URL(r.url()).pathname
  if (path === '/api/sync/push') calls.push('push')
  else if (path === '/api/sync/pull') calls.push('pull')
})
const t2 = Date.now()
await ctx.setOffline(false) // the app syncs on `online`; a tap while it runs is a no-op
let taps = 0
for (;;) {
  await page.waitForFunction(() => !document.querySelector('[data-test=sync-now] .van-loading'), null, { timeout: 120000 })
  if ((await outboxCount()) === 0) break
  if (Date.now() - t2 > 600000) throw new Error('outbox not empty after 600 s')
  taps++
  await page.click('[data-test=sync-now]')
  // The tap's sync has started once the button shows it (or it already ended: outbox checked above).
  await page.waitForFunction(() => !!document.querySelector('[data-test=sync-now] .van-loading'), null, { timeout: 5000 }).catch(() => {})
}
const editsMs = Date.now() - t2
const phases = calls.filter((c, i) => c !== calls[i - 1])
await browser.close()
cold.sort((a, b) => a - b)
unlock.sort((a, b) => a - b)
console.log(JSON.stringify({ cold_start_ms: cold, cold_start_median_ms: cold[Math.floor(cold.length / 2)], unlock_ms: unlock, unlock_median_ms: unlock[Math.floor(unlock.length / 2)], notes, sync_ms: syncMs, edits: { notes, edits, first_issue: firstIssue, ms: editsMs, push_phases: phases.filter((c) => c === 'push').length, pull_phases: phases.filter((c) => c === 'pull').length, pushes: calls.filter((c) => c === 'push').length, pulls: calls.filter((c) => c === 'pull').length, taps } }))
process.exit(0)
