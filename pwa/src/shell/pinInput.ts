// Every PIN field (the lock screen, setting the PIN, the keys page) opens the number pad, not the full
// keyboard (issue 16 point 7): `inputmode="numeric"` for Android and desktop browsers, `pattern="[0-9]*"`
// for iPadOS, and no autofill (a PIN is not a site password a manager should offer or save).
// Used as `v-pin-input` on a van-field, whose inner <input> gets the attributes; `v-pin-input="false"`
// gives the full keyboard back (a PIN set with letters on an older version must still be typeable).
import type { Directive } from 'vue'

export const PIN_ATTRS = { inputmode: 'numeric', pattern: '[0-9]*', autocomplete: 'off' } as const

function apply(host: HTMLElement, digits: boolean | undefined): void {
  const input = host instanceof HTMLInputElement ? host : host.querySelector('input')
  if (!input) return
  input.setAttribute('autocomplete', PIN_ATTRS.autocomplete)
  // `pattern` is a keypad hint here, not a rule: the browser's own check would block the submit of
  // a PIN with letters with an English bubble; the app checks PINs itself (shell/lock.ts).
  input.form?.setAttribute('novalidate', '')
  if (digits === false) {
    input.removeAttribute('inputmode')
    input.removeAttribute('pattern')
  } else {
    input.setAttribute('inputmode', PIN_ATTRS.inputmode)
    input.setAttribute('pattern', PIN_ATTRS.pattern)
  }
}

export const vPinInput: Directive<HTMLElement, boolean | undefined> = {
  mounted: (el, b) => apply(el, b.value),
  updated: (el, b) => apply(el, b.value),
}
