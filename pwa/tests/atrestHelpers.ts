// Reading the local database as an attacker with the disk would: raw IndexedDB, no encrypting layer.
import { openDB } from 'idb'
import { getDB } from '@/store/db'

/** Every store's records, with byte arrays and Blob bytes decoded as text (where a marker would show). */
export async function rawDump(): Promise<string> {
  const name = (await getDB()).name
  const raw = await openDB(name)
  const parts: string[] = []
  const dec = new TextDecoder('utf-8', { fatal: false })
  for (const store of raw.objectStoreNames) {
    for (const rec of await raw.getAll(store)) {
      const blobs: Blob[] = []
      parts.push(
        JSON.stringify(rec, (_k, v) => {
          if (v instanceof Uint8Array) return dec.decode(v)
          if (v instanceof Blob) {
            blobs.push(v)
            return `Blob(${v.size})`
          }
          return v
        }),
      )
      for (const b of blobs) parts.push(dec.decode(await b.arrayBuffer()))
    }
  }
  raw.close()
  return parts.join('\n')
}
