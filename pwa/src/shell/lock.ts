// App lock (PIN/passphrase, idle timeout, data key unwrapping) arrives with issue 5. This is where it
// plugs in: the router asks `isLocked()` before every screen, and `unlock()` will derive the local
// data key from the PIN. Until then the app is never locked.
import { ref } from 'vue'

export const locked = ref(false)

export function isLocked(): boolean {
  return locked.value
}

/** Called on user activity; issue 5 restarts the idle timer here. */
export function touchActivity(): void {}
