// Sliding sessions in the kit: a new token on any answer of baseUrl to a call sent with the
// current token replaces the session (memory and storage); calls in flight keep theirs; another
// origin's header, an answer after logout, or a token meant for an older session is not taken.
import type { FakeRequest } from '../../../packages/headless/wx'
import { headerOf } from '../../../packages/headless/wx'
import { outcome, setup, tick } from './setup'

beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }))
afterEach(() => jest.useRealTimers())

const DAY = 86_400_000
const KEY = 'auth/session/v1'

/** A kit on a server with 7-day clocked sessions that slide with a 60 s grace. */
function world(adoptRotatedTokens = true) {
  const w = setup({ auth: { adoptRotatedTokens } })
  w.server.lifetimeSec = 7 * 24 * 3600
  w.server.clockedSessions = true
  w.server.rotationGraceMs = 60_000
  return w
}

async function settle<T>(p: Promise<T>): Promise<T> {
  const o = outcome(p)
  await tick(1000)
  if (o.settled === 0) throw new Error('did not settle')
  if (o.error !== undefined) throw o.error
  return o.value as T
}

const bearer = (r: FakeRequest | undefined) => headerOf(r?.header ?? {}, 'authorization')

test('a rotated token replaces the session in memory and storage, without a login', async () => {
  const w = world()
  await settle(w.auth.request({ url: '/p/a', auth: 'required' }))
  jest.setSystemTime(Date.now() + 5 * DAY)
  const res = await settle(w.auth.request({ url: '/p/b' }))
  expect(headerOf(res.header, 'x-session-token')).toBe('tok-2')
  expect(w.fake.wx.getStorageSync(KEY)).toMatchObject({ t: 'tok-2', l: 7 * DAY })
  await settle(w.auth.request({ url: '/p/c' }))
  expect(bearer(w.fake.control.requests.at(-1))).toBe('Bearer tok-2')
  expect(w.server.logins).toBe(1)
  expect(w.auth.store.status).toBe('authenticated')
  // a restart restores the rotated session
  expect(w.make().store.isLoggedIn).toBe(true)
})

test('calls in flight with the old token are unaffected; later calls go with the new one', async () => {
  const w = world()
  await settle(w.auth.request({ url: '/p/a', auth: 'required' }))
  jest.setSystemTime(Date.now() + 5 * DAY)
  w.server.latency = (req) => (req.url.endsWith('/slow') ? 500 : 10)
  const slow = outcome(w.auth.request({ url: '/p/slow' }))
  const fast = outcome(w.auth.request({ url: '/p/fast' }))
  await tick(100)
  expect(fast.value).toBeDefined() // its answer carried tok-2
  const after = outcome(w.auth.request({ url: '/p/after' }))
  await tick(1000)
  expect(slow.value).toBeDefined()
  expect(after.value).toBeDefined()
  const sent = Object.fromEntries(
    w.fake.control.requests.map((r) => [new URL(r.url).pathname, bearer(r)]),
  )
  expect(sent).toMatchObject({
    '/p/slow': 'Bearer tok-1',
    '/p/fast': 'Bearer tok-1',
    '/p/after': 'Bearer tok-2',
  })
  expect(w.server.logins).toBe(1)
})

test('a month of daily use on 7-day sessions: one login, no 401', async () => {
  const w = world()
  for (let day = 0; day < 30; day++) {
    await settle(w.auth.request({ url: '/p/orders', auth: 'required' }))
    jest.setSystemTime(Date.now() + DAY)
  }
  expect(w.server.logins).toBe(1)
  expect(w.server.calls().filter((c) => c.status === 401)).toEqual([])
})

test('adoptRotatedTokens: false keeps the old token, which the server stops honouring', async () => {
  const w = world(false)
  await settle(w.auth.request({ url: '/p/a', auth: 'required' }))
  jest.setSystemTime(Date.now() + 5 * DAY)
  await settle(w.auth.request({ url: '/p/b' }))
  expect(w.fake.wx.getStorageSync(KEY)).toMatchObject({ t: 'tok-1' })
  jest.setSystemTime(Date.now() + 61_000)
  await settle(w.auth.request({ url: '/p/c' }))
  expect(w.server.calls().filter((c) => c.status === 401)).toHaveLength(1)
  expect(w.server.logins).toBe(2)
})

test("another origin's X-Session-Token is never taken", async () => {
  const w = world()
  await settle(w.auth.request({ url: '/p/a', auth: 'required' }))
  w.fake.control.setHandler((req) =>
    new URL(req.url).host === 'cdn.example.com'
      ? { statusCode: 200, header: { 'X-Session-Token': 'evil', 'X-Session-Expires-In': '999' } }
      : w.server.handle(req),
  )
  await settle(w.auth.request({ url: 'https://cdn.example.com/x', auth: 'optional' }))
  await settle(w.auth.request({ url: '/p/b' }))
  expect(bearer(w.fake.control.requests.at(-1))).toBe('Bearer tok-1')
  expect(w.fake.wx.getStorageSync(KEY)).toMatchObject({ t: 'tok-1' })
})

test('an answer with a new token arriving after logout is not taken', async () => {
  const w = world()
  await settle(w.auth.request({ url: '/p/a', auth: 'required' }))
  jest.setSystemTime(Date.now() + 5 * DAY)
  const release = w.server.hold('GET /p/held')
  const held = outcome(w.auth.request({ url: '/p/held' }))
  await tick(10)
  await settle(w.auth.logout())
  release()
  await tick(100)
  expect(held.error).toMatchObject({ code: 'aborted' })
  expect(w.auth.store.isLoggedIn).toBe(false)
  expect(w.fake.wx.getStorageSync(KEY)).toBeFalsy()
})

test('a token on a 401, or on an answer to a call sent with an older token, is not taken', async () => {
  const w = world()
  await settle(w.auth.request({ url: '/p/a', auth: 'required' }))
  w.fake.control.setHandler(async (req) => {
    const res = await w.server.handle(req)
    // a stray rotation header on an answer to a call made with a token the kit no longer holds
    return bearer(req) === 'Bearer tok-1'
      ? { ...res, header: { ...res.header, 'X-Session-Token': 'from-old' } }
      : res
  })
  const release = w.server.hold('GET /p/old')
  const old = outcome(w.auth.request({ url: '/p/old' }))
  await tick(10)
  w.server.expireAll()
  // 401 (with the stray header), login: tok-2, retry
  await settle(w.auth.request({ url: '/p/renew' }))
  release()
  await tick(100)
  expect(old.settled).toBe(1)
  expect(w.fake.wx.getStorageSync(KEY)).toMatchObject({ t: 'tok-2' })
})
