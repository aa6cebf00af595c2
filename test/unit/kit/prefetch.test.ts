// wx.login off the critical path: while no session is held, the kit holds a login code obtained
// ahead of need (at createAuth, on app show, refreshed in the foreground), uses it once for the
// first login, and never calls wx.login while a session is held or in the background.
import { createAuth } from 'wx-login-kit'
import { headerOf } from '../../../packages/headless/wx'
import { BASE } from '../../support/fake-server'
import { outcome, setup, tick } from './setup'

beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }))
afterEach(() => jest.useRealTimers())

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** A kit with prefetching on, wx.login taking 300 ms and each round trip 100 ms. */
function world(o: Parameters<typeof setup>[0] = {}) {
  const w = setup({ ...o, auth: { prefetchLoginCode: true, ...o.auth } })
  w.fake.control.setLoginLatency(300)
  w.server.latency = 100
  // when each code was handed out, to check none is used stale
  const mintedAt = new Map<string, number>()
  let n = 0
  w.fake.control.setCodeSource(() => {
    const code = `pre-${++n}`
    mintedAt.set(code, Date.now())
    return code
  })
  return { ...w, mintedAt }
}

/** Lets `p` settle on the fake clock (up to 2 s) and returns its value. */
async function settle<T>(p: Promise<T>): Promise<T> {
  const o = outcome(p)
  for (let waited = 0; o.settled === 0 && waited < 2000; waited += 10) await tick(10)
  if (o.settled === 0) throw new Error('did not settle within 2 s')
  if (o.error !== undefined) throw o.error
  return o.value as T
}

const codesSent = (w: ReturnType<typeof world>) =>
  w.fake.control.requests.map((r) => headerOf(r.header, 'x-wx-code')).filter((c) => c)

test('the first protected call after the app has shown for 2 s takes one round trip', async () => {
  const w = world({ wx: { codeSource: undefined } })
  // createAuth ran in setup(): the prefetch is on its way
  await tick(2000)
  expect(w.fake.control.loginCalls).toBe(1)
  const started = Date.now()
  const call = outcome(w.auth.request({ url: '/p/orders', auth: 'required' }))
  await tick(100)
  expect(call.settled).toBe(1)
  expect(call.value).toBeDefined()
  expect(Date.now() - started).toBe(100)
  expect(w.fake.control.loginCalls).toBe(1) // no wx.login on the way
  expect(codesSent(w)).toEqual(['pre-1'])
  expect(w.auth.store.status).toBe('authenticated')
})

test('a call made while the prefetch is on its way waits for it: one wx.login, one exchange', async () => {
  const w = world()
  const calls = Array.from({ length: 20 }, (_, i) =>
    outcome(w.auth.request({ url: `/p/item/${i}`, auth: 'required' })),
  )
  await tick(1000)
  expect(calls.every((c) => c.settled === 1 && c.value)).toBe(true)
  expect(w.fake.control.loginCalls).toBe(1)
  expect(w.server.exchanges).toBe(1)
})

test('never while a session is held: no wx.login at start, on show or over hours', async () => {
  const w = world()
  await tick(500)
  await settle(w.auth.request({ url: '/p/orders', auth: 'required' }))
  const restored = w.make() // a second start of the app restores the stored session
  expect(restored.store.isLoggedIn).toBe(true)
  const calls = w.fake.control.loginCalls
  w.fake.control.hideApp()
  await tick(10_000)
  w.fake.control.showApp()
  await tick(3 * HOUR)
  expect(w.fake.control.loginCalls).toBe(calls)
})

test('a code is used once: a later login asks for a new one, and the server never sees a code twice', async () => {
  const w = world()
  await tick(500)
  await settle(w.auth.request({ url: '/p/orders', auth: 'required' }))
  w.server.expireAll()
  await settle(w.auth.request({ url: '/p/orders' }))
  const loginCodes = [
    ...codesSent(w),
    ...w.server.calls('POST /auth/login').map((c) => (c.data as { code: string }).code),
  ]
  expect(loginCodes).toHaveLength(2)
  expect(new Set(loginCodes).size).toBe(2)
  expect(w.server.calls().filter((c) => c.status === 400)).toEqual([])
})

test('a held code is refreshed before it goes stale, and a login never sends a stale one', async () => {
  const w = world()
  await tick(10 * MINUTE + 17_000)
  await settle(w.auth.request({ url: '/p/orders', auth: 'required' }))
  const [code] = codesSent(w)
  expect(code).toBeDefined()
  // minted less than 5 minutes (WeChat's code lifetime) before it reached the server
  expect(Date.now() - w.mintedAt.get(code!)!).toBeLessThan(5 * MINUTE)
  expect(w.fake.control.loginCalls).toBeLessThanOrEqual(4)
})

test('an anonymous user browsing for an hour: at most 14 wx.login in the foreground, none in the background', async () => {
  const w = world()
  for (let minute = 0; minute < 60; minute++) {
    await settle(w.auth.request({ url: '/menu', auth: 'none' }))
    await tick(MINUTE)
  }
  const foreground = w.fake.control.loginCalls
  expect(foreground).toBeGreaterThanOrEqual(12) // the code is kept fresh all along
  // attempts at least 4.5 minutes apart: 0, 4.5, …, 58.5 minutes (the README's "at most 14 an hour")
  expect(foreground).toBeLessThanOrEqual(14)
  w.fake.control.hideApp()
  await tick(HOUR)
  expect(w.fake.control.loginCalls).toBe(foreground)
})

test('rapid hide/show does not spam wx.login (WeChat: at most 4 a second per user)', async () => {
  const w = world()
  await tick(1000)
  for (let i = 0; i < 20; i++) {
    w.fake.control.hideApp()
    await tick(20)
    w.fake.control.showApp()
    await tick(20)
  }
  // the code fetched at start is still usable: none of the shows needed another
  expect(w.fake.control.loginCalls).toBe(1)
})

test('after the background, a show brings a fresh code when the held one went stale', async () => {
  const w = world()
  await tick(1000)
  w.fake.control.hideApp()
  await tick(HOUR)
  expect(w.fake.control.loginCalls).toBe(1)
  w.fake.control.showApp()
  await tick(1000)
  expect(w.fake.control.loginCalls).toBe(2)
  const started = Date.now()
  await settle(w.auth.request({ url: '/p/orders', auth: 'required' }))
  expect(Date.now() - started).toBeLessThanOrEqual(110)
  expect(codesSent(w)).toEqual(['pre-2'])
})

test('a failed prefetch changes nothing: the login asks wx.login itself', async () => {
  const w = world()
  w.fake.control.clearLoginFailures()
  // the prefetch made in setup() meets this failure
  w.fake.control.failLogin('system error')
  await tick(1000)
  const res = await settle(w.auth.request<{ path: string }>({ url: '/p/orders', auth: 'required' }))
  expect(res.data.path).toBe('/p/orders')
  expect(w.fake.control.loginCalls).toBe(2)
})

test('a hung prefetch does not fail the login: it falls back to a new wx.login within the call', async () => {
  const w = setup({ auth: { prefetchLoginCode: false } })
  w.fake.control.hangLogin(1)
  const auth = createAuth({ baseUrl: BASE, prefetchLoginCode: true, loginTimeoutMs: 2000 })
  const call = outcome(auth.request({ url: '/p/orders', auth: 'required' }))
  await tick(2100)
  expect(call.error).toBeUndefined()
  expect(call.value).toBeDefined()
  expect(w.fake.control.loginCalls).toBe(2)
})

test('no wx.login while a login is in flight, even on show', async () => {
  const w = world({ auth: { prefetchLoginCode: true } })
  await tick(1000)
  const hold = w.server.hold('GET /p/orders')
  const call = outcome(w.auth.request({ url: '/p/orders', auth: 'required' }))
  await tick(50)
  w.fake.control.hideApp()
  await tick(10)
  w.fake.control.showApp()
  await tick(10)
  expect(w.fake.control.loginCalls).toBe(1)
  hold()
  await tick(200)
  expect(call.value).toBeDefined()
})

test('no prefetch while a Retry-After postpones logins', async () => {
  const w = world()
  await tick(1000)
  w.server.loginFailures = [{ status: 429, code: 'RATE_LIMITED', retryAfter: 30 }]
  const call = outcome(w.auth.request({ url: '/p/orders', auth: 'required' }))
  await tick(200)
  expect(call.error).toMatchObject({ statusCode: 429 })
  const before = w.fake.control.loginCalls
  w.fake.control.hideApp()
  await tick(1000)
  w.fake.control.showApp()
  await tick(20_000)
  expect(w.fake.control.loginCalls).toBe(before)
  w.fake.control.hideApp()
  await tick(10_000)
  w.fake.control.showApp()
  await tick(1000)
  expect(w.fake.control.loginCalls).toBe(before + 1)
})

test('after logout the user is anonymous again: a code is prefetched for the next login', async () => {
  const w = world()
  await tick(500)
  await settle(w.auth.request({ url: '/p/orders', auth: 'required' }))
  const before = w.fake.control.loginCalls
  await settle(w.auth.logout())
  await tick(500)
  expect(w.fake.control.loginCalls).toBe(before + 1)
})

test('logout forgets a held code: the next login uses the one fetched after it', async () => {
  const w = world()
  await tick(1000)
  expect(w.fake.control.loginCalls).toBe(1)
  await settle(w.auth.logout())
  await tick(1000)
  expect(w.fake.control.loginCalls).toBe(2)
  await settle(w.auth.request({ url: '/p/orders', auth: 'required' }))
  expect(codesSent(w)).toEqual(['pre-2'])
})

test('prefetchLoginCode: false makes no wx.login until a login needs one', async () => {
  const w = setup({ auth: { prefetchLoginCode: false } })
  await tick(HOUR)
  expect(w.fake.control.loginCalls).toBe(0)
  await settle(w.auth.request({ url: '/p/orders', auth: 'required' }))
  expect(w.fake.control.loginCalls).toBe(1)
})
