// The driver's controls (tests/e2e/browser/conftest.py run_script): with FANGTAN_CONTROL=1 a script
// prints `control: <action>` (e.g. stop-server) and the pytest side answers `done` on stdin once
// the action ran. Without it (a script run by hand) every control is skipped and says so.
import { createInterface } from 'node:readline'

export function driverControls() {
  const controlled = process.env.FANGTAN_CONTROL === '1'
  const rl = controlled ? createInterface({ input: process.stdin }) : null
  const lines = rl ? rl[Symbol.asyncIterator]() : null
  /** Ask the driver to run `what`; true when it ran, false when not controlled. */
  async function control(what) {
    if (!controlled) { console.log(`note: not controlled (${what} skipped)`); return false }
    console.log(`control: ${what}`)
    const { value } = await lines.next()
    if ((value ?? '').trim() !== 'done') throw new Error(`driver answered ${value} to ${what}`)
    return true
  }
  /** Stop reading stdin (it would keep node alive). */
  const close = () => rl?.close()
  return { control, close }
}

/** Does the server answer its health check? (From node, not the page: the page may be offline.) */
export async function serverUp(base) {
  try { return (await fetch(base + '/api/health', { signal: AbortSignal.timeout(2000) })).ok } catch { return false }
}
