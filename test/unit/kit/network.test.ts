// The kit on the real network and platform, as the fake wx now models them: offline periods,
// captive portals, header-stripping proxies, header case, hung or failing wx.login, background
// interruptions, third-party hosts, Retry-After, deadlines and logout.
import { headerOf } from '../../harness/wx'
import { createAuth, AuthKitError } from 'wx-login-kit'
import { BASE } from '../../support/fake-server'
import { outcome, setup, tick } from './setup'

beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }))
afterEach(() => jest.useRealTimers())

const paths = (reqs: ReadonlyArray<{ url: string }>) =>
  reqs.map((r) => r.url.replace(BASE, '').split('?')[0])

/** Every call the server refuses with a fresh token, until the breaker trips (default 3/min). */
async function tripBreaker(auth: ReturnType<typeof setup>['auth']) {
  for (let i = 0; i < 4; i++) await auth.request({ url: '/p/x' }).catch(() => undefined)
}

describe('loop breaker: only refused fresh tokens count', () => {
  it('a minute offline does not trip it: back online, the next call succeeds with one login', async () => {
    const { auth, fake } = setup()
    fake.control.goOffline(60_000)
    const errors: unknown[] = []
    for (let i = 0; i < 12; i++) {
      errors.push(await auth.request({ url: `/p/${i}`, auth: 'required' }).catch((e) => e))
      await tick(5000)
    }
    expect(errors.every((e) => e instanceof AuthKitError && e.code !== 'login_loop')).toBe(true)
    expect(auth.store.status).not.toBe('error')
    expect(fake.control.offline).toBe(false)
    const before = fake.control.loginCalls
    await expect(auth.request({ url: '/p/after', auth: 'required' })).resolves.toBeDefined()
    expect(fake.control.loginCalls - before).toBe(1)
  })

  it('a captive portal does not trip it; its 200 HTML page is an invalid_response, never success', async () => {
    const { auth, fake } = setup()
    fake.control.setCaptivePortal({ redirectTo: 'http://portal.hotel/login' })
    for (let i = 0; i < 6; i++) {
      const menu = await auth.request({ url: '/open/menu', auth: 'none' }).catch((e) => e)
      expect(menu).toMatchObject({ code: 'invalid_response', statusCode: 200 })
      const orders = await auth.request({ url: '/p/orders', auth: 'required' }).catch((e) => e)
      expect(orders).toBeInstanceOf(AuthKitError)
      expect(['invalid_response', 'login_failed']).toContain((orders as AuthKitError).code)
    }
    expect(auth.store.status).not.toBe('error')
    fake.control.setCaptivePortal(null)
    await expect(auth.request({ url: '/p/orders', auth: 'required' })).resolves.toBeDefined()
  })

  it('failing, slow and 5xx/429 logins do not trip it', async () => {
    const { auth, fake, server } = setup({ auth: { loginBudget: { max: 1, perMs: 60_000 } } })
    fake.control.failLogin('system error', 2)
    server.loginFailures.push(
      { status: 502, code: 'WECHAT_UNAVAILABLE' },
      { status: 429, code: 'RATE_LIMITED' },
    )
    for (let i = 0; i < 4; i++)
      await expect(auth.ensureLogin()).rejects.toMatchObject({ code: 'login_failed' })
    fake.control.hangLogin()
    const hung = outcome(auth.ensureLogin())
    await tick(10_000)
    expect(hung.error).toMatchObject({ code: 'login_failed', message: 'login:fail timeout' })
    await expect(auth.ensureLogin()).resolves.toBeUndefined()
    expect(auth.store.status).toBe('authenticated')
  })

  it("the kit's own ensureLogin (profile preparation) does not re-arm it; the app's does", async () => {
    const { auth, server } = setup()
    server.always401 = true
    await tripBreaker(auth)
    server.always401 = false
    await expect(auth.prepareProfile()).rejects.toMatchObject({ code: 'login_loop' })
    await expect(auth.request({ url: '/p/x', auth: 'required' })).rejects.toMatchObject({
      code: 'login_loop',
    })
    expect(auth.store.status).toBe('error')
    await auth.ensureLogin()
    await expect(auth.request({ url: '/p/x', auth: 'required' })).resolves.toBeDefined()
  })

  it('ignores entries dated in the future (the device clock moved back)', async () => {
    const { auth, fake, server } = setup()
    server.always401 = true
    await tripBreaker(auth)
    expect(auth.store.status).toBe('error')
    server.always401 = false
    jest.setSystemTime(Date.now() - 3600_000)
    await expect(auth.request({ url: '/p/x', auth: 'required' })).resolves.toBeDefined()
    expect(fake.control.loginCalls).toBe(4)
  })

  it('a restored token the server refuses does not count', async () => {
    const { auth, make, server } = setup({ auth: { loginBudget: { max: 1, perMs: 60_000 } } })
    await auth.ensureLogin()
    server.expireAll()
    // a relaunch restores tok-1; its refusal is no sign of a loop
    const again = make()
    await expect(again.request({ url: '/p/a' })).resolves.toBeDefined()
    expect(again.store.status).toBe('authenticated')
  })
})

describe('origin discipline', () => {
  it('a 401 from a third-party host neither logs out nor logs in', async () => {
    const { auth, fake, server } = setup()
    await auth.ensureLogin()
    fake.control.setHandler((req) =>
      req.url.startsWith(BASE)
        ? server.handle(req)
        : { statusCode: 401, header: { 'Content-Type': 'application/json' }, data: '{}' },
    )
    const e = await auth
      .request({ url: 'https://maps.example.com/geo', auth: 'required' })
      .catch((x: unknown) => x)
    expect(e).toMatchObject({ code: 'http', statusCode: 401 })
    expect(auth.store.status).toBe('authenticated')
    expect(fake.control.loginCalls).toBe(1)
    const third = fake.control.requests.at(-1)!
    expect(headerOf(third.header, 'authorization')).toBeUndefined()
    expect(headerOf(third.header, 'x-wx-code')).toBeUndefined()
    await expect(auth.request<{ token: string }>({ url: '/p/me' })).resolves.toMatchObject({
      data: { token: 'tok-1' },
    })
  })

  it("a cold 'required' call to another origin carries no code and logs nobody in", async () => {
    const { auth, fake } = setup()
    fake.control.setHandler(() => ({
      statusCode: 200,
      header: { 'content-type': 'application/json', 'X-Session-Token': 'evil' },
      data: '{}',
    }))
    await auth.request({ url: 'https://api.test.evil.com/x', auth: 'required' })
    await auth.request({ url: 'https://evil.com/?https://api.test/', auth: 'required' })
    await auth.request({ url: 'https://api.test@evil.com/x', auth: 'required' })
    expect(fake.control.loginCalls).toBe(0)
    expect(fake.control.requests.every((r) => !headerOf(r.header, 'x-wx-code'))).toBe(true)
    expect(auth.store.isLoggedIn).toBe(false)
  })

  it('joins URLs whatever the slashes, and keeps the token under a baseUrl path', async () => {
    const { fake, server } = setup()
    const auth = createAuth({ baseUrl: `${BASE}/`, storageKey: 'k2' })
    await auth.request({ url: 'p/a', auth: 'required' })
    await auth.request({ url: '/p/b' })
    expect(paths(fake.control.requests)).toEqual(['/p/a', '/p/b'])
    expect(fake.control.requests.map((r) => r.url)).toEqual([`${BASE}/p/a`, `${BASE}/p/b`])
    expect(headerOf(fake.control.requests[1]!.header, 'authorization')).toBe('Bearer tok-1')

    const scoped = createAuth({ baseUrl: `${BASE}/v1`, storageKey: 'k3' })
    fake.control.clearRequests()
    fake.control.setHandler((req) =>
      server.handle({ ...req, url: req.url.replace('/v1/', '/').replace('/v2/', '/') }),
    )
    await scoped.request({ url: 'p/c', auth: 'required' })
    await scoped.request({ url: `${BASE}/v2/p/d` }).catch(() => undefined)
    const [inside, outside] = fake.control.requests
    expect(inside!.url).toBe(`${BASE}/v1/p/c`)
    expect(headerOf(inside!.header, 'x-wx-code')).toBeDefined()
    expect(headerOf(outside!.header, 'authorization')).toBeUndefined()
  })
})

describe('the cold path degrades instead of failing everyone', () => {
  it('a cold call met by 503: its own error after the retries; the waiters share one login-route exchange', async () => {
    const { auth, fake, server } = setup()
    server.latency = 50
    server.script.push(
      { status: 503, code: 'DOWN' },
      { status: 503, code: 'DOWN' },
      { status: 503, code: 'DOWN' },
    )
    const first = outcome(auth.request({ url: '/p/first', method: 'POST', auth: 'required' }))
    const waiters = Array.from({ length: 5 }, (_, i) =>
      outcome(auth.request({ url: `/p/w${i}`, auth: 'required' })),
    )
    await tick(5000)
    expect(first.error).toMatchObject({ code: 'http', statusCode: 503 })
    expect(waiters.every((w) => w.settled === 1 && w.value)).toBe(true)
    expect(paths(fake.control.requests).filter((p) => p === '/auth/login')).toHaveLength(1)
    expect(fake.control.loginCalls).toBe(2) // the cold call's code, then the waiters' one
    expect(server.exchanges).toBe(1) // the 503 never logged anyone in
  })

  it('a proxy that strips X-Session-Token: waiters fall back to the login route, later cold calls too', async () => {
    const { auth, fake, server } = setup()
    fake.control.setHeaderStripping(true)
    server.latency = 10
    const calls = Array.from({ length: 4 }, (_, i) =>
      outcome(auth.request({ url: `/p/${i}`, auth: 'required' })),
    )
    await tick(1000)
    expect(calls.every((c) => c.value)).toBe(true)
    expect(paths(fake.control.requests).filter((p) => p === '/auth/login')).toHaveLength(1)
    expect(auth.store.isLoggedIn).toBe(true)
  })

  it.each(['lower', 'upper'] as const)(
    'reads session headers whatever their case (%s)',
    async (headerCase) => {
      const { auth, fake } = setup()
      fake.control.setHeaderCase(headerCase)
      await auth.request({ url: '/p/a', auth: 'required' })
      await auth.request({ url: '/p/b', auth: 'required' })
      expect(fake.control.requests).toHaveLength(2)
      expect(headerOf(fake.control.requests[1]!.header, 'authorization')).toBe('Bearer tok-1')
    },
  )

  it("a back end that speaks only Bearer plus POST /auth/login works in 'required' mode", async () => {
    const { auth, fake, server } = setup()
    server.speaksCodeHeader = false
    const calls = Array.from({ length: 3 }, (_, i) =>
      outcome(auth.request<{ token: string }>({ url: `/p/${i}`, auth: 'required' })),
    )
    await tick(1000)
    expect(calls.map((c) => c.value?.data.token)).toEqual(['tok-1', 'tok-1', 'tok-1'])
    expect(server.exchanges).toBe(1)
    // later cold starts go straight to the login route: no doomed X-WX-Code round trip
    await auth.logout()
    fake.control.clearRequests()
    await auth.request({ url: '/p/again', auth: 'required' })
    expect(paths(fake.control.requests)).toEqual(['/auth/login', '/p/again'])
  })

  it('a cold call that loses the network fails on its own; the waiters log in by route', async () => {
    const { auth, server } = setup()
    server.script.push('network')
    const first = outcome(auth.request({ url: '/p/a', method: 'POST', auth: 'required' }))
    const second = outcome(auth.request({ url: '/p/b', auth: 'required' }))
    await tick(1000)
    expect(first.error).toMatchObject({ code: 'network' })
    expect(second.value).toBeDefined()
  })
})

describe('login failures are typed', () => {
  it('a login-route exchange that meets a network failure or a portal page is login_failed', async () => {
    const { auth, fake, server } = setup()
    server.fail('POST /auth/login', { kind: 'network' })
    await expect(auth.ensureLogin()).rejects.toMatchObject({
      code: 'login_failed',
      message: 'request:fail net::ERR_CONNECTION_RESET',
    })
    fake.control.setCaptivePortal({})
    await expect(auth.ensureLogin()).rejects.toMatchObject({
      code: 'login_failed',
      statusCode: 200,
    })
    fake.control.setCaptivePortal(null)
    await expect(auth.ensureLogin()).resolves.toBeUndefined()
  })
})

describe('nothing waits forever', () => {
  it('wx.login is bounded: 10 s by default, or loginTimeoutMs', async () => {
    const { auth, fake } = setup()
    fake.control.setLoginHanging(true)
    const p = outcome(auth.request({ url: '/p/a', auth: 'required', timeoutMs: 60_000 }))
    await tick(9_999)
    expect(p.settled).toBe(0)
    await tick(1)
    expect(p.error).toMatchObject({ code: 'login_failed', message: 'login:fail timeout' })

    const quick = setup({ auth: { loginTimeoutMs: 2000 } })
    quick.fake.control.setLoginHanging(true)
    const q = outcome(quick.auth.ensureLogin())
    await tick(2000)
    expect(q.error).toMatchObject({ code: 'login_failed' })
  })

  it('timeoutMs bounds the whole call, backoff included: a retry that cannot finish is not sent', async () => {
    const { auth, fake, server } = setup()
    server.script.push('network', 'network', 'network')
    server.latency = 300
    const p = outcome(auth.request({ url: '/open/a', timeoutMs: 1000 }))
    await tick(1000)
    expect(p.error).toBeInstanceOf(AuthKitError)
    expect(['network', 'timeout']).toContain((p.error as AuthKitError).code)
    const sent = fake.control.requests.length
    await tick(10_000)
    expect(fake.control.requests.length).toBe(sent)
    expect(sent).toBeLessThanOrEqual(2)
  })

  it('logout releases every call waiting on a hung wx.login with aborted', async () => {
    const { auth, fake } = setup()
    fake.control.setLoginHanging(true)
    const waiting = [
      outcome(auth.request({ url: '/p/a', auth: 'required' })),
      outcome(auth.request({ url: '/p/b', auth: 'required' })),
      outcome(auth.ensureLogin()),
    ]
    await tick(100)
    await auth.logout()
    await tick(0)
    expect(waiting.map((w) => (w.error as AuthKitError | undefined)?.code)).toEqual([
      'aborted',
      'aborted',
      'aborted',
    ])
    fake.control.setLoginHanging(false)
    await expect(auth.request({ url: '/p/c', auth: 'required' })).resolves.toBeDefined()
  })

  it('logout resolves once the local state is reset; the revoke goes on in the background', async () => {
    const { auth, fake, server } = setup()
    await auth.ensureLogin()
    server.latency = 5000
    const out = outcome(auth.logout())
    await tick(0)
    expect(out.settled).toBe(1)
    expect(auth.store.isLoggedIn).toBe(false)
    expect(fake.control.inFlight).toBe(1) // the revoke
    await tick(5000)
    expect(server.tokens.get('tok-1')).toBe('revoked')
  })
})

describe('answers are checked; Retry-After is honoured', () => {
  it('a 200 text answer to a JSON call is invalid_response; dataType text accepts it', async () => {
    const { auth, fake } = setup()
    fake.control.setHandler(() => ({
      statusCode: 200,
      header: { 'Content-Type': 'text/plain' },
      data: 'pong',
    }))
    await expect(auth.request({ url: '/open/ping' })).rejects.toMatchObject({
      code: 'invalid_response',
    })
    await expect(auth.request({ url: '/open/ping', dataType: 'text' })).resolves.toMatchObject({
      data: 'pong',
    })
  })

  it.each([
    ['seconds', '3'],
    ['an HTTP-date', new Date(1_700_000_000_000 + 3000).toUTCString()],
  ])('a retry waits for Retry-After in %s', async (_kind, value) => {
    const { auth, fake } = setup()
    let n = 0
    fake.control.setHandler(() =>
      n++ === 0
        ? { statusCode: 503, header: { 'Retry-After': value }, data: {} }
        : { statusCode: 200, data: { ok: true } },
    )
    const p = outcome(auth.request({ url: '/open/a' }))
    await tick(2999)
    expect(fake.control.requests).toHaveLength(1)
    await tick(1)
    expect(fake.control.requests).toHaveLength(2)
    await tick(0)
    expect(p.value?.data).toEqual({ ok: true })
  })

  it('a Retry-After beyond the deadline is not waited for', async () => {
    const { auth, fake } = setup()
    fake.control.setHandler(() => ({ statusCode: 503, header: { 'Retry-After': '60' }, data: {} }))
    const p = outcome(auth.request({ url: '/open/a' }))
    await tick(0)
    expect(p.error).toMatchObject({ code: 'http', statusCode: 503, retryAfterMs: 60_000 })
    expect(fake.control.requests).toHaveLength(1)
  })

  it('a login answered 503 with Retry-After: no login attempt before it has passed', async () => {
    const { auth, fake, server } = setup()
    server.loginFailures.push({ status: 503, code: 'WECHAT_UNAVAILABLE', retryAfter: 20 })
    await expect(auth.ensureLogin()).rejects.toMatchObject({ code: 'login_failed' })
    await tick(19_000)
    await expect(auth.ensureLogin()).rejects.toMatchObject({
      code: 'login_failed',
      retryAfterMs: 1000,
    })
    expect(fake.control.loginCalls).toBe(1)
    await tick(1000)
    await expect(auth.ensureLogin()).resolves.toBeUndefined()
  })
})

describe('background', () => {
  it('an idempotent call interrupted by the background is resent when the app shows again', async () => {
    const { auth, fake, server } = setup()
    await auth.ensureLogin()
    server.latency = 10_000
    const p = outcome(auth.request<{ path: string }>({ url: '/p/orders' }))
    await tick(1000)
    fake.control.hideApp()
    await tick(5000)
    expect(fake.control.requests.at(-1)!.errMsg).toBe('request:fail interrupted')
    await tick(10 * 60_000) // long in the background: nothing happens, no deadline runs out
    expect(p.settled).toBe(0)
    fake.control.showApp()
    server.latency = 0
    await tick(0)
    expect(p.value?.data.path).toBe('/p/orders')
    expect(fake.control.loginCalls).toBe(1)
    expect(auth.store.lastError).toBeNull()
  })

  it('a non-idempotent call interrupted fails as network; an interrupted login is no login failure', async () => {
    const { auth, fake, server, events } = setup({
      auth: { loginBudget: { max: 1, perMs: 60_000 } },
    })
    server.latency = 10_000
    const post = outcome(auth.request({ url: '/p/orders', method: 'POST', auth: 'required' }))
    const get = outcome(auth.request({ url: '/p/menu', auth: 'required' }))
    await tick(100)
    fake.control.hideApp()
    await tick(5000)
    expect(post.error).toMatchObject({ code: 'network', message: 'request:fail interrupted' })
    expect(get.settled).toBe(0)
    server.latency = 0
    fake.control.showApp()
    await tick(1000)
    expect(get.value).toBeDefined()
    expect(events.some((e) => e.type === 'login:failure' && e.code === 'login_failed')).toBe(false)
    expect(auth.store.status).toBe('authenticated')
  })
})

describe('the store tells the truth', () => {
  it('lastError records network, timeout, http and aborted rejections and clears on success', async () => {
    const { auth, server } = setup()
    server.script.push('network')
    await auth.request({ url: '/open/a', method: 'POST' }).catch(() => undefined)
    expect(auth.store.lastError?.code).toBe('network')
    await auth.request({ url: '/open/b' })
    expect(auth.store.lastError).toBeNull()
    server.script.push({ status: 500, code: 'BOOM' })
    await auth.request({ url: '/open/c' }).catch(() => undefined)
    expect(auth.store.lastError?.code).toBe('http')
    server.script.push('hang')
    const slow = outcome(auth.request({ url: '/open/d', timeoutMs: 500 }))
    await tick(500)
    expect(slow.error).toMatchObject({ code: 'timeout' })
    expect(auth.store.lastError?.code).toBe('timeout')
    server.script.push('hang')
    const cut = outcome(auth.request({ url: '/open/e' }))
    await tick(10)
    await auth.logout()
    await tick(0)
    expect(cut.error).toMatchObject({ code: 'aborted' })
    expect(auth.store.lastError?.code).toBe('aborted')
    await auth.request({ url: '/open/f' })
    expect(auth.store.lastError).toBeNull()
  })

  it('isLoggedIn stays true while a held session is silently renewed', async () => {
    const { auth, fake, server } = setup()
    await auth.ensureLogin()
    server.expireAll()
    fake.control.setLoginLatency(1000)
    const seen: boolean[] = []
    const p = outcome(auth.request({ url: '/p/a' }))
    for (let i = 0; i < 10; i++) {
      await tick(100)
      seen.push(auth.store.isLoggedIn)
    }
    await tick(1000)
    expect(p.value).toBeDefined()
    expect(fake.control.loginCalls).toBe(2)
    expect(seen.every(Boolean)).toBe(true)
  })
})

describe('createAuth options', () => {
  it.each([
    [{ maxConcurrentRequests: 0 }, /maxConcurrentRequests/],
    [{ maxConcurrentRequests: 11 }, /maxConcurrentRequests/],
    [{ maxConcurrentRequests: 2.5 }, /maxConcurrentRequests/],
    [{ loginBudget: { max: 0, perMs: 1000 } }, /loginBudget/],
    [{ loginBudget: { max: 3, perMs: 0 } }, /loginBudget/],
    [{ loginBudget: { max: 3, perMs: -5 } }, /loginBudget/],
    [{ timeoutMs: 0 }, /timeoutMs/],
    [{ loginTimeoutMs: -1 }, /loginTimeoutMs/],
    [{ baseUrl: 'api.test' }, /baseUrl/],
  ])('rejects %j with a clear error', (bad, message) => {
    setup()
    const make = () => createAuth({ baseUrl: BASE, ...bad })
    expect(make).toThrow(AuthKitError)
    expect(make).toThrow(message)
  })
})
