// Web Push subscriptions (best effort, online only): the server's VAPID key and this browser's endpoint.
import { api } from '@/sync/api'

export async function vapidPublicKey(): Promise<string> {
  return (await api<{ public_key: string }>('/api/push/vapid-public-key')).public_key
}

export async function registerPushSubscription(sub: PushSubscriptionJSON): Promise<void> {
  await api('/api/push/subscriptions', { method: 'POST', json: sub })
}

/** Forget the endpoint on the server; a 404 means the server had already dropped it. */
export async function forgetPushSubscription(endpoint: string): Promise<void> {
  await api(`/api/push/subscriptions?endpoint=${encodeURIComponent(endpoint)}`, { method: 'DELETE' }).catch((e: { status?: number }) => {
    if (e?.status !== 404) throw e
  })
}
