// Issue 15's figures, on the fake wx with modelled latency (wx.login 300 ms, one round trip
// 100 ms) and a virtual clock: the kit (prefetch and token adoption on, against a server whose
// sessions slide) beside today's behaviour measured in the same run (prefetch and adoption off,
// against a server whose sessions simply expire).
import { createAuth, type Auth } from 'wx-login-kit'
import { installFakeWx } from '../packages/headless/wx'
import { VirtualClock } from '../packages/headless/wx/clock'
import { BASE, FakeServer } from '../test/support/fake-server'

const WX_LOGIN_MS = 300
const ROUND_TRIP_MS = 100
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

type Mode = 'today' | 'now'

/**
 * The kit reads time from the globals (Date.now, setTimeout): for the run of `work` they follow
 * the virtual clock the fake wx runs on.
 */
async function onVirtualTime<T>(clock: VirtualClock, work: () => Promise<T>): Promise<T> {
  const saved = { now: Date.now, setTimeout, clearTimeout }
  Date.now = () => clock.now()
  globalThis.setTimeout = ((fn: () => void, ms?: number) =>
    clock.setTimeout(fn, ms ?? 0)) as unknown as typeof setTimeout
  globalThis.clearTimeout = ((id?: number) => {
    if (id !== undefined) clock.clearTimeout(id)
  }) as unknown as typeof clearTimeout
  try {
    return await work()
  } finally {
    Date.now = saved.now
    globalThis.setTimeout = saved.setTimeout
    globalThis.clearTimeout = saved.clearTimeout
  }
}

function world(mode: Mode) {
  const clock = new VirtualClock()
  const fake = installFakeWx({ clock })
  fake.control.setLoginLatency(WX_LOGIN_MS)
  const server = new FakeServer((ms) => fake.control.delay(ms))
  server.latency = ROUND_TRIP_MS
  server.lifetimeSec = 7 * 24 * 3600
  server.clockedSessions = true
  server.rotationGraceMs = mode === 'now' ? 60_000 : null
  fake.control.setHandler((req) => server.handle(req))
  const make = (): Auth =>
    createAuth({
      baseUrl: BASE,
      prefetchLoginCode: mode === 'now',
      adoptRotatedTokens: mode === 'now',
    })
  return { clock, fake, server, make }
}

/** Runs a call to its end on the virtual clock, in 1 ms steps; resolves with its duration. */
async function timed(clock: VirtualClock, call: Promise<unknown>): Promise<number> {
  const started = clock.now()
  let done = false
  call.then(
    () => (done = true),
    () => (done = true),
  )
  while (!done) await clock.advance(1)
  return clock.now() - started
}

/** Tap-to-answer of the first protected call, the app having shown for 2 s. */
async function firstProtectedCall(mode: Mode) {
  const w = world(mode)
  return onVirtualTime(w.clock, async () => {
    const auth = w.make()
    await w.clock.advance(2000)
    const ms = await timed(w.clock, auth.request({ url: '/p/orders', auth: 'required' }))
    return { tapToAnswerMs: ms, wxLoginCalls: w.fake.control.loginCalls }
  })
}

/**
 * 30 days of daily use on 7-day sessions: each day the app shows, the user makes three calls to a
 * protected route (auth 'optional', the default) a minute apart, and leaves. Logins and 401s are
 * counted at the server.
 */
async function monthOfDailyUse(mode: Mode) {
  const w = world(mode)
  return onVirtualTime(w.clock, async () => {
    const auth = w.make()
    let slowestCallMs = 0
    for (let day = 0; day < 30; day++) {
      if (day > 0) w.fake.control.showApp()
      for (let i = 0; i < 3; i++) {
        const ms = await timed(w.clock, auth.request({ url: '/p/orders', auth: 'optional' }))
        slowestCallMs = Math.max(slowestCallMs, ms)
        await w.clock.advance(MINUTE)
      }
      w.fake.control.hideApp()
      await w.clock.advance(DAY - 3 * MINUTE)
    }
    const log = w.server.calls()
    const firstLogin = log.findIndex((c) => c.route === 'POST /auth/login' && c.status === 200)
    const refused = log.filter((c) => c.status === 401)
    return {
      logins: w.server.logins,
      // after the first login, a 401 means the session ended under an active user (sent with the
      // dead token, or without one once the kit saw its lifetime pass)
      expiry401s: log.filter((c, i) => c.status === 401 && i > firstLogin).length,
      // the first call of an anonymous user (optional, no token) meets one 401 either way
      all401s: refused.length,
      slowestCallMs,
    }
  })
}

/** An anonymous user browsing (one public call a minute): wx.login calls per hour. */
async function anonymousBrowsing(mode: Mode) {
  const w = world(mode)
  return onVirtualTime(w.clock, async () => {
    const auth = w.make()
    for (let minute = 0; minute < 60; minute++) {
      await timed(w.clock, auth.request({ url: '/menu', auth: 'none' }))
      await w.clock.advance(MINUTE - ROUND_TRIP_MS)
    }
    const foreground = w.fake.control.loginCalls
    w.fake.control.hideApp()
    await w.clock.advance(HOUR)
    return {
      wxLoginPerHourForeground: foreground,
      wxLoginPerHourBackground: w.fake.control.loginCalls - foreground,
    }
  })
}

export async function benchKitLatency(): Promise<Record<string, unknown>> {
  const side = async <T>(f: (m: Mode) => Promise<T>) => ({
    today: await f('today'),
    now: await f('now'),
  })
  return {
    model: { wxLoginMs: WX_LOGIN_MS, roundTripMs: ROUND_TRIP_MS, clock: 'virtual' },
    firstProtectedCallAfter2s: await side(firstProtectedCall),
    monthOfDailyUse7DaySessions: await side(monthOfDailyUse),
    anonymousBrowsingHour: await side(anonymousBrowsing),
  }
}
