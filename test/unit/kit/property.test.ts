// Random interleavings of calls (ours and third-party), expiries, 401s, login failures, hung
// wx.login, network drops, offline periods, captive portals, header-stripping proxies, background
// interruptions and logouts. Invariants: at most one login in flight; every call settles exactly
// once, with a typed error when it fails, and never after its deadline (time in the background
// aside); no request ever leaves with a token the kit had already seen rejected; no token or code
// ever leaves baseUrl; once the network heals, the next protected call succeeds with at most one
// login.
import fc from 'fast-check'
import { headerOf } from '../../harness/wx'
import { AuthKitError } from 'wx-login-kit'
import { BASE } from '../../support/fake-server'
import { outcome, setup, tick } from './setup'

beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }))
afterEach(() => jest.useRealTimers())

type Cmd =
  | {
      k: 'call'
      mode: 'required' | 'optional' | 'none'
      method: 'GET' | 'POST'
      latency: number
      timeoutMs: number | undefined
      thirdParty: boolean
    }
  | { k: 'ensure' }
  | { k: 'expire' }
  | { k: 'serverLoginFail' }
  | { k: 'wxLoginFail' }
  | { k: 'network' }
  | { k: 'logout' }
  | { k: 'advance'; ms: number }
  | { k: 'offline'; ms: number }
  | { k: 'portal'; on: boolean }
  | { k: 'stripHeaders'; on: boolean }
  | { k: 'hide' }
  | { k: 'show' }
  | { k: 'hangLogin' }

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      k: fc.constant('call' as const),
      mode: fc.constantFrom('required' as const, 'optional' as const, 'none' as const),
      method: fc.constantFrom('GET' as const, 'POST' as const),
      latency: fc.integer({ min: 0, max: 300 }),
      timeoutMs: fc.constantFrom(undefined, 1000, 4000),
      thirdParty: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ k: 'ensure' as const }) },
  { weight: 2, arbitrary: fc.constant({ k: 'expire' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'serverLoginFail' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'wxLoginFail' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'network' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'logout' as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('advance' as const),
      ms: fc.integer({ min: 0, max: 6000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('offline' as const),
      ms: fc.integer({ min: 100, max: 60_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('portal' as const), on: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant('stripHeaders' as const), on: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.constant({ k: 'hide' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'show' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'hangLogin' as const }) },
)

/** The default deadline of a call (AuthOptions.timeoutMs). */
const DEFAULT_DEADLINE_MS = 15_000

const CODES = new Set([
  'network',
  'timeout',
  'http',
  'invalid_response',
  'login_failed',
  'login_loop',
  'aborted',
])

describe('kit invariants under random interleavings', () => {
  it('holds for every schedule', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(cmd, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 0, max: 80 }),
        async (cmds, loginLatency, wxLatency) => {
          const { auth, fake, server } = setup({ auth: { maxConcurrentRequests: 4 } })
          fake.control.setLoginLatency(wxLatency)
          server.latency = (req) =>
            req.url.includes('/auth/')
              ? loginLatency
              : Number(/\/p\/(\d+)\//.exec(req.url)?.[1] ?? 0)

          let inFlight = 0
          let maxInFlight = 0
          auth.on('login:start', () => {
            inFlight++
            maxInFlight = Math.max(maxInFlight, inFlight)
          })
          const end = () => (inFlight = 0)
          auth.on('login:success', end)
          auth.on('login:failure', end)
          auth.on('logout', end)

          const calls: Array<{
            out: ReturnType<typeof outcome>
            startedAt: number
            settledAt?: number
            deadline: number
          }> = []
          const track = (p: Promise<unknown>, deadline: number) => {
            const call = { out: outcome(p), startedAt: Date.now(), deadline } as (typeof calls)[0]
            const settle = () => (call.settledAt = Date.now())
            p.then(settle, settle)
            calls.push(call)
          }
          /** Background intervals [hiddenAt, shownAt]: a paused deadline may run past by these. */
          const hidden: Array<[number, number]> = []
          const hiddenDuring = (from: number, to: number) =>
            hidden.reduce((ms, [a, b]) => ms + Math.max(0, Math.min(b, to) - Math.max(a, from)), 0)
          let i = 0
          for (const c of cmds) {
            switch (c.k) {
              case 'call': {
                const origin = c.thirdParty ? 'https://cdn.other.example' : ''
                track(
                  auth.request({
                    url: `${origin}/p/${c.latency}/${i++}`,
                    method: c.method,
                    auth: c.mode,
                    timeoutMs: c.timeoutMs,
                  }),
                  c.timeoutMs ?? DEFAULT_DEADLINE_MS,
                )
                break
              }
              case 'ensure':
                track(auth.ensureLogin(), DEFAULT_DEADLINE_MS)
                break
              case 'expire':
                server.expireAll()
                break
              case 'serverLoginFail':
                server.loginFailures.push({ status: 502, code: 'WECHAT_UNAVAILABLE' })
                break
              case 'wxLoginFail':
                fake.control.failLogin('system error')
                break
              case 'network':
                server.script.push('network')
                break
              case 'logout':
                track(auth.logout(), 0)
                break
              case 'advance':
                await tick(c.ms)
                break
              case 'offline':
                fake.control.goOffline(c.ms)
                break
              case 'portal':
                fake.control.setCaptivePortal(c.on ? {} : null)
                break
              case 'stripHeaders':
                fake.control.setHeaderStripping(c.on)
                break
              case 'hide':
                if (!fake.control.appHidden) hidden.push([Date.now(), Infinity])
                fake.control.hideApp()
                break
              case 'show':
                if (fake.control.appHidden) hidden.at(-1)![1] = Date.now()
                fake.control.showApp()
                break
              case 'hangLogin':
                fake.control.hangLogin()
                break
            }
          }
          // the network heals: online, no portal, no proxy, the app in front, WeChat answering
          fake.control.setOffline(false)
          fake.control.setCaptivePortal(null)
          fake.control.setHeaderStripping(false)
          if (fake.control.appHidden) hidden.at(-1)![1] = Date.now()
          fake.control.showApp()
          fake.control.setLoginHanging(false)
          fake.control.clearLoginFailures()
          server.script.length = 0
          server.loginFailures.length = 0
          await tick(10 * 60_000)

          // every call settled exactly once; failures are typed
          expect(calls.map((c) => c.out.settled)).toEqual(calls.map(() => 1))
          for (const { out } of calls)
            if (out.error !== undefined) {
              expect(out.error).toBeInstanceOf(AuthKitError)
              expect(CODES.has((out.error as AuthKitError).code)).toBe(true)
            }
          // no call outlived its deadline (its time in the background aside)
          for (const c of calls) {
            const allowed = c.deadline + hiddenDuring(c.startedAt, c.settledAt!)
            expect(c.settledAt! - c.startedAt).toBeLessThanOrEqual(allowed)
          }
          // at most one login in flight
          expect(maxInFlight).toBeLessThanOrEqual(1)
          // no request left with a token whose 401 had already reached the kit
          const reqs = fake.control.requests
          for (const r of reqs) {
            const bearer = headerOf(r.header, 'authorization')
            if (!bearer) continue
            const known = reqs.find(
              (e) =>
                e.statusCode === 401 &&
                headerOf(e.header, 'authorization') === bearer &&
                e.deliveredSeq !== undefined &&
                e.deliveredSeq < r.seq,
            )
            expect(
              known && { sent: r.url, seq: r.seq, knownStaleSince: known.deliveredSeq },
            ).toBeUndefined()
          }
          // never more than the cap on the wire
          expect(fake.control.maxConcurrentSeen).toBeLessThanOrEqual(4)
          // no token or login code ever left baseUrl
          for (const r of reqs)
            if (!r.url.startsWith(`${BASE}/`)) {
              expect(headerOf(r.header, 'authorization')).toBeUndefined()
              expect(headerOf(r.header, 'x-wx-code')).toBeUndefined()
            }
          // healed: the next protected call succeeds with at most one login
          const loginsBefore = fake.control.loginCalls
          const next = outcome(auth.request({ url: '/p/0/healed', auth: 'required' }))
          await tick(60_000)
          expect(next.error).toBeUndefined()
          expect(next.settled).toBe(1)
          expect(fake.control.loginCalls - loginsBefore).toBeLessThanOrEqual(1)
        },
      ),
      { numRuns: 400 },
    )
  }, 120_000)
})
