// Issue 16 point 4: no English inside a Chinese screen. Signs in as every demo role in zh-CN and
// visits every route of src/router.ts (read from the source, so a screen added later is crawled
// too; a route neither visited nor excluded below with a reason fails), opens every tab on each
// screen, and collects what a person reads: document.title, body.innerText (toasts and dialogs
// shown are part of it), placeholders, titles, aria-labels and alt texts. A Latin word outside
// latin-whitelist.json fails, naming the role, the route and the words; so does an ISO week (2026-W49).
// Data is stripped first: receipt/recovery codes, ids, addresses, file names, and anything inside an
// element marked data-code (an error code shown for support).
// Usage: node scripts/chinese-only.mjs URL OUTDIR '{"interview": "<id>", "issue": "<id>"}'
import { mkdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { harness, launch, setPinIfAsked, signInOn } from './lib-confidential.mjs'
import { settle } from './lib-wait.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const base = process.argv[2] ?? 'http://127.0.0.1:8765'
const out = process.argv[3] ?? '/tmp/pwa-shots'
const ids = JSON.parse(process.argv[4] ?? '{}')
mkdirSync(out, { recursive: true })
const { errors, check } = harness(out)
const WHITELIST = new Set(JSON.parse(readFileSync(join(here, 'latin-whitelist.json'), 'utf8')).words)
const ROLES = ['cadre', 'hr', 'leader', 'handler', 'unitlead', 'supervisor', 'officer', 'admin']

// Every route of the router, from its source: { path, name, redirect }.
const routerSource = readFileSync(join(here, '..', 'src', 'router.ts'), 'utf8')
const ROUTES = [...routerSource.matchAll(/\{\s*path:\s*'([^']+)',\s*name:\s*'([^']+)'([^\n]*)/g)].map((m) => ({
  path: m[1], name: m[2], redirect: /redirect:/.test(m[3]),
}))
const EXCLUDED = {
  home: "'/' only redirects to the role's home screen, which is one of the routes visited",
  'plan-item': "redirects to the role's plan screen (/plans/mine, /plans/unit, /plans/company), all visited",
}
const PARAMS = {
  interview: () => ids.interview && `/interviews/${ids.interview}`,
  'followup-problem': () => ids.issue && `/followup/problems/${ids.issue}`,
  'followup-report': () => ids.interview && `/followup/reports/${ids.interview}`,
  'not-found': () => '/no-such-screen',
}

function pathFor(route) {
  if (route.name in PARAMS) return PARAMS[route.name]()
  return route.path.includes(':') ? undefined : route.path
}

const DATA = [
  /https?:\/\/\S+/g, // addresses
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, // ids
  /\b[A-Z0-9]{4}(?:-[A-Z0-9…]{1,4})+/g, // receipt and recovery codes (and their XXXX-XXXX format)
  /[\w.-]+\.(?:xlsx|docx|zip|csv|crt|png|jpg|webm|pdf)\b/gi, // file names
  /[\w.+-]+@[\w-]+\.[\w.]+/g, // e-mail addresses
]
const ISO_WEEK = /\b\d{4}-W\d{1,2}\b/g

function offending(text) {
  const weeks = text.match(ISO_WEEK) ?? []
  let t = text
  for (const re of DATA) t = t.replace(re, ' ')
  const words = (t.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !WHITELIST.has(w))
  return [...new Set([...weeks, ...words])]
}

/** What a person reads on the page now. */
function readable(page) {
  return page.evaluate(() => {
    const codes = [...document.querySelectorAll('[data-code]')].map((e) => e.innerText)
    let text = document.body.innerText
    for (const c of codes) if (c) text = text.split(c).join(' ')
    const attrs = [...document.querySelectorAll('[placeholder], [title], [aria-label], [alt]')]
      .filter((e) => !e.closest('[data-code]'))
      .flatMap((e) => ['placeholder', 'title', 'aria-label', 'alt'].map((a) => e.getAttribute(a)).filter(Boolean))
    return [document.title, text, ...attrs].join('\n')
  })
}

/** The page's text once two reads in a row agree (screens fill in from IndexedDB after mounting). */
async function steady(page) {
  let last = null
  return settle(async () => readable(page), (v) => {
    const same = v === last
    last = v
    return same
  }, { timeout: 8000 })
}

const visited = new Set()
const bad = []
let screens = 0

async function judge(page, who, path, label) {
  const text = await steady(page)
  screens++
  const words = offending(text)
  if (words.length) {
    const lines = text.split('\n').filter((l) => offending(l).length).slice(0, 6)
    bad.push(`${who} ${path}${label ? ` [${label}]` : ''}: ${JSON.stringify(words)} in ${JSON.stringify(lines)}`)
  }
}

async function visit(page, who, route, path) {
  const ok = await page.evaluate(async (p) => {
    const router = document.querySelector('#app').__vue_app__.config.globalProperties.$router
    await router.push(p)
    return router.currentRoute.value.matched.length > 0
  }, path)
  if (!ok) return
  visited.add(route.name)
  await judge(page, who, path, '')
  // Every tab of the screen: a tab's content renders only once it is shown.
  const tabs = await page.locator('.van-tabs__nav .van-tab:not(.van-tab--disabled)').count()
  for (let i = 1; i < tabs; i++) {
    const tab = page.locator('.van-tabs__nav .van-tab:not(.van-tab--disabled)').nth(i)
    if (!(await tab.isVisible())) continue
    const title = (await tab.innerText()).trim()
    await tab.click()
    await judge(page, who, path, title)
  }
  await page.screenshot({ path: `${out}/${who}-${route.name}.png` })
}

const browser = await launch()

// Signed out: the sign-in screen.
{
  const ctx = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN' })
  const page = await ctx.newPage()
  page.on('pageerror', (e) => errors.push(`signed out pageerror: ${e.message}`))
  await page.goto(base + '/login')
  await page.waitForSelector('[data-test=login]')
  await judge(page, 'signed-out', '/login', '')
  visited.add('login')
  await ctx.close()
}

for (const who of ROLES) {
  const ctx = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN' })
  const page = await ctx.newPage()
  page.on('pageerror', (e) => errors.push(`${who} pageerror: ${e.message}`))
  await signInOn(page, base, who)
  await judge(page, who, new URL(page.url()).pathname, 'home')
  for (const route of ROUTES) {
    if (route.name in EXCLUDED || route.name === 'login') continue
    const path = pathFor(route)
    if (!path) continue
    await visit(page, who, route, path)
    await setPinIfAsked(page) // never asked twice; keeps a lock screen from hiding the next screen
  }
  await ctx.close()
}

const missing = ROUTES.filter((r) => !visited.has(r.name) && !(r.name in EXCLUDED)).map((r) => r.path)
check(ROUTES.length >= 25, `read ${ROUTES.length} routes from src/router.ts`)
check(missing.length === 0, `every route visited or excluded with a reason (missing: ${JSON.stringify(missing)})`)
for (const b of bad) console.error('FAIL: latin words:', b)
check(bad.length === 0, `no Latin word outside the whitelist on ${screens} zh-CN screens and tabs of ${ROLES.length} roles`)
check(errors.length === 0, `no page errors ${JSON.stringify(errors.slice(0, 5))}`)
await browser.close()
