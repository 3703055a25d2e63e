import 'fake-indexeddb/auto'
import { afterEach, beforeEach } from 'vitest'
import { openLocalDB, setDB, getDB } from '@/store/db'
import '@/domain/mutations'
import { loadAtRestCipher, setAtRestKey, setAtRestRequired } from '@/store/atrest'

let n = 0
beforeEach(async () => {
  await loadAtRestCipher()
  // A fresh database per test.
  setDB(openLocalDB(`fangtan-test-${Date.now()}-${n++}`))
  // Every test runs with records encrypted at rest, as the unlocked app does (store/atrest.ts).
  setAtRestRequired(false)
  setAtRestKey(crypto.getRandomValues(new Uint8Array(32)))
})

afterEach(async () => {
  const db = await getDB()
  db.close()
  setDB(null)
})
