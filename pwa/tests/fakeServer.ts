// An in-memory fangtan server for sync-client tests: the DESIGN §4 contract, small and literal.
export interface FakeMutation {
  id: number
  name: string
  args: Record<string, unknown>
  base?: number
  /** "The row as my mutation N left it" (docs/sync-protocol.md §1.1). */
  base_mutation?: number
  client_time?: string
}

interface Row {
  entity: string
  id: string
  seq: number
  deleted: boolean
  row: Record<string, unknown> | null
}

export class FakeServer {
  seq = 0
  rows = new Map<string, Row>()
  lastMutationId = new Map<string, number>()
  receipts = new Map<string, unknown>()
  pushes: FakeMutation[][] = []
  pullCalls: string[] = []
  blobs = new Map<string, Uint8Array>()
  putCalls: string[] = []
  /** Injected failures: responses returned before the real handling, consumed in order. */
  failNext: Array<{ path: RegExp; status: number; body?: unknown; headers?: Record<string, string> } | 'network'> = []
  rejectNames = new Set<string>()
  /** Mutation names the server cannot decode: 400 request.invalid_field naming mutations[i]. */
  undecodable = new Set<string>()
  maxBatch = 500
  /** The server's clock minus the real one (ms): a wrong tablet clock seen from the server. */
  clockSkewMs = 0
  /** Force 410 for pulls with a cursor below this. */
  horizon = 0
  accessToken = 'at-1'
  refreshToken = 'rt-1'
  refreshes = 0
  protocolMin = 1

  write(entity: string, id: string, row: Record<string, unknown> | null, deleted = false): number {
    this.seq++
    this.rows.set(`${entity}/${id}`, { entity, id, seq: this.seq, deleted, row })
    return this.seq
  }

  json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json', ...headers },
    })
  }

  fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input), 'http://x')
    const method = init.method ?? 'GET'
    const headers = new Headers(init.headers)
    for (let i = 0; i < this.failNext.length; i++) {
      const f = this.failNext[i]
      if (f === 'network') {
        this.failNext.splice(i, 1)
        throw new TypeError('Failed to fetch')
      }
      if (f.path.test(url.pathname)) {
        this.failNext.splice(i, 1)
        return this.json(f.status, f.body, f.headers)
      }
    }
    if (url.pathname === '/api/auth/refresh') {
      const body = JSON.parse(String(init.body))
      if (body.refresh_token !== this.refreshToken) return this.json(401, { error: { code: 'auth.token_invalid', message: 'bad' } })
      this.refreshes++
      this.accessToken = `at-${this.refreshes + 1}`
      this.refreshToken = `rt-${this.refreshes + 1}`
      return this.json(200, { access_token: this.accessToken, refresh_token: this.refreshToken })
    }
    if (headers.get('Authorization') !== `Bearer ${this.accessToken}`) {
      return this.json(401, { error: { code: 'auth.token_invalid', message: 'expired' } })
    }
    if (url.pathname === '/api/sync/push' && method === 'POST') return this.push(JSON.parse(String(init.body)))
    if (url.pathname === '/api/sync/pull') return this.pull(url)
    const m = /^\/api\/blobs\/([0-9a-f]{64})$/.exec(url.pathname)
    if (m) return this.blob(m[1], method, headers, init.body as Blob | undefined)
    return this.json(404, { error: { code: 'not_found', message: url.pathname } })
  }

  push(body: { device_id: string; protocol: number; mutations: FakeMutation[] }): Response {
    if (body.protocol < this.protocolMin) return this.json(426, { error: { code: 'sync.client_too_old', message: 'update' } })
    if (body.mutations.length > this.maxBatch) return this.json(413, { error: { code: 'sync.batch_too_large', message: 'too many', details: { max_batch: this.maxBatch } } })
    const bad = body.mutations.findIndex((m) => this.undecodable.has(m.name))
    if (bad >= 0) return this.json(400, { error: { code: 'request.invalid_field', message: 'unknown field `x`', field: `mutations[${bad}].args.x` } })
    const last = this.lastMutationId.get(body.device_id) ?? 0
    // Gap check before applying anything (one transaction).
    let expect = last + 1
    for (const m of body.mutations) {
      if (m.id <= last) continue
      if (m.id !== expect) return this.json(409, { error: { code: 'sync.mutation_gap', message: 'gap', details: { expected: expect } } })
      expect++
    }
    this.pushes.push(body.mutations)
    const results: unknown[] = []
    let newLast = last
    for (const m of body.mutations) {
      const key = `${body.device_id}:${m.id}`
      if (m.id <= last) {
        results.push({ ...(this.receipts.get(key) as object), status: 'duplicate' })
        continue
      }
      let result: Record<string, unknown>
      if (m.name === 'mutation.void') {
        const orig = m.args as { original_name: string; original_args: Record<string, unknown> }
        result = { id: m.id, status: 'rejected', error: { code: 'sync.voided', message: 'voided by the client' } }
        this.write('rejection', `rej-${key}`, { id: `rej-${key}`, device_id: body.device_id, mutation_id: m.id, name: orig.original_name, args: orig.original_args, base: null, client_time: null, error: { code: 'sync.voided', message: 'voided' }, created_at: '2025-01-01T00:00:00Z' })
      } else if (m.base_mutation !== undefined && (m.base !== undefined || m.base_mutation >= m.id)) {
        return this.json(400, { error: { code: 'request.invalid_field', message: 'bad base_mutation', field: `mutations[${body.mutations.indexOf(m)}].base_mutation` } })
      } else if (m.base_mutation !== undefined && !this.receipts.has(`${body.device_id}:${m.base_mutation}`) && !results.some((r) => (r as { id: number }).id === m.base_mutation)) {
        result = { id: m.id, status: 'rejected', error: { code: 'sync.base_unknown', message: 'unknown base_mutation', field: 'base_mutation' } }
        this.write('rejection', `rej-${key}`, { id: `rej-${key}`, device_id: body.device_id, mutation_id: m.id, name: m.name, args: m.args, base: null, client_time: m.client_time ?? null, error: result.error, created_at: '2025-01-01T00:00:00Z' })
      } else if (this.rejectNames.has(m.name)) {
        result = { id: m.id, status: 'rejected', error: { code: 'validation', message: '小组座谈需要3-5人', field: 'participants' } }
        this.write('rejection', `rej-${key}`, { id: `rej-${key}`, device_id: body.device_id, mutation_id: m.id, name: m.name, args: m.args, base: m.base ?? null, client_time: m.client_time ?? null, error: { code: 'validation', message: '小组座谈需要3-5人', field: 'participants' }, created_at: '2025-01-01T00:00:00Z' })
      } else {
        const entity = m.name.split('.')[0]
        const id = String(m.args.id)
        const cur = this.rows.get(`${entity}/${id}`)
        const row = { ...(cur?.row ?? {}), ...m.args }
        const seq = this.write(entity, id, row)
        result = { id: m.id, status: 'applied', seq }
      }
      this.receipts.set(key, result)
      results.push(result)
      newLast = m.id
    }
    this.lastMutationId.set(body.device_id, newLast)
    return this.json(200, { results, last_mutation_id: newLast, server_time: new Date(Date.now() + this.clockSkewMs).toISOString() })
  }

  pull(url: URL): Response {
    this.pullCalls.push(url.search)
    const cursor = Number(url.searchParams.get('cursor') ?? 0)
    const limit = Number(url.searchParams.get('limit') ?? 100)
    if (cursor > 0 && cursor < this.horizon) return this.json(410, { error: { code: 'sync.cursor_expired', message: 'old' } })
    const upto = Number(url.searchParams.get('upto') ?? this.seq)
    const changes = [...this.rows.values()]
      .filter((r) => r.seq > cursor && r.seq <= upto)
      .sort((a, b) => a.seq - b.seq)
    const page = changes.slice(0, limit)
    const hasMore = changes.length > limit
    const deviceLast = [...this.lastMutationId.values()][0] ?? 0
    return this.json(200, {
      changes: page.map((r) => ({ seq: r.seq, entity: r.entity, id: r.id, deleted: r.deleted, row: r.row })),
      cursor: page.length ? page[page.length - 1].seq : cursor,
      upto,
      has_more: hasMore,
      last_mutation_id: deviceLast,
    })
  }

  async blob(sha: string, method: string, headers: Headers, body?: Blob): Promise<Response> {
    const have = this.blobs.get(sha)
    const complete = this.blobs.has(`${sha}:complete`)
    if (method === 'HEAD') {
      if (complete) return new Response(null, { status: 200 })
      return new Response(null, { status: 404, headers: have ? { 'Upload-Offset': String(have.length) } : {} })
    }
    if (method === 'PUT') {
      this.putCalls.push(headers.get('Content-Range') ?? '')
      const m = /bytes (\d+)-(\d+)\/(\d+)/.exec(headers.get('Content-Range') ?? '')!
      const start = Number(m[1])
      const total = Number(m[3])
      const cur = have ?? new Uint8Array(0)
      if (start !== cur.length) return this.json(416, { error: { code: 'blob.range_invalid', message: 'range' } })
      const chunk = new Uint8Array(await body!.arrayBuffer())
      const next = new Uint8Array(cur.length + chunk.length)
      next.set(cur)
      next.set(chunk, cur.length)
      this.blobs.set(sha, next)
      if (next.length === total) {
        this.blobs.set(`${sha}:complete`, next)
        return new Response(null, { status: 201 })
      }
      return new Response(null, { status: 308, headers: { Range: `bytes=0-${next.length - 1}` } })
    }
    return this.json(405, { error: { code: 'method', message: method } })
  }
}
