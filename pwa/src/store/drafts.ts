// Drafts: typed text that is not a mutation yet (note composer, an issue form that does not validate).
import { getDB, type StoredDraft } from './db'
import { notifyChange } from './events'

export async function saveDraft(key: string, value: Record<string, unknown>): Promise<void> {
  const db = await getDB()
  const rec: StoredDraft = { key, value: JSON.parse(JSON.stringify(value)) as Record<string, unknown>, updated_at: new Date().toISOString() }
  await db.put('drafts', rec)
  notifyChange('outbox')
}

export async function loadDraft(key: string): Promise<Record<string, unknown> | undefined> {
  const db = await getDB()
  return (await db.get('drafts', key))?.value
}

export async function deleteDraft(key: string): Promise<void> {
  const db = await getDB()
  await db.delete('drafts', key)
  notifyChange('outbox')
}

export async function listDrafts(prefix = ''): Promise<StoredDraft[]> {
  const db = await getDB()
  const all = await db.getAll('drafts', prefix ? IDBKeyRange.bound(prefix, prefix + '\uffff') : undefined)
  return all
}
