// Nothing typed into the app is kept by the browser itself (docs/security.md §4 "Confidential
// remarks: threat model"): Chromium's session restore saves the value of every form control into
// the profile (Sessions/Session_*, Tabs_*) in plaintext, outside the app's encryption at rest, and
// form restore / autofill may keep it too. Blink skips controls marked autocomplete="off", so every
// text field the app renders gets it (screens do not have to remember), unless it asks for a
// specific autofill token (the sign-in user name). The remark editor is not a form control at all
// (components/SecretText.vue). The app's own journal (store/autosave.ts) is what restores drafts.
const TEXT_TYPES = new Set(['', 'text', 'search', 'number', 'tel', 'email', 'url', 'password'])

function mark(el: Element): void {
  if (el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && TEXT_TYPES.has(el.type))) {
    if (!el.hasAttribute('autocomplete') || el.getAttribute('autocomplete') === '') el.setAttribute('autocomplete', 'off')
  }
}

function markAll(root: ParentNode): void {
  if (root instanceof Element) mark(root)
  for (const el of root.querySelectorAll('input, textarea')) mark(el)
}

let installed = false
export function keepFieldsOutOfSessionRestore(root: HTMLElement = document.body): void {
  if (installed || typeof MutationObserver === 'undefined') return
  installed = true
  markAll(root)
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) if (n instanceof Element) markAll(n)
  }).observe(root, { childList: true, subtree: true })
}
