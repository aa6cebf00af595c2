// One kit under test: fake wx on jest's fake timers (one timeline for wx latency, kit backoff
// and Date.now), the shared in-memory server (test/support/fake-server), and the kit's events.
import { RealClock } from '../../../packages/headless/wx/clock'
import { installFakeWx, type FakeWxOptions } from '../../../packages/headless/wx'
import { createAuth, type AuthEvent, type AuthEventType, type AuthOptions } from 'wx-login-kit'
import { BASE, FakeServer } from '../../support/fake-server'

export const EVENT_TYPES: AuthEventType[] = [
  'login:start',
  'login:success',
  'login:failure',
  'session:restored',
  'session:renewed',
  'loop:tripped',
  'logout',
]

export function setup(o: { auth?: Partial<AuthOptions>; wx?: FakeWxOptions } = {}) {
  const fake = installFakeWx({ clock: new RealClock(), ...o.wx })
  const server = new FakeServer((ms) => fake.control.delay(ms))
  fake.control.setHandler((req) => server.handle(req))
  const events: AuthEvent[] = []
  const make = () => {
    // These suites pin the lazy path (wx.login when a login needs it); code prefetching has its
    // own suite (prefetch.test.ts), which turns it on.
    const auth = createAuth({ baseUrl: BASE, prefetchLoginCode: false, ...o.auth })
    for (const t of EVENT_TYPES) auth.on(t, (e) => events.push(e))
    return auth
  }
  return { fake, server, events, make, auth: make() }
}

/** Settles every promise and due timer up to `ms` of fake time. */
export const tick = (ms = 0) => jest.advanceTimersByTimeAsync(ms)

/** The outcome of a promise, without letting it reject unobserved. */
export function outcome<T>(p: Promise<T>) {
  const o: { value?: T; error?: unknown; settled: number } = { settled: 0 }
  p.then(
    (v) => {
      o.value = v
      o.settled++
    },
    (e: unknown) => {
      o.error = e
      o.settled++
    },
  )
  return o
}
