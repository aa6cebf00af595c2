// Promises of packages/kit/README.md and the root README's "What the kit guarantees" that no
// other suite pinned, each checked the way an adopter would notice it: through createAuth,
// request(), the store and the events, on the fake wx and the shared fake server.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FakeRequest, FakeResponse } from '../../../packages/headless/wx'
import {
  AuthKitError,
  defaultErrorMessages,
  type ApiResponse,
  type AuthEventType,
} from 'wx-login-kit'
import { BASE } from '../../support/fake-server'
import { outcome, setup, tick } from './setup'

beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }))
afterEach(() => jest.useRealTimers())

const LOGIN_URL = BASE + '/auth/login'

/** The login route answers `{ token, expiresIn }` only: `user` is optional in the contract. */
function withoutUserOnLogin(w: ReturnType<typeof setup>) {
  w.fake.control.setHandler(async (req: FakeRequest): Promise<FakeResponse> => {
    const answer = await w.server.handle(req)
    if (req.url === LOGIN_URL && answer.data && typeof answer.data === 'object') {
      const { token, expiresIn } = answer.data as { token: string; expiresIn: number }
      return { ...answer, data: { token, expiresIn } }
    }
    return answer
  })
}

describe('login events report how the session came', () => {
  it("a login through loginPath is via 'login-route' even when its answer has no user", async () => {
    const w = setup()
    withoutUserOnLogin(w)
    w.server.speaksCodeHeader = false // a Bearer + POST /auth/login back end
    await expect(w.auth.request({ url: '/p/orders', auth: 'required' })).resolves.toBeDefined()
    const logins = w.events.filter((e) => e.type !== 'session:restored')
    // the cold call's answer carried no session: a failure is reported, then the route login
    expect(logins.map((e) => e.type)).toEqual([
      'login:start',
      'login:failure',
      'login:start',
      'login:success',
    ])
    expect(logins[3]).toMatchObject({ type: 'login:success', via: 'login-route' })
    expect(w.server.log.filter((e) => e.path === '/auth/login')).toHaveLength(1)
    expect(w.auth.store.user).toBeNull()
  })

  it("a one-round-trip X-WX-Code login is via 'header'", async () => {
    const w = setup()
    await w.auth.request({ url: '/p/orders', auth: 'required' })
    expect(w.events.find((e) => e.type === 'login:success')).toMatchObject({ via: 'header' })
  })
})

describe('retries', () => {
  it('OPTIONS is idempotent: retried twice after network failures, like GET', async () => {
    const { auth, fake, server } = setup()
    await auth.ensureLogin()
    const sentBefore = fake.control.requests.length
    server.script.push('network', 'network')
    const p = outcome(auth.request({ url: '/p/orders', method: 'OPTIONS' }))
    await tick(1500)
    expect(p.value).toBeDefined()
    expect(fake.control.requests.length - sentBefore).toBe(3)
  })

  it('a POST without an idempotency key is sent once after a 503', async () => {
    const { auth, fake, server } = setup()
    await auth.ensureLogin()
    const sentBefore = fake.control.requests.length
    server.script.push({ status: 503, code: 'SERVICE_UNAVAILABLE' })
    await expect(auth.request({ url: '/p/orders', method: 'POST' })).rejects.toMatchObject({
      code: 'http',
      statusCode: 503,
      serverCode: 'SERVICE_UNAVAILABLE',
    })
    expect(fake.control.requests.length - sentBefore).toBe(1)
  })
})

describe('background', () => {
  it('an idempotent call cut by the background is sent again at most three times', async () => {
    const { auth, fake, server } = setup()
    await auth.ensureLogin()
    const sentBefore = fake.control.requests.length
    server.latency = 60_000 // every send is still running when the background cuts it
    // a deadline long enough for four cuts of 5 s each
    const p = outcome(auth.request({ url: '/p/orders', timeoutMs: 60_000 }))
    for (let cut = 0; cut < 4; cut++) {
      await tick(100)
      fake.control.hideApp()
      await tick(5000)
      fake.control.showApp()
    }
    await tick(0)
    expect(p.error).toBeInstanceOf(AuthKitError)
    expect(p.error).toMatchObject({ code: 'network', message: 'request:fail interrupted' })
    // the first send and three resends
    expect(fake.control.requests.length - sentBefore).toBe(4)
    expect(auth.store.status).toBe('authenticated')
  })
})

describe('wx.login is bounded by loginTimeoutMs', () => {
  it('given as its timeout option, and enforced by the kit on a base library that ignores it', async () => {
    const { auth } = setup({ auth: { loginTimeoutMs: 3000 } })
    // an old base library: takes the options, never answers whatever the timeout
    const given: Array<{ timeout?: number }> = []
    wx.login = ((o: { timeout?: number }) => void given.push(o)) as typeof wx.login
    const login = outcome(auth.ensureLogin())
    await tick(2999)
    expect(login.settled).toBe(0)
    await tick(1)
    expect(login.error).toMatchObject({ code: 'login_failed' })
    expect(given.map((o) => o.timeout)).toEqual([3000])
    expect(auth.store.status).toBe('anonymous')
  })
})

describe('timeoutMs bounds the wait for a slot', () => {
  it('a queued call rejects with timeout at its deadline and is never sent', async () => {
    const { auth, fake, server } = setup({ auth: { maxConcurrentRequests: 1 } })
    await auth.ensureLogin()
    const sentBefore = fake.control.requests.length
    server.latency = 5000
    const slow = outcome(auth.request({ url: '/p/slow' }))
    const queued = outcome(auth.request({ url: '/p/queued', timeoutMs: 1000 }))
    await tick(999)
    expect(queued.settled).toBe(0)
    await tick(1)
    expect(queued.error).toMatchObject({ code: 'timeout' })
    await tick(5000)
    expect(slow.value).toBeDefined()
    const sent = fake.control.requests.slice(sentBefore).map((r) => r.url.replace(BASE, ''))
    expect(sent).toEqual(['/p/slow'])
  })
})

describe('login:failure', () => {
  it('a cold call cut by the background reports code network, never login_failed', async () => {
    const { auth, fake, server, events } = setup()
    server.latency = 10_000
    const cold = outcome(auth.request({ url: '/p/orders', auth: 'required' }))
    await tick(100)
    fake.control.hideApp()
    await tick(5000)
    expect(events.filter((e) => e.type === 'login:failure')).toEqual([
      expect.objectContaining({ code: 'network', message: 'request:fail interrupted' }),
    ])
    server.latency = 0
    fake.control.showApp()
    await tick(1000)
    expect(cold.value).toBeDefined()
    expect(auth.store.status).toBe('authenticated')
  })
})

describe('answers are checked', () => {
  it('a 2xx JSON answer whose value is a string is a success: its Content-Type says JSON', async () => {
    const { auth, fake } = setup()
    fake.control.setHandler(() => ({
      statusCode: 200,
      header: { 'Content-Type': 'application/json; charset=utf-8' },
      data: '"pong"',
    }))
    await expect(auth.request({ url: '/open/ping' })).resolves.toMatchObject({ data: 'pong' })
  })
})

describe('isSessionExpired is asked only about calls that use the session', () => {
  it("never about an auth 'none' call, another origin, the login route's answer or a cold X-WX-Code login", async () => {
    const asked: string[] = []
    const isSessionExpired = (r: ApiResponse<unknown>) => {
      asked.push((r.data as { path?: string } | null)?.path ?? 'other')
      return false
    }
    const { auth, fake, server } = setup({ auth: { isSessionExpired } })
    fake.control.setHandler((req) =>
      req.url.startsWith(BASE) ? server.handle(req) : { statusCode: 200, data: { path: 'maps' } },
    )
    await auth.request({ url: '/open/menu', auth: 'none' })
    // another origin is always sent as auth 'none', whatever the mode
    await auth.request({ url: 'https://maps.example.com/geo', auth: 'required' })
    await auth.request({ url: '/p/cold', auth: 'required' })
    await auth.logout()
    await auth.ensureLogin()
    expect(asked).toEqual([])
    await auth.request({ url: '/p/warm' })
    expect(asked).toEqual(['/p/warm'])
  })
})

describe('session:restored', () => {
  it('is not emitted when there is no stored session', async () => {
    const { events } = setup()
    await tick(0)
    expect(events).toEqual([])
  })
})

describe("the adopter's page documents what the kit has", () => {
  const readme = readFileSync(join(__dirname, '../../../packages/kit/README.md'), 'utf8')

  it("lists every error code with the kit's default message: the closed list is complete", () => {
    for (const [code, message] of Object.entries(defaultErrorMessages))
      expect(readme).toMatch(new RegExp('\\| `' + code + '` \\|[^\\n]*\\| ' + message + ' \\|'))
  })

  it('has a row for every lifecycle event', () => {
    // a Record over the union: a new event type does not compile until it is listed here
    const everyEvent: Record<AuthEventType, true> = {
      'login:start': true,
      'login:success': true,
      'login:failure': true,
      'session:restored': true,
      'session:renewed': true,
      'loop:tripped': true,
      logout: true,
      'subscribe:blocked': true,
    }
    for (const type of Object.keys(everyEvent)) expect(readme).toContain('| `' + type + '` |')
  })

  it('names every member of the Auth object createAuth returns', () => {
    const { auth } = setup()
    for (const member of Object.keys(auth)) expect(readme).toContain('`' + member)
  })
})
