// A company-wide role's device holds other people's notes only once their interview is opened
// (docs/sync-protocol.md §3.1), in the real app: HR signs in and syncs; the cadre's notes are not on
// the device; opening the first interview fetches them; offline, a second interview's notes tab says
// they are on the server (in Chinese, with a retry), the first interview's notes still show; back
// online, 重试 brings the second one's.
// Usage: node scripts/opened-notes.mjs URL OUTDIR <interview id> <interview id>
import { chromium } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { signIn, gotoApp } from './lib-confidential.mjs'
import { textSettled } from './lib-wait.mjs'

const [base, out, first, second] = process.argv.slice(2)
mkdirSync(out, { recursive: true })
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
const check = (cond, msg) => { if (!cond) { console.error('FAIL:', msg); process.exitCode = 1 } else console.log('ok:', msg) }
const errors = []

const { ctx, page } = await signIn(browser, base, 'hr', errors)
const heldNotes = () => page.evaluate(() => new Promise((resolve) => {
  const r = indexedDB.open('fangtan')
  r.onsuccess = () => {
    const q = r.result.transaction('rows').objectStore('rows').index('by_parent').count(IDBKeyRange.bound(['note', ''], ['note', '\uffff']))
    q.onsuccess = () => { resolve(q.result); r.result.close() }
  }
}))
check((await heldNotes()) === 0, 'after the first sync the device holds none of the cadre’s notes')

async function notesTab(id) {
  await page.evaluate((path) => { history.pushState({}, '', path); dispatchEvent(new PopStateEvent('popstate')) }, `/interviews/${id}`)
  await page.waitForSelector('[data-test=interview]')
  await page.click('.van-tab:has-text("访谈要点")')
}
async function noteTexts() {
  return page.$$eval('[data-test=interview] [data-test=note]', (els) => els.map((e) => e.textContent ?? ''))
}

await notesTab(first)
const fetched = await textSettled(page, '[data-test=interview]', (s) => s.includes('第一次访谈的第二条要点'))
check(fetched.includes('第一次访谈的第一条要点') && fetched.includes('第一次访谈的第二条要点'), 'opening the interview fetches its notes')
check((await textSettled(page, '.van-tab--active', (s) => s.includes('（2）'))).includes('访谈要点（2）'), 'the tab counts the fetched notes')
check((await heldNotes()) === 2, 'the fetched notes are kept on the device')
await page.screenshot({ path: `${out}/01-fetched.png` })

await ctx.setOffline(true)
await notesTab(second)
const said = await textSettled(page, '[data-test=notes-fetch]', (s) => s.includes('联网后再打开本页'))
check(said.includes('本机只保存打开过的访谈的要点') && said.includes('联网后再打开本页即可查看全部要点'), 'offline, the notes tab says where the notes are')
check(!(await noteTexts()).some((t) => t.includes('第二次访谈')), 'offline, the second interview shows no notes')
check((await page.textContent('.van-tab--active'))?.trim() === '访谈要点', 'offline, the tab claims no count')
await page.screenshot({ path: `${out}/02-offline.png` })

await notesTab(first)
check((await textSettled(page, '[data-test=interview]', (s) => s.includes('第一次访谈的第二条要点'))).includes('第一次访谈的第一条要点'),
  'offline, the interview opened before still shows its notes')

await notesTab(second)
await page.waitForSelector('[data-test=notes-fetch-retry]')
await ctx.setOffline(false)
await page.click('[data-test=notes-fetch-retry]')
check((await textSettled(page, '[data-test=interview]', (s) => s.includes('第二次访谈的要点'))).includes('第二次访谈的要点'), 'back online, 重试 fetches them')
check(!(await page.isVisible('[data-test=notes-fetch]')), 'the notice goes once they are here')
await page.screenshot({ path: `${out}/03-online-again.png` })

check(errors.length === 0, `no page errors (${errors.join(' | ')})`)
await ctx.close()
await browser.close()
