// The errors a form shows next to its fields, for every form of the app (issue 16 point 7): set by a
// submit attempt, and each one cleared as soon as its field is valid again — a message such as
// 请选择问题分类 that stays after the category was chosen makes the user doubt the app.
//
// Two sources, two rules:
// - the form's own checks (`validate()`): while an error shows, every change re-runs the check and the
//   error takes the fresh result (cleared when valid, or the new message). A change never adds an
//   error that no submit attempt showed: nobody is told off for a field they have not finished.
// - what the server said about a field (`setError`): it cannot be re-checked here, so it clears once
//   that field's value differs from the value it was said about.
import { reactive, watch, type WatchSource } from 'vue'

export type ErrorMap<V> = Record<string, V | undefined>

/** The field of an error key: `participants[0].post` → `participants`, `window` → `window`. */
export function fieldOfKey(key: string): string {
  return key.split(/[.[]/)[0]
}

/**
 * Errors shown after a change: each key shown takes the fresh check's value (dropped when valid);
 * keys not shown are not added. Pure, for the tests.
 */
export function keepStillInvalid<V>(shown: ErrorMap<V>, fresh: ErrorMap<V>): ErrorMap<V> {
  const out: ErrorMap<V> = {}
  for (const [k, v] of Object.entries(shown)) if (v !== undefined && fresh[k] !== undefined) out[k] = fresh[k]
  return out
}

/**
 * `state`: the form's values (an object whose keys the error keys name, see fieldOfKey);
 * `check`: the form's own rules, returning an error per invalid key; `watched` (optional): what to
 * watch instead of the whole state, for a form whose values are spread over several refs.
 */
export function useFieldErrors<V = string>(
  state: Record<string, unknown> | (() => Record<string, unknown>),
  check: () => ErrorMap<V>,
  watched?: WatchSource,
) {
  const read = typeof state === 'function' ? state : () => state
  const errors = reactive<ErrorMap<V>>({}) as ErrorMap<V>
  /** Errors from the server: the JSON of their field's value when it was said. */
  const saidAbout = new Map<string, string>()
  const snapshot = (key: string): string => JSON.stringify(read()[fieldOfKey(key)] ?? null)

  function replace(next: ErrorMap<V>): void {
    for (const k of Object.keys(errors)) delete errors[k]
    for (const [k, v] of Object.entries(next)) if (v !== undefined) errors[k] = v
  }

  /** A submit attempt: show every error of the form's checks; true when there is none. */
  function validate(): boolean {
    saidAbout.clear()
    replace(check())
    return !Object.values(errors).some((v) => v !== undefined)
  }

  /** An error the form cannot check itself (the server's answer about `key`). */
  function setError(key: string, value: V): void {
    errors[key] = value
    saidAbout.set(key, snapshot(key))
  }

  function clearErrors(): void {
    saidAbout.clear()
    replace({})
  }

  watch(
    watched ?? (() => read()),
    () => {
      const keys = Object.keys(errors).filter((k) => errors[k] !== undefined)
      if (!keys.length) return
      const fresh = check()
      const local: ErrorMap<V> = {}
      for (const k of keys) if (!saidAbout.has(k)) local[k] = errors[k]
      const next = keepStillInvalid(local, fresh)
      for (const k of keys) {
        const said = saidAbout.get(k)
        if (said === undefined) continue
        if (said === snapshot(k)) next[k] = errors[k]
        else saidAbout.delete(k)
      }
      replace(next)
    },
    { deep: true },
  )

  return { errors, validate, setError, clearErrors }
}
