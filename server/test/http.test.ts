// Over real HTTP (127.0.0.1:0): login, the X-WX-Code round trip, concurrent idempotent orders,
// and revocation taking effect at once — on PostgreSQL across two instances sharing a database.
import { createTestApp, newSchema, onPostgres, useLeakCheck, type TestApp } from './helpers'

useLeakCheck()

async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ host: '127.0.0.1', port: 0 })
  const a = t.app.server.address()
  if (typeof a !== 'object' || a === null) throw new Error('no address')
  return `http://127.0.0.1:${a.port}`
}

async function call(
  base: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  })
  return {
    status: res.status,
    headers: res.headers,
    json: (await res.json()) as Record<string, unknown>,
  }
}

describe('over HTTP', () => {
  let t: TestApp
  let base: string
  beforeAll(async () => {
    t = await createTestApp()
    base = await listen(t)
  })
  afterAll(async () => {
    await t.close()
  })

  test('login, then a protected route with the bearer', async () => {
    const { code } = t.mintCode()
    const login = await call(base, '/auth/login', { method: 'POST', body: { code } })
    expect(login.status).toBe(200)
    const token = login.json.token as string
    const me = await call(base, '/me', { headers: { authorization: `Bearer ${token}` } })
    expect(me.status).toBe(200)
    expect(me.json).toEqual(login.json.user)
  })

  test('X-WX-Code: one round trip, token in exposed headers', async () => {
    const { code } = t.mintCode()
    const res = await call(base, '/orders', { headers: { 'x-wx-code': code } })
    expect(res.status).toBe(200)
    expect(res.json).toEqual({ orders: [] })
    const token = res.headers.get('x-session-token')
    expect(token).toMatch(/^s.+\..+$/)
    expect(res.headers.get('x-session-expires-in')).toBe('604800')
    expect(res.headers.get('access-control-expose-headers')).toMatch(/X-Session-Token/)
    const me = await call(base, '/me', { headers: { authorization: `Bearer ${token}` } })
    expect(me.status).toBe(200)
  })

  test('20 concurrent order repeats over HTTP give one order', async () => {
    const { token } = await t.login()
    const headers = { authorization: `Bearer ${token}`, 'idempotency-key': 'http-1' }
    const body = { items: [{ itemId: 'fried-rice', quantity: 1 }] }
    const rs = await Promise.all(
      Array.from({ length: 20 }, () => call(base, '/orders', { method: 'POST', headers, body })),
    )
    expect(rs.filter((r) => r.status === 201)).toHaveLength(1)
    expect(rs.filter((r) => r.status === 200)).toHaveLength(19)
    expect(new Set(rs.map((r) => r.json.id)).size).toBe(1)
    const list = await call(base, '/orders', { headers: { authorization: `Bearer ${token}` } })
    expect((list.json.orders as unknown[]).length).toBe(1)
  })

  test('logout takes effect on the very next request', async () => {
    const { token } = await t.login()
    const auth = { authorization: `Bearer ${token}` }
    // Warm the verification cache.
    for (let i = 0; i < 3; i++)
      expect((await call(base, '/me', { headers: auth })).status).toBe(200)
    expect((await call(base, '/auth/logout', { method: 'POST', headers: auth })).status).toBe(200)
    const after = await call(base, '/me', { headers: auth })
    expect(after.status).toBe(401)
    expect(after.json).toEqual({ error: { code: 'SESSION_REVOKED', message: expect.any(String) } })
  })
})

const pgOnly = onPostgres ? describe : describe.skip

pgOnly('two instances on one PostgreSQL database', () => {
  let a: TestApp
  let b: TestApp
  let baseA: string
  let baseB: string
  beforeAll(async () => {
    const schema = await newSchema()
    a = await createTestApp({ schema })
    b = await createTestApp({ schema, sim: a.sim })
    baseA = await listen(a)
    baseB = await listen(b)
  })
  afterAll(async () => {
    await b.close()
    await a.close()
  })

  test('a session revoked on one instance is rejected by the other at once', async () => {
    for (let round = 0; round < 10; round++) {
      const { token } = await a.login()
      const auth = { authorization: `Bearer ${token}` }
      // Both instances have verified (and cached) the session.
      expect((await call(baseA, '/me', { headers: auth })).status).toBe(200)
      expect((await call(baseB, '/me', { headers: auth })).status).toBe(200)
      expect((await call(baseB, '/me', { headers: auth })).status).toBe(200)
      expect((await call(baseA, '/auth/logout', { method: 'POST', headers: auth })).status).toBe(
        200,
      )
      const onB = await call(baseB, '/me', { headers: auth })
      expect(onB.status).toBe(401)
      expect(onB.json).toEqual({ error: { code: 'SESSION_REVOKED', message: expect.any(String) } })
    }
  })

  test('a session created on one instance works on the other', async () => {
    const { token } = await b.login()
    expect(
      (await call(baseA, '/me', { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200)
  })

  test('while the LISTEN connection is down the cache is not trusted', async () => {
    const { token } = await a.login()
    const auth = { authorization: `Bearer ${token}` }
    expect((await call(baseB, '/me', { headers: auth })).status).toBe(200)
    // Cut B's listener: B must fall back to reading the database.
    const sessionsB = b.services.sessions as unknown as {
      listener: { end(): Promise<void> } | null
    }
    await sessionsB.listener?.end()
    expect(b.services.sessions.cacheTrusted).toBe(false)
    expect((await call(baseA, '/auth/logout', { method: 'POST', headers: auth })).status).toBe(200)
    expect((await call(baseB, '/me', { headers: auth })).status).toBe(401)
    // It reconnects.
    for (let i = 0; i < 50 && !b.services.sessions.cacheTrusted; i++)
      await new Promise((r) => setTimeout(r, 100))
    expect(b.services.sessions.cacheTrusted).toBe(true)
  })
})
