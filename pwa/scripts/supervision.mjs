// Supervision smoke against a real server (issue 7 item 2): the supervisor lands on 监督抽查, commits
// a new draw (seed generated in the browser, only its SHA-256 sent), reveals an earlier draw whose
// period has ended, sees the sample by stratum, recomputes it, records a 形式主义 finding with an
// opinion, and reads the formalism signals with their Chinese explanations. Screenshots at 1024×768.
// Usage: node scripts/supervision.mjs http://127.0.0.1:8765 OUTDIR DRAW_ID SEED PERIOD_START PERIOD_END
import { mkdirSync } from 'node:fs'
import { gotoApp, harness, launch, signIn } from './lib-confidential.mjs'

const [base, out, drawId, seed, periodStart, periodEnd] = process.argv.slice(2)
mkdirSync(out, { recursive: true })
const { errors, check } = harness(out)
const browser = await launch()
const shot = async (page, name) => { await page.waitForTimeout(300); await page.screenshot({ path: `${out}/${name}.png`, fullPage: true }) }

try {
  const S = await signIn(browser, base, 'supervisor', errors)
  const page = S.page
  check(new URL(page.url()).pathname === '/todo', 'the supervisor lands on 待办')
  await gotoApp(page, base + '/supervision')
  await page.waitForSelector(`[data-test=draw][data-id="${drawId}"]`)

  // Commit a draw for this month: the seed stays in the browser, only its hash is sent.
  await page.click('[data-test=generate-seed]')
  await page.waitForSelector('[data-test=new-hash]')
  const hash = (await page.textContent('[data-test=new-hash]')).trim()
  await page.click('[data-test=commit]')
  await page.waitForSelector('[data-test=draw][data-revealed=no] >> text=' + hash)
  check((await page.locator('[data-test=draw]').count()) === 2, 'the new draw is listed with its committed hash')
  await shot(page, '01-commit')

  // Reveal the earlier draw (its period has ended): the sample appears, by stratum.
  const draw = `[data-test=draw][data-id="${drawId}"]`
  await page.fill(`${draw} [data-test=reveal-seed]`, seed)
  await page.click(`${draw} [data-test=reveal]`)
  await page.waitForSelector(`${draw}[data-revealed=yes] [data-test=sample-item]`, { timeout: 15000 })
  check((await page.locator(`${draw} [data-test=stratum]`).count()) >= 1, 'revealing draws the sample, shown by stratum')
  await page.click(`${draw} [data-test=verify]`)
  await page.waitForSelector(`${draw} [data-test=verify-result].ok`)
  check(true, 'the sample recomputes from the revealed seed')
  const item = `${draw} [data-test=sample-item] >> nth=0`
  await page.locator(item).locator('[data-test=verdict]').selectOption('formalism')
  await page.locator(item).locator('[data-test=opinion] , input[data-test=opinion]').first().fill('访谈总结只有“情况良好”，请补充具体问题和职工诉求。')
  await page.locator(item).locator('[data-test=record]').click()
  await page.waitForSelector(`${draw} [data-test=finding-recorded]`)
  check((await page.textContent(`${draw} [data-test=finding-recorded]`)).includes('形式主义'), 'a 形式主义 finding is recorded on a sampled item')
  await shot(page, '02-sample-and-finding')

  // Formalism signals for the ended period, each explained in Chinese.
  await page.click('.van-tab:has-text("形式主义线索")')
  await page.fill('[data-test=signals-start]', periodStart)
  await page.fill('[data-test=signals-end]', periodEnd)
  await page.click('[data-test=load-signals]')
  await page.waitForSelector('[data-test=signal][data-kind=boilerplate]')
  check((await page.textContent('[data-test=signal][data-kind=boilerplate]')).includes('情况良好'), 'the boilerplate signal is explained in Chinese')
  await shot(page, '03-signals')

  await page.click('.van-tab:has-text("整改意见")')
  await page.waitForSelector('[data-test=finding][data-status=open]')
  check(true, 'the opinion is tracked as 待回复')
  await shot(page, '04-opinions')
} finally {
  for (const e of errors) console.error('FAIL:', e)
  if (errors.length) process.exitCode = 1
  await browser.close()
}
