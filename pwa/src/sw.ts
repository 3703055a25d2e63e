/// <reference lib="webworker" />
// The service worker: precache the app shell (Workbox), answer every navigation with index.html so
// deep links open offline, and update only when the page says so (no draft open).
import { precacheAndRoute, cleanupOutdatedCaches, createHandlerBoundToURL } from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'
import { clientsClaim } from 'workbox-core'

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> }

precacheAndRoute(self.__WB_MANIFEST)
cleanupOutdatedCaches()

// SPA fallback for navigations, never for the API or the server's own documents.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/index.html'), {
    // /r/<code> is the server's public receipt page (回执码), never the app shell.
    denylist: [/^\/api(\/|$)/, /^\/schema(\/|$)/, /^\/r(\/|$)/],
  }),
)

// The page decides when to switch versions (vite-plugin-pwa's prompt flow sends SKIP_WAITING).
self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') void self.skipWaiting()
})

// The very first install takes control at once, so the first visit already works offline.
clientsClaim()

// Web Push (docs/followup.md "Notifications"): the server's payload {id, kind, title, body, url};
// the inbox (notification rows, synced) is the record, so a click opens 收件箱 → 通知.
self.addEventListener('push', (event) => {
  let data: { id?: string; title?: string; body?: string } = {}
  try {
    data = event.data?.json() ?? {}
  } catch {
    data = { body: event.data?.text() }
  }
  event.waitUntil(
    self.registration.showNotification(data.title || '干部访谈', { body: data.body ?? '', tag: data.id, icon: '/pwa-192x192.png', data: { url: '/inbox?tab=messages' } }),
  )
})

self.addEventListener('notificationclick', (event) => {
  event.notification.close()
  const url = String((event.notification.data as { url?: string } | null)?.url ?? '/inbox?tab=messages')
  event.waitUntil(
    (async () => {
      const wins = await self.clients.matchAll({ type: 'window', includeUncontrolled: true })
      const win = wins[0] as WindowClient | undefined
      if (win) {
        await win.focus()
        await win.navigate(url).catch(() => undefined)
      } else await self.clients.openWindow(url)
    })(),
  )
})
