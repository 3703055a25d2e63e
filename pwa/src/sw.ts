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
    denylist: [/^\/api(\/|$)/, /^\/schema(\/|$)/],
  }),
)

// The page decides when to switch versions (vite-plugin-pwa's prompt flow sends SKIP_WAITING).
self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') void self.skipWaiting()
})

// The very first install takes control at once, so the first visit already works offline.
clientsClaim()
