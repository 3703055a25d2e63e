/// <reference lib="webworker" />
// The service worker: precache the app shell (Workbox), answer every navigation with index.html so
// deep links open offline, and update only when the page says so (no draft open).
import { precacheAndRoute, cleanupOutdatedCaches, createHandlerBoundToURL } from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'
import { clientsClaim } from 'workbox-core'
import { safeAppUrl } from './domain/notificationLinks'

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> }

precacheAndRoute(self.__WB_MANIFEST)
cleanupOutdatedCaches()

// SPA fallback for navigations, never for the API or the server's own documents.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/index.html'), {
    // /r/<code> is the server's public receipt page (回执码), never the app shell.
    // /e/<ticket> is the anonymous rating page (docs/evaluation.md), also the server's own.
    // /ca is the server's certificate install page (docs/deploy.md).
    denylist: [/^\/api(\/|$)/, /^\/schema(\/|$)/, /^\/r(\/|$)/, /^\/e(\/|$)/, /^\/ca(\/|$)/],
  }),
)

// The page decides when to switch versions (vite-plugin-pwa's prompt flow sends SKIP_WAITING).
// CLAIM: a page that finds itself uncontrolled although this worker is active asks to be taken
// over (shell/update.ts `claimIfUncontrolled`).
self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') void self.skipWaiting()
  if (event.data && event.data.type === 'CLAIM') event.waitUntil(self.clients.claim())
})

// The very first install takes control at once, so the first visit already works offline. This
// claim runs once, at activation: a page whose navigation was still in flight then (it started
// before there was an active worker and committed after) is skipped by it and stays uncontrolled,
// so it asks with CLAIM.
clientsClaim()

// Web Push (docs/followup.md "Notifications"): the server's payload {id, kind, title, body, url};
// `url` is the screen of what it is about (a problem, a report: domain/notificationLinks.ts). The
// inbox (notification rows, synced) stays the record.
self.addEventListener('push', (event) => {
  let data: { id?: string; title?: string; body?: string; url?: string } = {}
  try {
    data = event.data?.json() ?? {}
  } catch {
    data = { body: event.data?.text() }
  }
  event.waitUntil(
    self.registration.showNotification(data.title || '干部访谈', {
      body: data.body ?? '',
      tag: data.id,
      icon: '/pwa-192x192.png',
      data: { url: safeAppUrl(data.url), id: data.id ?? null },
    }),
  )
})

// A click focuses an open window of the app and takes it to the screen, or opens one there.
self.addEventListener('notificationclick', (event) => {
  event.notification.close()
  const url = safeAppUrl((event.notification.data as { url?: string } | null)?.url)
  event.waitUntil(
    (async () => {
      const wins = (await self.clients.matchAll({ type: 'window', includeUncontrolled: true })) as WindowClient[]
      const win = wins.find((w) => w.focused) ?? wins[0]
      if (win) {
        await win.focus()
        const moved = await win.navigate(url).catch(() => null)
        if (moved) return
      }
      await self.clients.openWindow(url)
    })(),
  )
})
