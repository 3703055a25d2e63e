// A page left uncontrolled by an active service worker asks it to claim the page (shell/swClaim.ts);
// a controlled page, or one with no active worker yet, sends nothing.
import { describe, expect, it } from 'vitest'
import { claimIfUncontrolled } from '@/shell/swClaim'

function container(controlled: boolean, active: boolean) {
  const sent: unknown[] = []
  const worker = { postMessage: (m: unknown) => sent.push(m) }
  const c = {
    controller: controlled ? worker : null,
    ready: Promise.resolve({ active: active ? worker : null }),
  } as unknown as ServiceWorkerContainer
  return { c, sent }
}

describe('claimIfUncontrolled', () => {
  it('asks the active worker to claim an uncontrolled page', async () => {
    const { c, sent } = container(false, true)
    expect(await claimIfUncontrolled(c)).toBe(true)
    expect(sent).toEqual([{ type: 'CLAIM' }])
  })

  it('sends nothing when the page is already controlled', async () => {
    const { c, sent } = container(true, true)
    expect(await claimIfUncontrolled(c)).toBe(false)
    expect(sent).toEqual([])
  })

  it('sends nothing without an active worker', async () => {
    const { c, sent } = container(false, false)
    expect(await claimIfUncontrolled(c)).toBe(false)
    expect(sent).toEqual([])
  })
})
