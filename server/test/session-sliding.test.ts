// Sliding sessions: a session used in the last third of its lifetime gets a new token on that
// ordinary answer; the replaced token keeps working for the grace period (calls in flight), then
// stops; revocation kills both at once, on every instance. Runs on SQLite, and on PostgreSQL
// when DATABASE_URL is set (then also across two instances sharing the database).
import type { LightMyRequestResponse } from 'fastify'
import { authHeader, createTestApp, onPostgres, type TestApp } from './helpers'
import { getMe } from './support/requests'
import { useTestApp, withTestApp } from './support/test-app'

const DAY = 86_400_000
const TTL_SEC = 7 * 24 * 3600
const GRACE_SEC = 60

let now = Date.now()
const clock = (): number => now
const t = useTestApp({
  now: clock,
  config: { sessionTtlSec: TTL_SEC, sessionRotation: { enabled: true, graceSec: GRACE_SEC } },
})

function rotatedToken(res: LightMyRequestResponse): string | undefined {
  const h = res.headers['x-session-token']
  return typeof h === 'string' ? h : undefined
}

/** Logs in and moves the clock into the last third of the session's lifetime. */
async function dueSession(app: TestApp = t): Promise<string> {
  const { token } = await app.login()
  now += 5 * DAY
  return token
}

test('a session used before the last third of its lifetime is not rotated', async () => {
  const { token } = await t.login()
  now += 4 * DAY
  const res = await getMe(t, token)
  expect(res.statusCode).toBe(200)
  expect(res.headers['x-session-token']).toBeUndefined()
})

test('in the last third, an ordinary answer carries a new token with the full lifetime', async () => {
  const old = await dueSession()
  const res = await getMe(t, old)
  expect(res.statusCode).toBe(200)
  const fresh = rotatedToken(res)
  expect(fresh).toMatch(/^s[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/)
  expect(fresh).not.toBe(old)
  expect(res.headers['x-session-expires-in']).toBe(String(TTL_SEC))
  expect(String(res.headers['access-control-expose-headers'])).toContain('X-Session-Token')
  expect(res.headers['cache-control']).toBe('no-store')
  // Same user behind both tokens.
  expect((await getMe(t, fresh!)).json()).toEqual(res.json())
  // Past the old token's original expiry, the new one still works: the session slid.
  now += 3 * DAY
  expect((await getMe(t, fresh!)).statusCode).toBe(200)
})

test('an error the route answers carries the new token too', async () => {
  const old = await dueSession()
  const res = await t.inject({
    method: 'GET',
    url: '/orders/o-no-such-order',
    headers: authHeader(old),
  })
  expect(res.statusCode).toBe(404)
  const fresh = rotatedToken(res)
  expect(fresh).toBeDefined()
  expect((await getMe(t, fresh!)).statusCode).toBe(200)
})

test('the replaced token works during the grace period, without rotating again, then stops', async () => {
  const old = await dueSession()
  const fresh = rotatedToken(await getMe(t, old))!
  now += (GRACE_SEC - 1) * 1000
  const inFlight = await getMe(t, old)
  expect(inFlight.statusCode).toBe(200)
  expect(inFlight.headers['x-session-token']).toBeUndefined()
  now += 2000
  const late = await getMe(t, old)
  expect(late.statusCode).toBe(401)
  expect(late.json().error.code).toBe('SESSION_EXPIRED')
  expect((await getMe(t, fresh)).statusCode).toBe(200)
})

test('an active user never meets expiry: daily use for three months on 7-day sessions', async () => {
  let { token } = await t.login()
  let rotations = 0
  for (let day = 0; day < 90; day++) {
    now += DAY
    const res = await getMe(t, token)
    expect(res.statusCode).toBe(200)
    const fresh = rotatedToken(res)
    if (fresh !== undefined) {
      token = fresh
      rotations++
    }
  }
  // Rotated once per stretch of 5 days of use (the first day of each last third).
  expect(rotations).toBe(18)
})

test('concurrent calls with a due token: all succeed, exactly one rotates', async () => {
  const old = await dueSession()
  const answers = await Promise.all(Array.from({ length: 8 }, () => getMe(t, old)))
  expect(answers.map((r) => r.statusCode)).toEqual(Array(8).fill(200))
  const fresh = answers.map(rotatedToken).filter((x) => x !== undefined)
  expect(fresh).toHaveLength(1)
  expect((await getMe(t, fresh[0]!)).statusCode).toBe(200)
})

test('logout with the new token revokes the replaced one at once, and the reverse', async () => {
  for (const logoutWith of ['new', 'old'] as const) {
    const old = await dueSession()
    const fresh = rotatedToken(await getMe(t, old))!
    const out = await t.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: authHeader(logoutWith === 'new' ? fresh : old),
    })
    expect(out.statusCode).toBe(200)
    for (const token of [old, fresh]) {
      const res = await getMe(t, token)
      expect(res.statusCode).toBe(401)
      expect(res.json().error.code).toBe('SESSION_REVOKED')
    }
  }
})

test('revocation racing a rotation: both tokens end revoked whichever wins', async () => {
  for (let round = 0; round < 5; round++) {
    const old = await dueSession()
    const [use, out] = await Promise.all([
      getMe(t, old),
      t.inject({ method: 'POST', url: '/auth/logout', headers: authHeader(old) }),
    ])
    expect(out.statusCode).toBe(200)
    const tokens = [old, rotatedToken(use)].filter((x) => x !== undefined)
    for (const token of tokens) {
      expect((await getMe(t, token)).json().error.code).toBe('SESSION_REVOKED')
    }
  }
})

test('a failed rotation does not fail the call; the session slides on a later one', async () => {
  const old = await dueSession()
  const spy = jest
    .spyOn(t.services.sessions, 'rotateIfDue')
    .mockRejectedValueOnce(new Error('database unavailable'))
  try {
    const res = await getMe(t, old)
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-session-token']).toBeUndefined()
  } finally {
    spy.mockRestore()
  }
  const later = await getMe(t, old)
  expect(rotatedToken(later)).toBeDefined()
})

test('the fresh token of a one-round-trip login or /auth/login is not rotated at once', async () => {
  const { code } = t.mintCode()
  const res = await t.inject({ method: 'GET', url: '/me', headers: { 'x-wx-code': code } })
  const token = rotatedToken(res)!
  expect((await getMe(t, token)).headers['x-session-token']).toBeUndefined()
})

test('SESSION_SLIDING=false: no rotation, the session expires as before', async () => {
  await withTestApp(
    {
      now: clock,
      config: { sessionTtlSec: TTL_SEC, sessionRotation: { enabled: false, graceSec: GRACE_SEC } },
    },
    async (off) => {
      const old = await dueSession(off)
      expect((await getMe(off, old)).headers['x-session-token']).toBeUndefined()
      now += 2 * DAY
      expect((await getMe(off, old)).json().error.code).toBe('SESSION_EXPIRED')
    },
  )
})

const onTwoInstances = onPostgres ? describe : describe.skip

onTwoInstances('two instances sharing PostgreSQL', () => {
  let a: TestApp
  let b: TestApp
  beforeAll(async () => {
    const config = {
      sessionTtlSec: TTL_SEC,
      sessionRotation: { enabled: true, graceSec: GRACE_SEC },
    }
    a = await createTestApp({ now: clock, config })
    b = await createTestApp({ now: clock, config, schema: a.config.pgSchema!, sim: a.sim })
  })
  afterAll(async () => {
    await b?.close()
    await a?.close()
  })

  /**
   * Notifications reach an instance in the order they were sent: once a later revocation is
   * acknowledged by every listener, the rotation's announcement has been handled too.
   */
  async function announcementsDelivered(): Promise<void> {
    const marker = await a.login()
    const s = await a.services.sessions.verify(marker.token)
    const report = await a.services.sessions.revoke(s.sessionId)
    expect(report.acknowledged).toBe(report.listeners)
  }

  /** A session logged in on a, cached by b, then due for rotation. */
  async function dueSessionCachedByBoth(): Promise<string> {
    const { token } = await a.login()
    expect((await getMe(b, token)).statusCode).toBe(200)
    now += 5 * DAY
    return token
  }

  test('a token rotated on one instance is accepted at once on the other', async () => {
    const old = await dueSessionCachedByBoth()
    const fresh = rotatedToken(await getMe(a, old))
    expect(fresh).toBeDefined()
    // Even before b hears of the rotation, its cached entry does not reject the new token.
    expect((await getMe(b, fresh!)).statusCode).toBe(200)
  })

  test('the replaced token stops on the other instance after the grace period', async () => {
    const old = await dueSessionCachedByBoth()
    const fresh = rotatedToken(await getMe(a, old))!
    await announcementsDelivered()
    expect((await getMe(b, old)).statusCode).toBe(200)
    now += (GRACE_SEC + 1) * 1000
    expect((await getMe(b, old)).json().error.code).toBe('SESSION_EXPIRED')
    expect((await getMe(b, fresh)).statusCode).toBe(200)
  })

  test('logout on one instance revokes both tokens at once on the other', async () => {
    const old = await dueSessionCachedByBoth()
    const fresh = rotatedToken(await getMe(b, old))!
    expect((await getMe(a, fresh)).statusCode).toBe(200)
    expect((await getMe(a, old)).statusCode).toBe(200)
    await b.inject({ method: 'POST', url: '/auth/logout', headers: authHeader(fresh) })
    for (const token of [old, fresh]) {
      expect((await getMe(a, token)).json().error.code).toBe('SESSION_REVOKED')
    }
  })
})
