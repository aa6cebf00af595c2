// One login code, one session (issue 12, point 6): requests carrying the same code while
// WeChat is slow (POST /auth/login or X-WX-Code, on one instance or two) end with exactly one
// session; every request that succeeds carries that session's token, the others get
// LOGIN_CODE_USED.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { LightMyRequestResponse } from 'fastify'
import { createSimWeChat, type SimWeChat } from '../src/wechat'
import { createTestApp, newSchema, onPostgres, useLeakCheck, type TestApp } from './helpers'

useLeakCheck()

/** Lets pending I/O callbacks and promise chains run, a bounded number of turns. */
async function settle(turns = 50): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r))
}

/** Waits, at most 10 s, for `check` to hold. */
async function until(check: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 10_000; !check() && Date.now() < deadline;) {
    await new Promise((r) => setImmediate(r))
  }
  expect(check()).toBe(true)
}

async function sessionsOf(t: TestApp, openid: string): Promise<number> {
  const rows = await t.services.db.kysely
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select('sessions.id')
    .where('users.openid', '=', openid)
    .execute()
  return rows.length
}

function tokenOf(res: LightMyRequestResponse): string {
  const header = res.headers['x-session-token']
  return typeof header === 'string' ? header : res.json<{ token: string }>().token
}

/** Every answer is the one session or LOGIN_CODE_USED; returns the distinct tokens. */
function expectOneSession(answers: LightMyRequestResponse[]): Set<string> {
  const tokens = new Set<string>()
  for (const res of answers) {
    if (res.statusCode === 200) tokens.add(tokenOf(res))
    else {
      expect(res.statusCode).toBe(400)
      expect(res.json().error.code).toBe('LOGIN_CODE_USED')
    }
  }
  expect(tokens.size).toBe(1)
  return tokens
}

describe('concurrent requests with one code while WeChat is slow', () => {
  let sim: SimWeChat
  let t: TestApp
  beforeAll(async () => {
    sim = createSimWeChat({ virtualTimers: true })
    t = await createTestApp({ sim })
  })
  afterAll(async () => {
    await t.close()
  })

  test('logins and X-WX-Code calls share one session', async () => {
    const { code, openid } = t.mintCode()
    const counted = jest.spyOn(t.services.limits, 'login')
    sim.faults.add('jscode2session', { delayMs: 3000, times: 10 })
    const calls = [
      ...Array.from({ length: 6 }, () =>
        t.inject({ method: 'POST', url: '/auth/login', payload: { code } }),
      ),
      ...Array.from({ length: 6 }, () =>
        t.inject({ method: 'GET', url: '/orders', headers: { 'x-wx-code': code } }),
      ),
    ]
    // Every request has passed its rate limit (the step before joining) and the exchange runs.
    await until(() => counted.mock.calls.length === 12 && sim.stats.calls.jscode2session >= 1)
    await settle()
    sim.clock.advance(3000)
    const answers = await Promise.all(calls)
    counted.mockRestore()
    sim.faults.clear()
    const [token] = expectOneSession(answers)
    // WeChat saw the code once, and the requests that joined the exchange got its session.
    expect(sim.stats.calls.jscode2session).toBe(1)
    expect(answers.filter((r) => r.statusCode === 200).length).toBeGreaterThan(1)
    expect(await sessionsOf(t, openid)).toBe(1)
    const me = await t.inject({
      method: 'GET',
      url: '/me',
      headers: { authorization: `Bearer ${token!}` },
    })
    expect(me.statusCode).toBe(200)
  })

  test('the code is used up afterwards: a late request gets LOGIN_CODE_USED', async () => {
    const { code, openid } = t.mintCode()
    const first = await t.inject({ method: 'POST', url: '/auth/login', payload: { code } })
    expect(first.statusCode).toBe(200)
    const late = await t.inject({
      method: 'GET',
      url: '/orders',
      headers: { 'x-wx-code': code },
    })
    expect(late.statusCode).toBe(400)
    expect(late.json().error.code).toBe('LOGIN_CODE_USED')
    expect(await sessionsOf(t, openid)).toBe(1)
  })

  test('a failed exchange fails every waiter alike and opens no session', async () => {
    const { code, openid } = t.mintCode()
    sim.faults.add('jscode2session', { delayMs: 1000, errcode: 40029 })
    const calls = Array.from({ length: 4 }, () =>
      t.inject({ method: 'POST', url: '/auth/login', payload: { code } }),
    )
    await until(() => sim.faults.pending().length === 0)
    await settle()
    sim.clock.advance(1000)
    const answers = await Promise.all(calls)
    for (const res of answers) expect(res.json().error.code).toBe('LOGIN_CODE_INVALID')
    expect(await sessionsOf(t, openid)).toBe(0)
  })
})

describe('two instances sharing the database and WeChat', () => {
  let dir = ''
  afterAll(() => {
    if (dir !== '') fs.rmSync(dir, { recursive: true, force: true })
  })

  test('the same code sent to both opens one session; the other instance answers LOGIN_CODE_USED', async () => {
    const sim = createSimWeChat({ virtualTimers: true })
    const shared = onPostgres
      ? { schema: await newSchema() }
      : {
          sqlitePath: path.join(
            (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxkit-coalesce-'))),
            'db.sqlite',
          ),
        }
    const a = await createTestApp({ sim, ...shared })
    const b = await createTestApp({ sim, ...shared })
    try {
      const { code, openid } = a.mintCode()
      const countedA = jest.spyOn(a.services.limits, 'login')
      const countedB = jest.spyOn(b.services.limits, 'login')
      sim.faults.add('jscode2session', { delayMs: 2000, times: 2 })
      const calls = [
        a.inject({ method: 'POST', url: '/auth/login', payload: { code } }),
        b.inject({ method: 'POST', url: '/auth/login', payload: { code } }),
        a.inject({ method: 'GET', url: '/orders', headers: { 'x-wx-code': code } }),
        b.inject({ method: 'GET', url: '/orders', headers: { 'x-wx-code': code } }),
      ]
      await until(
        () =>
          countedA.mock.calls.length + countedB.mock.calls.length === 4 &&
          sim.stats.calls.jscode2session >= 2,
      )
      await settle()
      sim.clock.advance(2000)
      const answers = await Promise.all(calls)
      expectOneSession(answers)
      expect(await sessionsOf(a, openid)).toBe(1)
    } finally {
      await a.close()
      await b.close()
    }
  })
})
