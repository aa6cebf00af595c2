import { headerOf } from '../../harness/wx'
import { AuthKitError } from 'wx-login-kit'
import { outcome, setup, tick } from './setup'

beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }))
afterEach(() => jest.useRealTimers())

describe('lazy single-flight login', () => {
  it('logs in on the first required call with X-WX-Code: one round trip, token from headers', async () => {
    const { auth, fake, server, events } = setup()
    expect(auth.store.status).toBe('anonymous')
    const res = await auth.request<{ path: string }>({ url: '/p/me', auth: 'required' })
    expect(res.data.path).toBe('/p/me')
    expect(fake.control.loginCalls).toBe(1)
    expect(fake.control.requests).toHaveLength(1)
    expect(headerOf(fake.control.requests[0]!.header, 'x-wx-code')).toBe('code-1')
    expect(headerOf(fake.control.requests[0]!.header, 'authorization')).toBeUndefined()
    expect(auth.store.status).toBe('authenticated')
    expect(auth.store.isLoggedIn).toBe(true)
    expect(auth.store.user).toBeNull() // the header path carries no user; the app fetches /me
    // the next call goes with the token the headers carried
    await auth.request({ url: '/p/orders' })
    expect(headerOf(fake.control.requests[1]!.header, 'authorization')).toBe('Bearer tok-1')
    expect(server.exchanges).toBe(1)
    expect(events.map((e) => e.type)).toEqual(['login:start', 'login:success'])
    expect(events[1]).toMatchObject({ via: 'header' })
  })

  it('20 concurrent cold calls: 1 wx.login, 1 exchange, all succeed', async () => {
    const { auth, fake, server } = setup()
    server.latency = 50
    const calls = Array.from({ length: 20 }, (_, i) =>
      outcome(auth.request({ url: `/p/item/${i}`, auth: 'required' })),
    )
    await tick(1000)
    expect(calls.every((c) => c.settled === 1 && c.value)).toBe(true)
    expect(fake.control.loginCalls).toBe(1)
    expect(server.exchanges).toBe(1)
    expect(fake.control.requests).toHaveLength(20) // no extra login round trip
    const withCode = fake.control.requests.filter((r) => headerOf(r.header, 'x-wx-code'))
    expect(withCode).toHaveLength(1)
  })

  it('optional calls go anonymously and never log in until a 401', async () => {
    const { auth, fake } = setup()
    await auth.request({ url: '/open/menu' })
    expect(fake.control.loginCalls).toBe(0)
    expect(headerOf(fake.control.requests[0]!.header, 'authorization')).toBeUndefined()
    // an optional call to a protected route: 401, login through the login route, one retry
    const res = await auth.request<{ token: string }>({ url: '/p/me' })
    expect(res.data.token).toBe('tok-1')
    expect(fake.control.requests.map((r) => r.url.replace('https://api.test', ''))).toEqual([
      '/open/menu',
      '/p/me',
      '/auth/login',
      '/p/me',
    ])
    expect(auth.store.user).toEqual({ id: 'u1', nickname: null, avatarUrl: null, phone: null })
  })

  it("'none' never attaches a token nor logs in, even on a 401", async () => {
    const { auth, fake } = setup()
    await auth.ensureLogin()
    const err = await auth.request({ url: '/p/me', auth: 'none' }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'http', statusCode: 401, serverCode: 'SESSION_INVALID' })
    expect(headerOf(fake.control.requests[1]!.header, 'authorization')).toBeUndefined()
    expect(fake.control.loginCalls).toBe(1)
  })

  it('ensureLogin is single-flight and uses the login route', async () => {
    const { auth, fake, server, events } = setup()
    await Promise.all([auth.ensureLogin(), auth.ensureLogin(), auth.ensureLogin()])
    expect(fake.control.loginCalls).toBe(1)
    expect(server.exchanges).toBe(1)
    expect(fake.control.requests[0]!.data).toEqual({ code: 'code-1' })
    expect(events[0]).toEqual({ type: 'login:start', reason: 'user' })
    expect(events[1]).toMatchObject({ type: 'login:success', via: 'login-route' })
    await auth.ensureLogin() // already logged in: nothing happens
    expect(fake.control.loginCalls).toBe(1)
  })
})

describe('renewal and the stale-401 guard', () => {
  it('20 concurrent calls with an expired token: 1 re-login, all succeed with the new token', async () => {
    const { auth, fake, server, events } = setup()
    await auth.ensureLogin()
    server.expireAll()
    server.latency = 20
    fake.control.clearRequests()
    const calls = Array.from({ length: 20 }, (_, i) => outcome(auth.request({ url: `/p/${i}` })))
    await tick(2000)
    expect(calls.map((c) => c.settled)).toEqual(Array(20).fill(1))
    expect(calls.every((c) => (c.value?.data as { token: string }).token === 'tok-2')).toBe(true)
    expect(fake.control.loginCalls).toBe(2)
    expect(server.exchanges).toBe(2)
    // 8 went out with the expired token (the cap); the 12 queued waited for the new one, so
    // 8 retries + 12 = 28 app requests, none of them without a token
    const app = fake.control.requests.filter((r) => r.url.includes('/p/'))
    expect(app).toHaveLength(28)
    expect(app.filter((r) => headerOf(r.header, 'authorization') === 'Bearer tok-1')).toHaveLength(
      8,
    )
    expect(app.every((r) => headerOf(r.header, 'authorization'))).toBe(true)
    expect(events.filter((e) => e.type === 'session:renewed')).toHaveLength(1)
    expect(events.filter((e) => e.type === 'login:start').map((e) => e)).toContainEqual({
      type: 'login:start',
      reason: 'renew',
    })
  })

  it('a slow 401 for the old token arriving after a fresh login does not clear the new token', async () => {
    const { auth, fake, server } = setup()
    await auth.ensureLogin() // tok-1
    server.expireAll()
    // /p/slow takes 1 s; /p/fast 10 ms
    server.latency = (req) => (req.url.endsWith('/p/slow') ? 1000 : 10)
    const slow = outcome(auth.request<{ token: string }>({ url: '/p/slow' }))
    const fast = outcome(auth.request<{ token: string }>({ url: '/p/fast' }))
    await tick(200)
    // fast got its 401, renewed (tok-2) and succeeded while slow is still out with tok-1
    expect(fast.value?.data.token).toBe('tok-2')
    expect(slow.settled).toBe(0)
    await tick(2000)
    expect(slow.value?.data.token).toBe('tok-2') // retried with the current token
    expect(fake.control.loginCalls).toBe(2) // no second re-login
    expect(auth.store.status).toBe('authenticated')
    server.latency = 0
    const next = await auth.request<{ token: string }>({ url: '/p/after' })
    expect(next.data.token).toBe('tok-2') // the new token survived
  })

  it('at most one re-login and one retry per request', async () => {
    const { auth, fake, server } = setup()
    await auth.ensureLogin()
    server.always401 = true
    const err = await auth.request({ url: '/p/x' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AuthKitError)
    expect(err).toMatchObject({ code: 'http', statusCode: 401 })
    expect(fake.control.loginCalls).toBe(2)
    expect(fake.control.requests.filter((r) => r.url.endsWith('/p/x'))).toHaveLength(2)
  })
})

describe('login failure', () => {
  it('rejects every waiter with the same error and sends nothing with a dead token', async () => {
    const { auth, fake, server, events } = setup()
    await auth.ensureLogin()
    server.expireAll()
    server.loginFailures.push({ status: 502, code: 'WECHAT_UNAVAILABLE', message: 'try later' })
    const calls = Array.from({ length: 10 }, (_, i) => outcome(auth.request({ url: `/p/${i}` })))
    await tick(100)
    const errors = calls.map((c) => c.error)
    expect(errors.every((e) => e === errors[0])).toBe(true)
    expect(errors[0]).toMatchObject({
      code: 'login_failed',
      statusCode: 502,
      serverCode: 'WECHAT_UNAVAILABLE',
      message: 'try later',
    })
    // every 401 for tok-1 led to the one login; nothing went out with tok-1 afterwards
    const logins = fake.control.requests.flatMap((r, i) =>
      r.url.endsWith('/auth/login') ? [i] : [],
    )
    const relogin = logins.at(-1)!
    const tok1After = fake.control.requests
      .slice(relogin)
      .filter((r) => headerOf(r.header, 'authorization') === 'Bearer tok-1')
    expect(tok1After).toHaveLength(0)
    expect(fake.control.loginCalls).toBe(2)
    expect(auth.store.lastError).toEqual({ code: 'login_failed', message: 'try later' })
    expect(auth.store.status).toBe('anonymous')
    expect(events.at(-1)).toMatchObject({ type: 'login:failure', code: 'login_failed' })
  })

  it('a wx.login failure rejects all cold waiters with one login_failed', async () => {
    const { auth, fake } = setup()
    fake.control.failLogin('system error')
    const calls = Array.from({ length: 5 }, () =>
      outcome(auth.request({ url: '/p/a', auth: 'required' })),
    )
    await tick()
    expect(calls.every((c) => c.error === calls[0]!.error)).toBe(true)
    expect(calls[0]!.error).toMatchObject({
      code: 'login_failed',
      message: 'login:fail system error',
    })
    expect(fake.control.requests).toHaveLength(0)
    // a later call tries again
    await expect(auth.request({ url: '/p/a', auth: 'required' })).resolves.toBeDefined()
  })

  it('a cold call the server answers 429 gets its own http error, and no login before Retry-After', async () => {
    const { auth, fake, server } = setup()
    server.loginFailures.push({ status: 429, code: 'RATE_LIMITED', retryAfter: 30 })
    const err = await auth.request({ url: '/p/a', auth: 'required' }).catch((e: unknown) => e)
    expect(err).toMatchObject({
      code: 'http',
      statusCode: 429,
      serverCode: 'RATE_LIMITED',
      retryAfterMs: 30_000,
    })
    // no login attempt (no wx.login, no request) before the 30 s have passed
    const early = await auth.request({ url: '/p/a', auth: 'required' }).catch((e: unknown) => e)
    expect(early).toMatchObject({ code: 'login_failed', retryAfterMs: 30_000 })
    expect(fake.control.loginCalls).toBe(1)
    expect(fake.control.requests).toHaveLength(1)
    await tick(30_000)
    await expect(auth.request({ url: '/p/a', auth: 'required' })).resolves.toBeDefined()
    expect(fake.control.loginCalls).toBe(2)
  })
})

describe('loop breaker', () => {
  it('trips on a server that answers 401 forever; ensureLogin() re-arms it', async () => {
    const { auth, fake, server, events } = setup()
    server.always401 = true
    const results: unknown[] = []
    for (let i = 0; i < 5; i++)
      results.push(await auth.request({ url: '/p/x' }).catch((e: unknown) => e))
    expect(results.slice(0, 3)).toEqual(
      Array(3).fill(expect.objectContaining({ code: 'http', statusCode: 401 })),
    )
    expect(results[3]).toMatchObject({ code: 'login_loop' })
    expect(results[4]).toMatchObject({ code: 'login_loop' })
    expect(fake.control.loginCalls).toBe(3) // no 4th login
    expect(auth.store.status).toBe('error')
    expect(auth.store.lastError?.code).toBe('login_loop')
    expect(events.filter((e) => e.type === 'loop:tripped')).toEqual([
      { type: 'loop:tripped', logins: 3, perMs: 60_000 },
    ])
    // the app's ensureLogin() (a user's retry) re-arms it at once
    server.always401 = false
    await auth.ensureLogin()
    expect(auth.store.status).toBe('authenticated')
    await expect(auth.request({ url: '/p/x' })).resolves.toBeDefined()
  })

  it('re-arms by itself perMs after it tripped', async () => {
    const { auth, fake, server } = setup()
    server.always401 = true
    for (let i = 0; i < 4; i++) await auth.request({ url: '/p/x' }).catch(() => undefined)
    await expect(auth.request({ url: '/p/x' })).rejects.toMatchObject({ code: 'login_loop' })
    server.always401 = false
    await tick(59_000)
    await expect(auth.request({ url: '/p/x' })).rejects.toMatchObject({ code: 'login_loop' })
    await tick(1000)
    await expect(auth.request({ url: '/p/x' })).resolves.toBeDefined()
    expect(fake.control.loginCalls).toBe(4)
    expect(auth.store.status).toBe('authenticated')
  })

  it('respects a custom budget', async () => {
    const { auth, fake, server } = setup({ auth: { loginBudget: { max: 1, perMs: 1000 } } })
    server.always401 = true
    await expect(auth.request({ url: '/p/x' })).rejects.toMatchObject({ code: 'http' })
    await expect(auth.request({ url: '/p/x' })).rejects.toMatchObject({ code: 'login_loop' })
    expect(fake.control.loginCalls).toBe(1)
  })
})

describe('events', () => {
  it('report login durations from the clock and unsubscribe', async () => {
    const { auth, fake, server, events } = setup()
    fake.control.setLoginLatency(30)
    server.latency = 120
    const seen: number[] = []
    const off = auth.on('login:success', (e) => seen.push(e.durationMs))
    const p = outcome(auth.request({ url: '/p/a', auth: 'required' }))
    await tick(200)
    expect(p.settled).toBe(1)
    expect(seen).toEqual([150])
    expect(events).toEqual([
      { type: 'login:start', reason: 'cold' },
      { type: 'login:success', durationMs: 150, via: 'header' },
    ])
    off()
    server.loginFailures.push({ status: 400, code: 'LOGIN_CODE_INVALID' })
    server.expireAll()
    const q = outcome(auth.request({ url: '/p/b' }))
    await tick(1000)
    expect(q.error).toMatchObject({ code: 'login_failed' })
    expect(seen).toEqual([150])
    expect(events.at(-1)).toEqual({
      type: 'login:failure',
      durationMs: 150,
      code: 'login_failed',
      message: 'LOGIN_CODE_INVALID',
    })
  })

  it('a throwing listener does not break the kit', async () => {
    const { auth } = setup()
    auth.on('login:start', () => {
      throw new Error('bad listener')
    })
    await expect(auth.request({ url: '/p/a', auth: 'required' })).resolves.toBeDefined()
  })
})
