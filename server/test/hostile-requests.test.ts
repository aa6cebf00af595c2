// Hostile and malformed requests: authentication answers before validation (issue 12, point
// 13); every framework-level failure carries the { error: { code, message } } envelope, over
// app.inject and over a real socket (431, malformed HTTP, 503 while closing); an idempotent
// retry with its JSON keys reordered is the same request.
import net from 'node:net'
import { authHeader, createTestApp, type TestApp } from './helpers'
import { expectError, postRaw } from './support/requests'
import { useTestApp } from './support/test-app'

const t = useTestApp()

const ENVELOPE = {
  error: { code: expect.stringMatching(/^[A-Z][A-Z0-9_]*$/), message: expect.any(String) },
}

/** Writes `text` on a fresh connection and returns everything the server sent until it closed. */
function rawExchange(port: number, text: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    const guard = setTimeout(() => {
      socket.destroy()
      reject(
        new Error(`no close within 10 s; got ${Buffer.concat(chunks).toString().slice(0, 300)}`),
      )
    }, 10_000)
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('error', () => undefined)
    socket.on('close', () => {
      clearTimeout(guard)
      resolve(Buffer.concat(chunks).toString('utf8'))
    })
    socket.write(text)
  })
}

/** The status and JSON body of each HTTP/1.1 response in `raw`, in order. */
function parseResponses(raw: string): { status: number; headers: string; body: unknown }[] {
  const out: { status: number; headers: string; body: unknown }[] = []
  let rest = raw
  while (rest.startsWith('HTTP/1.1 ')) {
    const headEnd = rest.indexOf('\r\n\r\n')
    const head = rest.slice(0, headEnd)
    const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? '0')
    const body = rest.slice(headEnd + 4, headEnd + 4 + length)
    out.push({
      status: Number(head.slice(9, 12)),
      headers: head.toLowerCase(),
      body: JSON.parse(body),
    })
    rest = rest.slice(headEnd + 4 + length)
  }
  return out
}

describe('authentication runs before validation', () => {
  const huge = JSON.stringify({ items: [{ itemId: 'x'.repeat(70_000), quantity: 1 }] })
  test.each([
    ['no body at all', {}],
    [
      'a valid order but no Idempotency-Key',
      { payload: { items: [{ itemId: 'fried-rice', quantity: 1 }] } },
    ],
    ['a body failing the schema', { payload: { items: 'nope', extra: true } }],
    ['malformed JSON', { payload: '{"items": [', headers: { 'content-type': 'application/json' } }],
    [
      'a body over the size limit',
      { payload: huge, headers: { 'content-type': 'application/json' } },
    ],
    ['an unsupported content type', { payload: 'a=b', headers: { 'content-type': 'text/plain' } }],
    ['a malformed Idempotency-Key', { headers: { 'idempotency-key': 'has spaces in it' } }],
    ['a malformed X-WX-Code', { headers: { 'x-wx-code': 'not a code' } }],
    ['an over-long Authorization', { headers: { authorization: `Bearer ${'a'.repeat(600)}` } }],
  ])('POST /orders with %s answers 401', async (_name, extra) => {
    const o = extra as { payload?: unknown; headers?: Record<string, string> }
    const res = await t.inject({
      method: 'POST',
      url: '/orders',
      headers: o.headers ?? {},
      ...(o.payload !== undefined ? { payload: o.payload as string } : {}),
    })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({ error: { code: 'SESSION_INVALID', message: expect.any(String) } })
  })

  test.each([
    ['PUT', '/me', { nickname: 1 }],
    ['POST', '/me/phone', { code: 'bad code with spaces' }],
    ['POST', '/me/wechat-profile', { nope: true }],
    ['POST', '/auth/logout', { anything: [] }],
    ['GET', '/orders/%20%20', undefined],
  ])('%s %s without a token answers 401 whatever the body', async (method, url, payload) => {
    const res = await t.inject({
      method: method as 'GET' | 'POST' | 'PUT',
      url,
      ...(payload !== undefined ? { payload } : {}),
    })
    expectError(res, 401, 'SESSION_INVALID')
  })

  test('with a valid token the same bad body is a 400, so the order of checks is what changed', async () => {
    const { token } = await t.login()
    const res = await t.inject({
      method: 'POST',
      url: '/orders',
      headers: { ...authHeader(token), 'idempotency-key': 'k-bad-body' },
      payload: { items: 'nope' },
    })
    expectError(res, 400, 'VALIDATION_FAILED')
  })
})

describe('framework-level failures carry the error envelope', () => {
  test.each([
    ['a bad percent-encoding in the path', '/orders/%zz', 400, 'VALIDATION_FAILED'],
    ['a lone percent sign', '/%', 400, 'VALIDATION_FAILED'],
    ['an over-long path parameter', `/orders/${'a'.repeat(200)}`, 414, 'URI_TOO_LONG'],
    ['an over-long URL', `/menu?q=${'a'.repeat(9000)}`, 414, 'URI_TOO_LONG'],
    ['an unknown route', '/no/such/route', 404, 'NOT_FOUND'],
  ])('%s (GET %s) answers %i %s', async (_name, url, status, code) => {
    const res = await t.inject({ method: 'GET', url })
    expect(res.statusCode).toBe(status)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    expect(res.json()).toEqual({ error: { code, message: expect.any(String) } })
  })

  test('a body too large and malformed JSON on a public route', async () => {
    const big = await postRaw(t, '/auth/login', JSON.stringify({ code: 'x'.repeat(70_000) }))
    expect(big.statusCode).toBe(413)
    expect(big.json()).toEqual({
      error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) },
    })
    const bad = await postRaw(t, '/auth/login', '{"code":')
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toEqual({
      error: { code: 'VALIDATION_FAILED', message: expect.any(String) },
    })
  })

  describe('over a real socket', () => {
    let port = 0
    let served: TestApp
    beforeAll(async () => {
      served = await createTestApp()
      await served.app.listen({ port: 0, host: '127.0.0.1' })
      port = (served.app.server.address() as net.AddressInfo).port
    })
    afterAll(async () => {
      await served.close()
    })

    test('headers beyond Node’s limit answer 431 in the envelope', async () => {
      const raw = await rawExchange(
        port,
        `GET /menu HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      )
      const [res] = parseResponses(raw)
      expect(res?.status).toBe(431)
      expect(res?.body).toEqual({
        error: { code: 'HEADERS_TOO_LARGE', message: expect.any(String) },
      })
    })

    test('malformed HTTP answers 400 in the envelope', async () => {
      const raw = await rawExchange(port, 'GET /menu HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n')
      const [res] = parseResponses(raw)
      expect(res?.status).toBe(400)
      expect(res?.body).toEqual(ENVELOPE)
    })

    test('a request Node times out answers 408 REQUEST_TIMEOUT in the envelope', async () => {
      // Node raises ERR_HTTP_REQUEST_TIMEOUT through 'clientError' when a request is too slow to
      // arrive (its timers check every few seconds): raise it on a live connection directly.
      const serverSide = new Promise<net.Socket>((resolve) => {
        served.app.server.once('connection', (s: net.Socket) => s.once('data', () => resolve(s)))
      })
      const client = net.connect(port, '127.0.0.1')
      const chunks: Buffer[] = []
      client.on('data', (c: Buffer) => chunks.push(c))
      const ended = new Promise<void>((resolve) => client.once('close', () => resolve()))
      client.write('POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{')
      const timeout = Object.assign(new Error('request timeout'), {
        code: 'ERR_HTTP_REQUEST_TIMEOUT',
      })
      served.app.server.emit('clientError', timeout, await serverSide)
      await ended
      const [res] = parseResponses(Buffer.concat(chunks).toString('utf8'))
      expect(res?.status).toBe(408)
      expect(res?.body).toEqual({
        error: { code: 'REQUEST_TIMEOUT', message: expect.any(String) },
      })
    })

    test('a request line with a URL too long for the parser answers in the envelope', async () => {
      const raw = await rawExchange(port, `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`)
      const [res] = parseResponses(raw)
      expect([414, 431]).toContain(res?.status)
      expect(res?.body).toEqual(ENVELOPE)
    })
  })

  test('a request arriving while the server closes answers 503 with Retry-After, in the envelope', async () => {
    // The connection has sent half a request when close() starts (so it is not idle and stays
    // open); the request is completed once the server has stopped listening.
    const closing = await createTestApp()
    await closing.app.listen({ port: 0, host: '127.0.0.1' })
    const port = (closing.app.server.address() as net.AddressInfo).port
    const headersSeen = new Promise<void>((resolve) => {
      closing.app.server.once('connection', (s: net.Socket) => s.once('data', () => resolve()))
    })
    const socket = net.connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    socket.on('data', (c: Buffer) => chunks.push(c))
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    socket.write('GET /menu HTTP/1.1\r\nHost: x\r\n')
    await headersSeen
    const closed = closing.close()
    // close() first reads the session keys for the leak check, then stops listening.
    for (
      const deadline = Date.now() + 10_000;
      closing.app.server.listening && Date.now() < deadline;
    ) {
      await new Promise((r) => setTimeout(r, 5))
    }
    expect(closing.app.server.listening).toBe(false)
    socket.write('\r\n')
    await ended
    await closed
    const [res] = parseResponses(Buffer.concat(chunks).toString('utf8'))
    expect(res?.status).toBe(503)
    expect(res?.headers).toMatch(/\r\nretry-after: 1(\r|$)/)
    expect(res?.headers).toMatch(/\r\nconnection: close(\r|$)/)
    expect(res?.body).toEqual({
      error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String) },
    })
  })
})

describe('idempotency fingerprint', () => {
  test('a retry whose JSON keys come in another order returns the first order, not 409', async () => {
    const { token } = await t.login()
    const headers = {
      ...authHeader(token),
      'idempotency-key': 'k-reordered',
      'content-type': 'application/json',
    }
    const first = await t.inject({
      method: 'POST',
      url: '/orders',
      headers,
      payload:
        '{"items":[{"itemId":"fried-rice","quantity":2}],"remark":"no onion","address":"1 Road"}',
    })
    expect(first.statusCode).toBe(201)
    const retry = await t.inject({
      method: 'POST',
      url: '/orders',
      headers,
      payload:
        '{"address":"1 Road","remark":"no onion","items":[{"quantity":2,"itemId":"fried-rice"}]}',
    })
    expect(retry.statusCode).toBe(200)
    expect(retry.json().id).toBe(first.json().id)
    const different = await t.inject({
      method: 'POST',
      url: '/orders',
      headers,
      payload:
        '{"address":"1 Road","remark":"no onion","items":[{"quantity":3,"itemId":"fried-rice"}]}',
    })
    expectError(different, 409, 'IDEMPOTENCY_KEY_REUSED')
  })
})
