// The app's view of IndexedDB with records encrypted at rest (store/atrest.ts): a thin proxy over idb's
// database, transaction, store, index and cursor objects that encrypts every value written (`put`,
// `add`, `cursor.update`) and decrypts every value read (`get`, `getAll`, `cursor.value`), so the
// modules that use the database need not know. All of it is synchronous, inside the transaction.
import { unwrap, type IDBPObjectStore } from 'idb'
import type { DB } from './schema'
import { decryptRecord, encryptRecord } from './atrest'

type AnyObj = Record<string | symbol, unknown>
type Fn = (...args: unknown[]) => unknown

const DB_SHORTCUT = /^(get|getKey|getAll|getAllKeys|count|put|add|delete|clear)(FromIndex)?$/
const WRITE = new Set(['put', 'add', 'delete', 'clear'])

function forward(target: AnyObj, prop: string | symbol): unknown {
  const v = target[prop]
  return typeof v === 'function' ? (v as Fn).bind(target) : v
}

function openAll(store: string, v: unknown): unknown {
  return Array.isArray(v) ? v.map((x) => decryptRecord(store, x)) : decryptRecord(store, v)
}

function wrapCursor(store: string, cursor: unknown): unknown {
  if (!cursor) return cursor
  const c = cursor as AnyObj
  return new Proxy(c, {
    get(target, prop) {
      if (prop === 'value') return decryptRecord(store, target.value)
      if (prop === 'update') return (value: unknown) => (target.update as Fn).call(target, encryptRecord(store, value))
      if (prop === 'continue' || prop === 'advance' || prop === 'continuePrimaryKey') {
        return async (...args: unknown[]) => wrapCursor(store, await (target[prop] as Fn).apply(target, args))
      }
      return forward(target, prop)
    },
  })
}

/** Store or index: reads decrypted, writes encrypted, cursors wrapped. */
function wrapSource(store: string, source: AnyObj): unknown {
  return new Proxy(source, {
    get(target, prop) {
      switch (prop) {
        case 'get':
        case 'getAll':
          return async (...args: unknown[]) => openAll(store, await (target[prop] as Fn).apply(target, args))
        case 'quietWrites':
          // The native store: a put or delete issued without a promise (and its listeners) each.
          return () => {
            const raw = unwrap(target as unknown as IDBPObjectStore) as unknown as IDBObjectStore
            return {
              put: (value: unknown) => void raw.put(encryptRecord(store, value)),
              delete: (key: IDBValidKey) => void raw.delete(key),
            }
          }
        case 'getAllSealed':
          // The stored form, to be opened after the transaction with decryptRecords (WebCrypto).
          return (...args: unknown[]) => (target.getAll as Fn).apply(target, args)
        case 'put':
        case 'add':
          return (value: unknown, ...rest: unknown[]) => (target[prop] as Fn).call(target, encryptRecord(store, value), ...rest)
        case 'openCursor':
          return async (...args: unknown[]) => wrapCursor(store, await (target.openCursor as Fn).apply(target, args))
        case 'index':
          return (name: string) => wrapSource(store, (target.index as Fn).call(target, name) as AnyObj)
        case 'iterate':
        case Symbol.asyncIterator:
          throw new Error('async iteration is not supported on the encrypted database; use openCursor')
        default:
          return forward(target, prop)
      }
    },
  })
}

function wrapTx(tx: AnyObj): unknown {
  return new Proxy(tx, {
    get(target, prop) {
      if (prop === 'objectStore') return (name: string) => wrapSource(name, (target.objectStore as Fn).call(target, name) as AnyObj)
      if (prop === 'store') {
        const s = target.store as AnyObj | undefined
        return s ? wrapSource(s.name as string, s) : s
      }
      return forward(target, prop)
    },
  })
}

/** Read-write transactions begun per store, by this tab (see `writesBegun`). */
const begun = new Map<string, number>()

/**
 * How many read-write transactions over `store` this tab has begun: a read made while this stays
 * the same saw what a read now would see (a transaction that reads after a write was begun waits
 * for it), so what was opened from it may be kept (store/overlay.ts). Other tabs' writes are
 * known by their change notifications instead.
 */
export function writesBegun(store: string): number {
  return begun.get(store) ?? 0
}

export function encryptedDB(db: DB): DB {
  const raw = db as unknown as AnyObj
  const wrapped: AnyObj = new Proxy(raw, {
    get(target, prop) {
      if (prop === 'transaction') {
        return (...args: unknown[]) => {
          if (args[1] === 'readwrite') for (const name of [args[0]].flat() as string[]) begun.set(name, (begun.get(name) ?? 0) + 1)
          return wrapTx((target.transaction as Fn).apply(target, args) as AnyObj)
        }
      }
      if (typeof prop === 'string' && DB_SHORTCUT.test(prop)) {
        // idb's shortcuts (db.get('rows', key) …) rebuilt over the wrapped transaction.
        const method = prop.replace(/FromIndex$/, '')
        const useIndex = method !== prop
        return async (storeName: string, ...args: unknown[]) => {
          const tx = wrapped.transaction as Fn
          const t = tx(storeName, WRITE.has(method) ? 'readwrite' : 'readonly') as AnyObj
          let source = t.store as AnyObj
          if (useIndex) source = (source.index as Fn)(args.shift()) as AnyObj
          const [result] = await Promise.all([(source[method] as Fn)(...args), WRITE.has(method) ? t.done : undefined])
          return result
        }
      }
      return forward(target, prop)
    },
  })
  return wrapped as unknown as DB
}

/**
 * All records of a store or index as stored (sealed), for opening after the transaction with
 * atrest.decryptRecords: a bulk read decrypted with WebCrypto instead of one record at a time.
 */
export function getAllSealed<T>(source: unknown, query?: IDBValidKey | IDBKeyRange | null): Promise<T[]> {
  return ((source as AnyObj).getAllSealed as Fn)(query) as Promise<T[]>
}

export interface QuietWrites {
  put(value: unknown): void
  delete(key: IDBValidKey): void
}

/**
 * Writes to a store of a transaction that nobody awaits one by one (a pulled page's rows): each
 * request issued on the native store, in order, without idb's promise and listeners per request
 * (a first sync of a year is 10⁵ of them). A failed request aborts the transaction, so the
 * transaction's `done` is what to await.
 */
export function quietWrites(store: unknown): QuietWrites {
  return ((store as AnyObj).quietWrites as Fn)() as QuietWrites
}
