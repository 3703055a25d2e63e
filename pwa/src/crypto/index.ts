// The browser side of docs/security.md. Loaded lazily (dynamic import) so the initial bundle
// carries none of it.
export * from './b64'
export * from './envelope'
export * from './signature'
export * from './keys'
export * from './backup'
