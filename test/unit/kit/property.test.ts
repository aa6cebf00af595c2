// Random interleavings of calls, expiries, 401s, login failures, network drops and logouts.
// Invariants: at most one login in flight; every call settles exactly once, with a typed error
// when it fails; no request ever leaves with a token the kit had already seen rejected.
import fc from 'fast-check'
import { headerOf } from '../../../packages/headless/wx'
import { AuthKitError } from '../../../miniprogram/auth'
import { outcome, setup, tick } from './setup'

beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }))
afterEach(() => jest.useRealTimers())

type Cmd =
  | { k: 'call'; mode: 'required' | 'optional' | 'none'; method: 'GET' | 'POST'; latency: number }
  | { k: 'ensure' }
  | { k: 'expire' }
  | { k: 'serverLoginFail' }
  | { k: 'wxLoginFail' }
  | { k: 'network' }
  | { k: 'logout' }
  | { k: 'advance'; ms: number }

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      k: fc.constant('call' as const),
      mode: fc.constantFrom('required' as const, 'optional' as const, 'none' as const),
      method: fc.constantFrom('GET' as const, 'POST' as const),
      latency: fc.integer({ min: 0, max: 300 }),
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
      ms: fc.integer({ min: 0, max: 400 }),
    }),
  },
)

const CODES = new Set(['network', 'timeout', 'http', 'login_failed', 'login_loop', 'aborted'])

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

          const calls: Array<ReturnType<typeof outcome>> = []
          let i = 0
          for (const c of cmds) {
            switch (c.k) {
              case 'call':
                calls.push(
                  outcome(
                    auth.request({ url: `/p/${c.latency}/${i++}`, method: c.method, auth: c.mode }),
                  ),
                )
                break
              case 'ensure':
                calls.push(outcome(auth.ensureLogin()))
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
                calls.push(outcome(auth.logout()))
                break
              case 'advance':
                await tick(c.ms)
                break
            }
          }
          await tick(10 * 60_000)

          // every call settled exactly once; failures are typed
          expect(calls.map((c) => c.settled)).toEqual(calls.map(() => 1))
          for (const c of calls)
            if (c.error !== undefined) {
              expect(c.error).toBeInstanceOf(AuthKitError)
              expect(CODES.has((c.error as AuthKitError).code)).toBe(true)
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
        },
      ),
      { numRuns: 300 },
    )
  }, 60_000)
})
