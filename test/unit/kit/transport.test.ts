import { headerOf } from '../../harness/wx'
import { AuthKitError } from 'wx-login-kit'
import { outcome, setup, tick } from './setup'

beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }))
afterEach(() => jest.useRealTimers())

const paths = (reqs: ReadonlyArray<{ url: string }>) =>
  reqs.map((r) => r.url.replace('https://api.test', ''))

describe('network failures and timeouts', () => {
  it('retries an idempotent GET twice with backoff, then rejects network; never logs in', async () => {
    const { auth, fake, server } = setup()
    await auth.ensureLogin()
    server.script.push('network', 'network', 'network')
    const p = outcome(auth.request({ url: '/p/menu' }))
    await tick(0)
    expect(fake.control.requests).toHaveLength(2)
    await tick(499)
    expect(fake.control.requests).toHaveLength(2) // backoff 500 ms
    await tick(1)
    expect(fake.control.requests).toHaveLength(3)
    await tick(1000) // then 1000 ms
    expect(p.error).toBeInstanceOf(AuthKitError)
    expect(p.error).toMatchObject({
      code: 'network',
      message: 'request:fail net::ERR_CONNECTION_RESET',
    })
    expect(fake.control.requests).toHaveLength(4)
    expect(fake.control.loginCalls).toBe(1)
    expect(auth.store.status).toBe('authenticated') // the session is kept
  })

  it('a retried call succeeds when the network comes back', async () => {
    const { auth, server } = setup()
    server.script.push('network')
    const p = outcome(auth.request<{ path: string }>({ url: '/open/menu', auth: 'none' }))
    await tick(500)
    expect(p.value?.data.path).toBe('/open/menu')
  })

  it('does not retry a POST without an idempotency key', async () => {
    const { auth, fake, server } = setup()
    server.script.push('network')
    const p = outcome(auth.request({ url: '/open/orders', method: 'POST', data: { a: 1 } }))
    await tick(5000)
    expect(p.error).toMatchObject({ code: 'network' })
    expect(fake.control.requests).toHaveLength(1)
    expect(fake.control.loginCalls).toBe(0)
  })

  it('retries a POST with an idempotency key, sending the same Idempotency-Key', async () => {
    const { auth, fake, server } = setup()
    server.script.push('network', { status: 503, code: 'UNAVAILABLE' })
    const p = outcome(
      auth.request({ url: '/open/orders', method: 'POST', data: { a: 1 }, idempotencyKey: 'k-1' }),
    )
    await tick(2000)
    expect(p.value?.statusCode).toBe(200)
    expect(fake.control.requests.map((r) => headerOf(r.header, 'idempotency-key'))).toEqual([
      'k-1',
      'k-1',
      'k-1',
    ])
  })

  it('timeoutMs bounds the whole call: after one timeout it is not sent again, and no login', async () => {
    const { auth, fake, server } = setup()
    server.script.push('hang', 'hang', 'hang')
    const p = outcome(auth.request({ url: '/open/slow', timeoutMs: 1000 }))
    await tick(999)
    expect(p.settled).toBe(0)
    await tick(1)
    expect(p.error).toMatchObject({ code: 'timeout' })
    expect(fake.control.requests[0]!.errMsg).toBe('request:fail timeout')
    await tick(5000)
    expect(fake.control.requests).toHaveLength(1)
    expect(fake.control.loginCalls).toBe(0)
  })

  it('defaults to a 15 s deadline for the whole call', async () => {
    const { auth, server } = setup()
    server.script.push('hang')
    const p = outcome(auth.request({ url: '/open/slow', method: 'POST' }))
    await tick(14_999)
    expect(p.settled).toBe(0)
    await tick(1)
    expect(p.error).toMatchObject({ code: 'timeout' })
  })

  it('retries 502/503/504 but not 500; non-2xx rejects with the server’s error', async () => {
    const { auth, fake, server } = setup()
    server.script.push(
      { status: 502, code: 'BAD_GATEWAY' },
      { status: 504, code: 'GATEWAY_TIMEOUT' },
    )
    const ok = outcome(auth.request({ url: '/open/a' }))
    await tick(2000)
    expect(ok.value?.statusCode).toBe(200)
    expect(fake.control.requests).toHaveLength(3)

    server.script.push({ status: 500, code: 'BOOM', message: 'it broke' })
    const bad = outcome(auth.request({ url: '/open/b' }))
    await tick(2000)
    expect(bad.error).toMatchObject({
      code: 'http',
      statusCode: 500,
      serverCode: 'BOOM',
      message: 'it broke',
    })
    expect(fake.control.requests).toHaveLength(4)

    server.script.push(
      { status: 503, code: 'DOWN' },
      { status: 503, code: 'DOWN' },
      { status: 503, code: 'DOWN', retryAfter: 7 },
    )
    const down = outcome(auth.request({ url: '/open/c' }))
    await tick(2000)
    expect(down.error).toMatchObject({
      code: 'http',
      statusCode: 503,
      serverCode: 'DOWN',
      retryAfterMs: 7000,
    })
    expect(fake.control.requests).toHaveLength(7) // 1 + 2 retries
  })
})

describe('concurrency cap and queue', () => {
  it('30 calls at once never exceed 8 wx.request, and start in call order', async () => {
    const { auth, fake, server } = setup()
    await auth.ensureLogin()
    fake.control.clearRequests()
    server.latency = (req) => (req.url.endsWith('/3') ? 300 : 100)
    const calls = Array.from({ length: 30 }, (_, i) => outcome(auth.request({ url: `/p/${i}` })))
    await tick(0)
    expect(fake.control.inFlight).toBe(8)
    await tick(1000)
    expect(calls.every((c) => c.settled === 1 && c.value)).toBe(true)
    expect(fake.control.maxConcurrentSeen).toBe(8)
    expect(paths(fake.control.requests)).toEqual(Array.from({ length: 30 }, (_, i) => `/p/${i}`))
  })

  it('honours maxConcurrentRequests, including the cold login call', async () => {
    const { auth, fake, server } = setup({ auth: { maxConcurrentRequests: 3 } })
    server.latency = 10
    const calls = Array.from({ length: 30 }, (_, i) =>
      outcome(auth.request({ url: `/p/${i}`, auth: i % 2 ? 'required' : 'optional' })),
    )
    await tick(1000)
    expect(calls.every((c) => c.settled === 1)).toBe(true)
    expect(fake.control.maxConcurrentSeen).toBe(3)
  })
})

describe('token handling', () => {
  it('sends the token only in Authorization, never in a URL, never to another origin', async () => {
    const { auth, fake } = setup()
    await auth.ensureLogin()
    await auth.request({ url: '/p/a', data: { q: 1 } })
    await auth.request({ url: 'https://api.test/p/b' })
    fake.control.setHandler(() => ({ statusCode: 200, data: { ok: true } }))
    await auth.request({ url: 'https://cdn.other/x' })
    const [, a, b, other] = fake.control.requests
    expect(a!.url).toBe('https://api.test/p/a?q=1')
    expect(headerOf(a!.header, 'authorization')).toBe('Bearer tok-1')
    expect(headerOf(b!.header, 'authorization')).toBe('Bearer tok-1')
    expect(headerOf(other!.header, 'authorization')).toBeUndefined()
    expect(fake.control.requests.some((r) => r.url.includes('tok-'))).toBe(false)
  })

  it('answers with lower-cased header names', async () => {
    const { auth, fake } = setup()
    fake.control.setHandler(() => ({ statusCode: 200, header: { 'X-Trace-ID': 'abc' }, data: {} }))
    const res = await auth.request({ url: '/open/a' })
    expect(res.header).toEqual({ 'x-trace-id': 'abc' })
  })
})
