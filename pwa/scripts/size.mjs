// Initial download of the app shell: the JS and CSS that index.html loads (entry, modulepreloads,
// stylesheets), gzipped. Budget (issue 4): <= 150 kB. Run after `npm run build`.
import { readFileSync, statSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join } from 'node:path'

const dist = new URL('../dist/', import.meta.url).pathname
const html = readFileSync(join(dist, 'index.html'), 'utf8')
const refs = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1])
let raw = 0
let gz = 0
for (const r of new Set(refs)) {
  const buf = readFileSync(join(dist, r))
  const g = gzipSync(buf, { level: 9 }).length
  raw += statSync(join(dist, r)).size
  gz += g
  console.log(`${(g / 1024).toFixed(1).padStart(7)} kB gz  ${r}`)
}
const budget = 150 * 1024
console.log(`initial JS+CSS: ${(raw / 1024).toFixed(1)} kB raw, ${(gz / 1024).toFixed(1)} kB gzipped (budget 150 kB) ${gz <= budget ? 'OK' : 'OVER BUDGET'}`)
process.exitCode = gz <= budget ? 0 : 1
