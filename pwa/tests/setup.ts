import 'fake-indexeddb/auto'
import { afterEach, beforeEach } from 'vitest'
import { openLocalDB, setDB, getDB } from '@/store/db'
import '@/domain/mutations'

let n = 0
beforeEach(() => {
  // A fresh database per test.
  setDB(openLocalDB(`fangtan-test-${Date.now()}-${n++}`))
})

afterEach(async () => {
  const db = await getDB()
  db.close()
  setDB(null)
})
