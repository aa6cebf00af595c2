import { createSimWeChat } from '../src/wechat'
import { authHeader } from './helpers'
import { expectError, getMe, loginWithCode, logout, postRaw } from './support/requests'
import { useTestApp, withTestApp } from './support/test-app'

const t = useTestApp()

describe('POST /auth/login', () => {
  test('exchanges a code and returns token, lifetime and the user', async () => {
    const { code, openid } = t.mintCode()
    const res = await loginWithCode(t, code)
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(Object.keys(body).sort()).toEqual(['expiresIn', 'token', 'user'])
    expect(body.expiresIn).toBe(7 * 24 * 3600)
    expect(body.token).toMatch(/^s[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/)
    expect(body.user).toEqual({
      id: expect.any(String),
      nickname: null,
      avatarUrl: null,
      phone: null,
    })
    expect(res.headers['cache-control']).toBe('no-store')
    const row = await t.services.db.kysely
      .selectFrom('users')
      .selectAll()
      .where('openid', '=', openid)
      .executeTakeFirstOrThrow()
    expect(row.id).toBe(body.user.id)
    expect(row.unionid).toEqual(t.sim.getUser(openid)?.unionid ?? null)
  })

  test('the same openid maps to the same user; unionid is kept', async () => {
    const a = await t.login('oSameUser_1')
    const b = await t.login('oSameUser_1')
    expect(a.userId).toBe(b.userId)
    expect(a.token).not.toBe(b.token)
    const row = await t.services.db.kysely
      .selectFrom('users')
      .select('unionid')
      .where('id', '=', a.userId)
      .executeTakeFirstOrThrow()
    expect(row.unionid).not.toBeNull()
  })

  test('session_key is stored encrypted and replaced at each login', async () => {
    const { userId, openid } = await t.login('oKeyUser_1')
    const read = async (): Promise<string> =>
      (
        await t.services.db.kysely
          .selectFrom('wechat_sessions')
          .select('session_key_enc')
          .where('user_id', '=', userId)
          .executeTakeFirstOrThrow()
      ).session_key_enc
    const first = await read()
    const key1 = t.sim.getUser(openid)!.sessionKey!
    expect(first).not.toContain(key1)
    expect(await t.services.users.sessionKey(userId)).toBe(key1)
    await t.login(openid)
    const key2 = t.sim.getUser(openid)!.sessionKey!
    expect(key2).not.toBe(key1)
    expect(await read()).not.toBe(first)
    expect(await t.services.users.sessionKey(userId)).toBe(key2)
  })

  test('a replayed code answers LOGIN_CODE_USED', async () => {
    const { code } = t.mintCode()
    const first = await loginWithCode(t, code)
    expect(first.statusCode).toBe(200)
    const again = await loginWithCode(t, code)
    expect(again.statusCode).toBe(400)
    expect(again.json()).toEqual({
      error: { code: 'LOGIN_CODE_USED', message: expect.any(String) },
    })
  })

  test('concurrent logins with the same code give one session', async () => {
    const { code } = t.mintCode()
    const rs = await Promise.all([1, 2, 3].map(() => loginWithCode(t, code)))
    const ok = rs.filter((r) => r.statusCode === 200)
    expect(ok.length).toBeGreaterThanOrEqual(1)
    for (const r of rs.filter((x) => x.statusCode !== 200)) {
      expect(r.json().error.code).toBe('LOGIN_CODE_USED')
    }
  })

  test('an unknown code answers LOGIN_CODE_INVALID', async () => {
    const res = await loginWithCode(t, '0a1b2c3d4e5f0a1b2c3d4e5f0a1b2c3d')
    expectError(res, 400, 'LOGIN_CODE_INVALID')
  })

  test('an expired code (over 5 minutes) answers LOGIN_CODE_INVALID', async () => {
    const { code } = t.mintCode()
    t.sim.clock.advance(5 * 60_000 + 1000)
    const res = await loginWithCode(t, code)
    expectError(res, 400, 'LOGIN_CODE_INVALID')
  })

  test.each([
    [{}, 'missing code'],
    [{ code: '' }, 'empty code'],
    [{ code: 42 }, 'number'],
    [{ code: 'a b' }, 'space'],
    [{ code: 'x'.repeat(500) }, 'too long'],
    [{ code: 'abc', extra: 1 }, 'extra property'],
  ])('a malformed body (%j, %s) answers 400 VALIDATION_FAILED', async (payload, _why) => {
    const res = await t.inject({ method: 'POST', url: '/auth/login', payload })
    expectError(res, 400, 'VALIDATION_FAILED')
  })

  test('invalid JSON answers 400 VALIDATION_FAILED; a wrong content type 415', async () => {
    const bad = await postRaw(t, '/auth/login', '{"code":')
    expectError(bad, 400, 'VALIDATION_FAILED')
    const xml = await postRaw(t, '/auth/login', '<code/>', 'application/xml')
    expectError(xml, 415, 'UNSUPPORTED_MEDIA_TYPE')
  })
})

describe('WeChat errcodes on login', () => {
  test.each([
    [40029, 400, 'LOGIN_CODE_INVALID'],
    [40163, 400, 'LOGIN_CODE_USED'],
    [40226, 403, 'WECHAT_RISK_BLOCKED'],
    [45011, 429, 'RATE_LIMITED'],
    [-1, 503, 'WECHAT_UNAVAILABLE'],
    [40013, 500, 'WECHAT_CONFIG_ERROR'],
    [40125, 500, 'WECHAT_CONFIG_ERROR'],
  ])('errcode %i answers %i %s', async (errcode, status, code) => {
    t.sim.faults.next('jscode2session', { errcode })
    const m = t.mintCode()
    const res = await loginWithCode(t, m.code)
    expect(res.statusCode).toBe(status)
    expect(res.json()).toEqual({ error: { code, message: expect.any(String) } })
    if (status === 429) expect(res.headers['retry-after']).toBe('60')
    // WeChat's errmsg and rid are not passed on.
    expect(res.body).not.toMatch(/rid|errmsg|errcode/)
  })

  test.each([
    [{ status: 502 }, 'HTTP 502'],
    [{ malformed: true }, 'malformed JSON'],
  ])('%j (%s) answers 503 WECHAT_UNAVAILABLE', async (fault, _why) => {
    t.sim.faults.next('jscode2session', fault)
    const m = t.mintCode()
    const res = await loginWithCode(t, m.code)
    expectError(res, 503, 'WECHAT_UNAVAILABLE')
  })
})

describe('WeChat timeouts', () => {
  test('a code2Session that never answers gives 503 WECHAT_UNAVAILABLE after the timeout', async () => {
    const sim = createSimWeChat({ virtualTimers: true })
    await withTestApp({ sim }, async (t2) => {
      sim.faults.next('jscode2session', { timeout: true })
      const pending = loginWithCode(t2, t2.mintCode().code)
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r))
      sim.clock.advance(10_000)
      expectError(await pending, 503, 'WECHAT_UNAVAILABLE')
    })
  })
})

describe('bearer sessions', () => {
  test('no credentials answers 401 SESSION_INVALID', async () => {
    expectError(await t.inject({ method: 'GET', url: '/me' }), 401, 'SESSION_INVALID')
  })

  test.each([
    ['Bearer', 'no token'],
    ['Basic dXNlcjpwYXNz', 'basic'],
    ['Bearer not-a-token', 'garbage'],
    [`Bearer s${'A'.repeat(22)}.${'B'.repeat(43)}`, 'well-formed, unknown'],
  ])('%s (%s) answers 401 SESSION_INVALID', async (authorization) => {
    const res = await t.inject({ method: 'GET', url: '/me', headers: { authorization } })
    expectError(res, 401, 'SESSION_INVALID')
  })

  test('a token with a wrong secret part answers SESSION_INVALID, even when cached', async () => {
    const { token } = await t.login()
    expect((await getMe(t, token)).statusCode).toBe(200)
    const [id] = token.split('.')
    const forged = `${id}.${'C'.repeat(43)}`
    expectError(await getMe(t, forged), 401, 'SESSION_INVALID')
  })

  test('logout revokes the session at once', async () => {
    const { token } = await t.login()
    expect((await getMe(t, token)).statusCode).toBe(200)
    const out = await logout(t, token)
    expect(out.statusCode).toBe(200)
    expect(out.json()).toEqual({ ok: true })
    expectError(await getMe(t, token), 401, 'SESSION_REVOKED')
    expectError(await logout(t, token), 401, 'SESSION_REVOKED')
  })

  test('logout as wx.request sends it (JSON content type, empty body) revokes too', async () => {
    const { token } = await t.login()
    const out = await t.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: { ...authHeader(token), 'content-type': 'application/json' },
      payload: '',
    })
    expect(out.statusCode).toBe(200)
    expect((await getMe(t, token)).json().error.code).toBe('SESSION_REVOKED')
    const bad = await postRaw(t, '/auth/login', '{"code":')
    expect(bad.statusCode).toBe(400)
  })

  test('logout needs a bearer; other sessions of the user stay valid', async () => {
    expect((await t.inject({ method: 'POST', url: '/auth/logout' })).statusCode).toBe(401)
    const a = await t.login('oTwoDevices')
    const b = await t.login('oTwoDevices')
    await logout(t, a.token)
    expect((await getMe(t, b.token)).statusCode).toBe(200)
  })
})

describe('session expiry', () => {
  test('sessions expired or revoked more than a day ago are purged; live ones stay', async () => {
    let now = Date.now()
    await withTestApp({ now: () => now, config: { sessionTtlSec: 60 } }, async (t2) => {
      const expired = await t2.login()
      const revoked = await t2.login()
      await logout(t2, revoked.token)
      now += 86_400_000 + 61_000
      const live = await t2.login()
      expect(await t2.services.sessions.purgeExpired()).toBe(2)
      expect(await t2.services.sessions.purgeExpired()).toBe(0)
      expect((await getMe(t2, live.token)).statusCode).toBe(200)
      expect((await getMe(t2, expired.token)).statusCode).toBe(401)
    })
  })

  test('an expired session answers 401 SESSION_EXPIRED', async () => {
    let now = Date.now()
    await withTestApp({ now: () => now, config: { sessionTtlSec: 60 } }, async (t2) => {
      const { token } = await t2.login()
      expect((await getMe(t2, token)).statusCode).toBe(200)
      now += 61_000
      expectError(await getMe(t2, token), 401, 'SESSION_EXPIRED')
    })
  })
})

describe('X-WX-Code one-round-trip login', () => {
  test('logs in, serves the route and returns the token in headers', async () => {
    const { code, openid } = t.mintCode()
    const res = await t.inject({ method: 'GET', url: '/me', headers: { 'x-wx-code': code } })
    expect(res.statusCode).toBe(200)
    const token = res.headers['x-session-token']
    expect(typeof token).toBe('string')
    expect(res.headers['x-session-expires-in']).toBe(String(7 * 24 * 3600))
    expect(String(res.headers['access-control-expose-headers'])).toContain('X-Session-Token')
    expect(String(res.headers['access-control-expose-headers'])).toContain('X-Session-Expires-In')
    expect(res.json().id).toEqual(expect.any(String))
    // The token works as a bearer.
    expect((await getMe(t, String(token))).json().id).toBe(res.json().id)
    const row = await t.services.db.kysely
      .selectFrom('users')
      .select('id')
      .where('openid', '=', openid)
      .executeTakeFirstOrThrow()
    expect(row.id).toBe(res.json().id)
  })

  test('a used code in X-WX-Code answers LOGIN_CODE_USED', async () => {
    const { code } = t.mintCode()
    await t.inject({ method: 'GET', url: '/me', headers: { 'x-wx-code': code } })
    const res = await t.inject({ method: 'GET', url: '/orders', headers: { 'x-wx-code': code } })
    expectError(res, 400, 'LOGIN_CODE_USED')
    expect(res.headers['x-session-token']).toBeUndefined()
  })

  test('a stale bearer plus a fresh code logs in with the code', async () => {
    const { token } = await t.login()
    await logout(t, token)
    const { code } = t.mintCode()
    const res = await t.inject({
      method: 'GET',
      url: '/orders',
      headers: { ...authHeader(token), 'x-wx-code': code },
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-session-token']).toEqual(expect.any(String))
  })
})

describe('rate limits', () => {
  test('logins beyond the limit answer 429 RATE_LIMITED with Retry-After', async () => {
    const rateLimits = { login: { max: 3, windowSec: 60 }, phone: { max: 2, windowSec: 60 } }
    await withTestApp({ config: { rateLimits } }, async (t3) => {
      for (let i = 0; i < 3; i++) await t3.login()
      const res = await loginWithCode(t3, t3.mintCode().code)
      expectError(res, 429, 'RATE_LIMITED')
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
      const viaHeader = await t3.inject({
        method: 'GET',
        url: '/me',
        headers: { 'x-wx-code': t3.mintCode().code },
      })
      expect(viaHeader.statusCode).toBe(429)
      expect(viaHeader.headers['retry-after']).toEqual(expect.any(String))
    })
  })
})

describe('meta', () => {
  test('GET /healthz', async () => {
    const res = await t.inject({ method: 'GET', url: '/healthz' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ status: 'ok' })
  })

  test('unknown routes answer 404 NOT_FOUND', async () => {
    const res = await t.inject({ method: 'GET', url: '/nope' })
    expectError(res, 404, 'NOT_FOUND')
  })

  test('the OpenAPI document lists every route of the contract', async () => {
    const res = await t.inject({ method: 'GET', url: '/docs/json' })
    expect(res.statusCode).toBe(200)
    const doc = res.json<{ paths: Record<string, Record<string, unknown>> }>()
    const routes = Object.entries(doc.paths).flatMap(([p, ms]) =>
      Object.keys(ms).map((m) => `${m.toUpperCase()} ${p}`),
    )
    for (const r of [
      'POST /auth/login',
      'POST /auth/logout',
      'GET /me',
      'PUT /me',
      'POST /me/avatar',
      'POST /me/phone',
      'POST /me/wechat-profile',
      'GET /menu',
      'POST /orders',
      'GET /orders',
      'GET /orders/{id}',
      'GET /healthz',
      'GET /avatars/{id}',
    ]) {
      expect(routes).toContain(r)
    }
  })
})
