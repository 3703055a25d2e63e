// The PWA's module layering, checked on the source: no import cycle anywhere under src/ (a cycle
// makes module start-up order decide what is undefined), and screens (views, components) reach the
// outbox only through domain actions (src/domain/…), never store/outbox directly, and make their
// online-only calls through src/api/, not with the fetch wrapper themselves.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const SRC = resolve(__dirname, '../src')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name)
    if (e.isDirectory()) return sourceFiles(p)
    return /\.(ts|vue)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : []
  })
}

const files = sourceFiles(SRC)
const known = new Set(files)

function resolveSpecifier(from: string, spec: string): string | null {
  let base: string
  if (spec.startsWith('@/')) base = join(SRC, spec.slice(2))
  else if (spec.startsWith('.')) base = resolve(dirname(from), spec)
  else return null // a package
  for (const c of [base, `${base}.ts`, `${base}.vue`, join(base, 'index.ts')]) {
    if (known.has(c) && existsSync(c) && statSync(c).isFile()) return c
  }
  return null
}

// Static imports and re-exports, type-only ones included (as madge counts them): a type-only cycle
// still ties the modules together. Dynamic `import()` is lazy and is not an edge.
const STATIC_IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?[^'"]*?\s+from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g

const graph = new Map<string, Set<string>>(
  files.map((f) => {
    const deps = new Set<string>()
    for (const m of readFileSync(f, 'utf8').matchAll(STATIC_IMPORT)) {
      const target = resolveSpecifier(f, m[1] ?? m[2])
      if (target) deps.add(target)
    }
    return [f, deps]
  }),
)

/** Strongly connected components of more than one module (or a module importing itself): Tarjan. */
function cycles(): string[][] {
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (v: string) => {
    index.set(v, next)
    low.set(v, next++)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(relative(SRC, w))
      } while (w !== v)
      if (component.length > 1 || graph.get(v)!.has(v)) found.push(component.sort())
    }
  }
  for (const f of files) if (!index.has(f)) visit(f)
  return found
}

describe('module layering', () => {
  it('sees the source tree', () => {
    expect(files.length).toBeGreaterThan(50)
    expect(graph.get(join(SRC, 'store/db.ts'))).toContain(join(SRC, 'store/schema.ts'))
  })

  it('has no import cycle', () => {
    expect(cycles()).toEqual([])
  })

  it('finds a cycle when there is one', () => {
    const a = join(SRC, 'store/schema.ts')
    const b = join(SRC, 'store/db.ts')
    const saved = new Set(graph.get(a))
    graph.get(a)!.add(b)
    try {
      expect(cycles().some((c) => c.includes('store/db.ts') && c.includes('store/schema.ts'))).toBe(true)
    } finally {
      graph.set(a, saved)
    }
  })

  it('keeps screens off the outbox: views and components call domain actions', () => {
    const outbox = join(SRC, 'store/outbox.ts')
    const screens = files.filter((f) => /^(views|components)\//.test(relative(SRC, f)) || f.endsWith('App.vue'))
    const offenders = screens.filter((f) => graph.get(f)!.has(outbox)).map((f) => relative(SRC, f))
    expect(offenders).toEqual([])
  })

  it('keeps online-only calls in src/api/: no screen calls the fetch wrapper, no api module under views/', () => {
    const screens = files.filter((f) => f.endsWith('.vue'))
    const callers = screens
      .filter((f) => [...readFileSync(f, 'utf8').matchAll(/import\s+\{([^}]*)\}\s+from\s+'@\/sync\/api'/g)].some((m) => /\bapi\b/.test(m[1])))
      .map((f) => relative(SRC, f))
    expect(callers).toEqual([])
    expect(files.map((f) => relative(SRC, f)).filter((f) => /^views\/.*\/(api|online)\.ts$/.test(f))).toEqual([])
  })
})
