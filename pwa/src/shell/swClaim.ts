// A page the service worker should control but does not (see claimIfUncontrolled).

/**
 * Once a worker is active, make sure it controls this page. The worker claims every open page when
 * it activates, but a page whose navigation was in flight at that moment is skipped (the Service
 * Worker spec's claim() passes over clients that are not execution-ready) and would stay
 * uncontrolled until the next load: a cadre who opened the app once and then lost signal could
 * not reload it. Such a page asks the active worker to claim it.
 */
export async function claimIfUncontrolled(container: ServiceWorkerContainer): Promise<boolean> {
  const reg = await container.ready
  if (container.controller || !reg.active) return false
  reg.active.postMessage({ type: 'CLAIM' })
  return true
}
