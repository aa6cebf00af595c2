// Pins of the README's server sections and docs/protocol.md that no other suite holds exactly as
// written: the route table's answers, the error table's statuses, the WeChat errcode mapping in
// full, the simulated WeChat's errcodes and control routes, the console's cookie and the config
// table's defaults. Each test names the promise it keeps.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadConfig } from '../src/config'
import { issueStaffCookie, staffCookieValid } from '../src/console/staff-cookie'
import { avatarOrigin } from '../src/services/avatars'
import { MessageOutbox } from '../src/services/outbox'
import { httpTransport } from '../src/wechat/transport'
import { WeChatApiError } from '../src/wechat/types'
import { WECHAT_ERRMSG } from '../src/wechat/errors'
import { authHeader, type TestApp } from './helpers'
import { bindPhone, expectError, getMe, loginWithCode, logout } from './support/requests'
import { startServer } from './server-process'
import { useTestApp, withTestApp } from './support/test-app'

const t = useTestApp({ outbox: { autoStart: false } })

type InjectResponse = Awaited<ReturnType<TestApp['inject']>>

function errorOf(res: InjectResponse): { code: string; message: string } {
  return res.json<{ error: { code: string; message: string } }>().error
}

async function placeOrder(
  token: string,
  key: string,
  body: Record<string, unknown> = { items: [{ itemId: 'milk-tea', quantity: 1 }] },
): Promise<InjectResponse> {
  return t.inject({
    method: 'POST',
    url: '/orders',
    headers: { ...authHeader(token), 'idempotency-key': key },
    payload: body,
  })
}

describe('README configuration table: defaults', () => {
  test('every variable left unset takes the documented default', () => {
    const c = loadConfig({}, '/srv/server')
    expect(c.port).toBe(3000)
    expect(c.host).toBe('127.0.0.1')
    expect(c.nodeEnv).toBe('development')
    expect(c.databaseUrl).toBeNull()
    expect(c.pgSchema).toBeNull()
    expect(c.dbStatementTimeoutMs).toBe(5000)
    expect(c.requestTimeoutMs).toBe(30_000)
    expect(c.dataDir).toBe('/srv/server/.data')
    expect(c.sqlitePath).toBe('/srv/server/.data/server.sqlite')
    expect(c.wechat.mode).toBe('simulated')
    expect(c.sessionSecretIsDefault).toBe(true)
    expect(c.sessionTtlSec).toBe(604_800)
    expect(c.sessionRotation).toEqual({ enabled: true, graceSec: 60 })
    expect(c.rateLimits).toEqual({
      login: { max: 60, windowSec: 60 },
      phone: { max: 10, windowSec: 60 },
      profile: { max: 10, windowSec: 60 },
      wechatIp: { max: 60, windowSec: 60 },
    })
    expect(c.redisUrl).toBeNull()
    expect(c.redisKeyPrefix).toBe('wxkit:')
    expect(c.avatarMaxBytes).toBe(2_097_152)
    expect(c.avatarQuota).toBe(5)
    expect(c.publicUrl).toBeNull()
    expect(c.trustProxy).toBe(false)
    expect(c.consolePassword).toBe('console-dev-password')
    expect(c.orderStatusTemplateId).toBe('ORDER_STATUS_TEMPLATE_ID')
    expect(c.simControlToken).toBeNull()
    expect(c.logLevel).toBe('info')
  })

  test('PUBLIC_ORIGIN defaults to http://HOST:PORT with the bound port, 127.0.0.1 for a wildcard HOST', () => {
    const bound = { address: '0.0.0.0', family: 'IPv4', port: 41234 }
    expect(avatarOrigin({ publicUrl: null, host: '0.0.0.0', port: 0 }, bound)).toBe(
      'http://127.0.0.1:41234',
    )
    expect(avatarOrigin({ publicUrl: null, host: '::', port: 0 }, bound)).toBe(
      'http://127.0.0.1:41234',
    )
    expect(avatarOrigin({ publicUrl: null, host: '10.1.2.3', port: 3000 }, null)).toBe(
      'http://10.1.2.3:3000',
    )
    expect(
      avatarOrigin({ publicUrl: 'https://api.example.com', host: '0.0.0.0', port: 0 }, bound),
    ).toBe('https://api.example.com')
  })

  test('the real WeChat is reached at https://api.weixin.qq.com unless WECHAT_API_BASE_URL says otherwise', async () => {
    const fetched: string[] = []
    const fetchSpy = jest.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
      fetched.push(String(input))
      return new Response('{"errcode":0,"errmsg":"ok"}', { status: 200 })
    })
    try {
      const request = {
        method: 'GET' as const,
        path: '/wxa/checksession',
        query: {},
        timeoutMs: 1000,
      }
      await httpTransport()(request)
      await httpTransport('http://127.0.0.1:4100')(request)
    } finally {
      fetchSpy.mockRestore()
    }
    expect(fetched).toEqual([
      'https://api.weixin.qq.com/wxa/checksession',
      'http://127.0.0.1:4100/wxa/checksession',
    ])
    const real = loadConfig({ WECHAT_APPID: 'wx1234567890abcdef', WECHAT_SECRET: 'secret' })
    expect(real.wechat).toMatchObject({ mode: 'real', apiBaseUrl: null })
  })

  test('DATA_DIR moves the SQLite file; SQLITE_PATH names it outright', () => {
    expect(loadConfig({ DATA_DIR: '/var/lib/shop' }).sqlitePath).toBe('/var/lib/shop/server.sqlite')
    expect(loadConfig({ SQLITE_PATH: '/tmp/x.sqlite' }).sqlitePath).toBe('/tmp/x.sqlite')
  })

  test('every rate limit is read from its pair of variables', () => {
    const c = loadConfig({
      RATE_LIMIT_LOGIN_MAX: '1',
      RATE_LIMIT_LOGIN_WINDOW_SEC: '2',
      RATE_LIMIT_PHONE_MAX: '3',
      RATE_LIMIT_PHONE_WINDOW_SEC: '4',
      RATE_LIMIT_PROFILE_MAX: '5',
      RATE_LIMIT_PROFILE_WINDOW_SEC: '6',
      RATE_LIMIT_WECHAT_IP_MAX: '7',
      RATE_LIMIT_WECHAT_IP_WINDOW_SEC: '8',
    })
    expect(c.rateLimits).toEqual({
      login: { max: 1, windowSec: 2 },
      phone: { max: 3, windowSec: 4 },
      profile: { max: 5, windowSec: 6 },
      wechatIp: { max: 7, windowSec: 8 },
    })
  })

  test('SESSION_SLIDING accepts false/0 and true/1; SESSION_TTL_SEC sets the lifetime', () => {
    expect(loadConfig({ SESSION_SLIDING: '0' }).sessionRotation.enabled).toBe(false)
    expect(loadConfig({ SESSION_SLIDING: '1' }).sessionRotation.enabled).toBe(true)
    expect(loadConfig({ SESSION_TTL_SEC: '3600' }).sessionTtlSec).toBe(3600)
  })

  test('production requires SESSION_SECRET and refuses the simulated WeChat; the console has no password', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /SESSION_SECRET[\s\S]*simulated WeChat|simulated WeChat[\s\S]*SESSION_SECRET/,
    )
    const c = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 'a-production-session-secret-0123456789',
      WECHAT_APPID: 'wx1234567890abcdef',
      WECHAT_SECRET: 'secret',
    })
    expect(c.consolePassword).toBeNull()
  })

  test('TRUST_PROXY: off, a hop count up to 10, or proxy addresses; true is refused', () => {
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false)
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false)
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2)
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.168.1.1',
    ])
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).trustProxy).toEqual(['loopback'])
    expect(() => loadConfig({ TRUST_PROXY: '11' })).toThrow(/TRUST_PROXY/)
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/)
  })

  test('WECHAT_APPID and WECHAT_SECRET select the real WeChat only together', () => {
    expect(() => loadConfig({ WECHAT_APPID: 'wx1234567890abcdef' })).toThrow(/WECHAT_SECRET/)
    expect(() => loadConfig({ WECHAT_SECRET: 'secret' })).toThrow(/WECHAT_APPID/)
  })
})

describe('README route table', () => {
  test('GET /healthz answers {status:"ok"} without a session', async () => {
    const res = await t.inject({ method: 'GET', url: '/healthz' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ status: 'ok' })
  })

  test('POST /auth/login answers {token, expiresIn, user}: an s<id>.<secret> token, the 7-day lifetime, a user without ids', async () => {
    const { code } = t.mintCode()
    const res = await loginWithCode(t, code)
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    const body = res.json<{ token: string; expiresIn: number; user: Record<string, unknown> }>()
    expect(Object.keys(body).sort()).toEqual(['expiresIn', 'token', 'user'])
    expect(body.token).toMatch(/^s[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
    expect(body.expiresIn).toBe(604_800)
    expect(Object.keys(body.user).sort()).toEqual(['avatarUrl', 'id', 'nickname', 'phone'])
  })

  test.each([
    ['no code', {}],
    ['an empty code', { code: '' }],
    ['a number', { code: 12345 }],
  ])('POST /auth/login with %s is 400 VALIDATION_FAILED', async (_what, payload) => {
    const res = await t.inject({ method: 'POST', url: '/auth/login', payload })
    expectError(res, 400, 'VALIDATION_FAILED')
  })

  test('X-WX-Code: the answer carries the session headers, exposed and not cached; the token is not in the body', async () => {
    const { code } = t.mintCode()
    const res = await t.inject({ method: 'GET', url: '/me', headers: { 'x-wx-code': code } })
    expect(res.statusCode).toBe(200)
    const token = res.headers['x-session-token']
    expect(typeof token).toBe('string')
    expect(res.headers['x-session-expires-in']).toBe('604800')
    const exposed = String(res.headers['access-control-expose-headers'])
      .toLowerCase()
      .split(/\s*,\s*/)
    expect(exposed).toEqual(expect.arrayContaining(['x-session-token', 'x-session-expires-in']))
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.body).not.toContain((token as string).split('.')[1])
    expect((await getMe(t, token as string)).statusCode).toBe(200)
  })

  test('an X-WX-Code login whose call then fails (400, 404) still hands back the new session', async () => {
    for (const [method, url, payload] of [
      ['POST', '/orders', { items: [{ itemId: 'milk-tea', quantity: 1 }] }],
      ['GET', '/orders/no-such-order', undefined],
    ] as const) {
      const { code } = t.mintCode()
      const res = await t.inject({
        method,
        url,
        headers: { 'x-wx-code': code },
        ...(payload !== undefined ? { payload } : {}),
      })
      expect(res.statusCode).toBeGreaterThanOrEqual(400)
      const token = res.headers['x-session-token']
      expect(typeof token).toBe('string')
      expect(res.headers['x-session-expires-in']).toBe('604800')
      expect((await getMe(t, token as string)).statusCode).toBe(200)
    }
  })

  test('a valid bearer wins over X-WX-Code: no new session, and the code is left unused', async () => {
    const { token, userId } = await t.login()
    const other = t.mintCode()
    const res = await t.inject({
      method: 'GET',
      url: '/me',
      headers: { ...authHeader(token), 'x-wx-code': other.code },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json<{ id: string }>().id).toBe(userId)
    expect(res.headers['x-session-token']).toBeUndefined()
    expect((await loginWithCode(t, other.code)).statusCode).toBe(200)
  })

  test('POST /auth/logout is bearer only: X-WX-Code alone is 401 and logs nobody in', async () => {
    const { code } = t.mintCode()
    const res = await t.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: { 'x-wx-code': code },
    })
    expect(res.statusCode).toBe(401)
    expect(res.headers['x-session-token']).toBeUndefined()
  })

  test('POST /auth/logout answers {ok:true}; the token is then 401 SESSION_REVOKED', async () => {
    const { token } = await t.login()
    const out = await logout(t, token)
    expect(out.statusCode).toBe(200)
    expect(out.json()).toEqual({ ok: true })
    expectError(await getMe(t, token), 401, 'SESSION_REVOKED')
  })

  test('GET /me is the user {id, nickname, avatarUrl, phone}, the phone masked', async () => {
    const { token, openid } = await t.login()
    const bound = await bindPhone(t, token, t.sim.mintPhoneCode(openid, '13800138000'))
    expect(bound.statusCode).toBe(200)
    expect(bound.json<{ phone: string }>().phone).toBe('138****8000')
    const me = await getMe(t, token)
    expect(me.json()).toEqual({
      id: expect.any(String),
      nickname: null,
      avatarUrl: null,
      phone: '138****8000',
    })
  })

  test('PUT /me: a nickname of 1–32 characters; 33 or control characters are refused', async () => {
    const { token } = await t.login()
    const put = (nickname: string) =>
      t.inject({ method: 'PUT', url: '/me', headers: authHeader(token), payload: { nickname } })
    expect((await put('a'.repeat(32))).statusCode).toBe(200)
    expect((await put('a')).statusCode).toBe(200)
    expectError(await put('a'.repeat(33)), 400, 'VALIDATION_FAILED')
    expectError(await put('a\u0001b'), 400, 'VALIDATION_FAILED')
    expectError(await put(''), 400, 'VALIDATION_FAILED')
    const nothing = await t.inject({
      method: 'PUT',
      url: '/me',
      headers: authHeader(token),
      payload: {},
    })
    expectError(nothing, 400, 'VALIDATION_FAILED')
  })

  test('PUT /me: avatarUrl must be https or one of your uploads (400 AVATAR_URL_INVALID)', async () => {
    const { token } = await t.login()
    const put = (avatarUrl: string) =>
      t.inject({ method: 'PUT', url: '/me', headers: authHeader(token), payload: { avatarUrl } })
    expect((await put('https://example.com/a.png')).statusCode).toBe(200)
    expectError(await put('http://example.com/a.png'), 400, 'AVATAR_URL_INVALID')
  })

  test('GET /avatars/:id needs no session; an unknown one is 404 NOT_FOUND', async () => {
    expectError(await t.inject({ method: 'GET', url: '/avatars/nope' }), 404, 'NOT_FOUND')
  })

  test('GET /menu: currency CNY and categories, prices in integer fen', async () => {
    const res = await t.inject({ method: 'GET', url: '/menu' })
    expect(res.statusCode).toBe(200)
    const menu = res.json<{
      currency: string
      categories: { items: { price: number }[] }[]
    }>()
    expect(menu.currency).toBe('CNY')
    expect(menu.categories.length).toBeGreaterThan(0)
    for (const c of menu.categories)
      for (const i of c.items) expect(Number.isInteger(i.price)).toBe(true)
  })

  test('POST /orders: address and remark up to 200 characters each, not 201', async () => {
    const { token } = await t.login()
    const ok = await placeOrder(token, 'len-ok', {
      items: [{ itemId: 'milk-tea', quantity: 1 }],
      address: 'a'.repeat(200),
      remark: 'r'.repeat(200),
    })
    expect(ok.statusCode).toBe(201)
    expect(ok.json()).toMatchObject({ address: 'a'.repeat(200), remark: 'r'.repeat(200) })
    for (const field of ['address', 'remark']) {
      const res = await placeOrder(token, `len-${field}`, {
        items: [{ itemId: 'milk-tea', quantity: 1 }],
        [field]: 'x'.repeat(201),
      })
      expect(res.statusCode).toBe(400)
    }
  })

  test('POST /orders: an item not on the menu is 400 ORDER_INVALID', async () => {
    const { token } = await t.login()
    const res = await placeOrder(token, 'bad-item', { items: [{ itemId: 'no-such', quantity: 1 }] })
    expectError(res, 400, 'ORDER_INVALID')
  })

  test('an order carries status, updatedAt, timeline (placed first) and cancellable', async () => {
    const { token } = await t.login()
    const res = await placeOrder(token, 'shape')
    expect(res.json()).toMatchObject({
      status: 'placed',
      updatedAt: expect.any(String),
      timeline: [{ status: 'placed', at: expect.any(String) }],
      cancellable: true,
    })
  })

  test('another user’s order: GET /orders/:id and its cancel are 404 and change nothing', async () => {
    const owner = await t.login()
    const stranger = await t.login()
    const { id } = (await placeOrder(owner.token, 'mine')).json<{ id: string }>()
    const read = await t.inject({
      method: 'GET',
      url: `/orders/${id}`,
      headers: authHeader(stranger.token),
    })
    expectError(read, 404, 'NOT_FOUND')
    const cancel = await t.inject({
      method: 'POST',
      url: `/orders/${id}/cancel`,
      headers: authHeader(stranger.token),
    })
    expectError(cancel, 404, 'NOT_FOUND')
    const still = await t.inject({
      method: 'GET',
      url: `/orders/${id}`,
      headers: authHeader(owner.token),
    })
    expect(still.json()).toMatchObject({ status: 'placed' })
  })

  test('GET /orders: newest first, up to 100; the console lists the 100 newest too', async () => {
    const { token } = await t.login()
    const ids: string[] = []
    for (let i = 0; i < 101; i++) {
      ids.push((await placeOrder(token, `many-${i}`)).json<{ id: string }>().id)
    }
    const list = await t.inject({ method: 'GET', url: '/orders', headers: authHeader(token) })
    const listed = list.json<{ orders: { id: string }[] }>().orders.map((o) => o.id)
    expect(listed).toEqual(ids.slice(1).reverse())
    const staff = await t.inject({
      method: 'POST',
      url: '/console/api/session',
      payload: { password: 'console-dev-password' },
    })
    const cookie = String(staff.headers['set-cookie']).split(';')[0]!
    const staffList = await t.inject({
      method: 'GET',
      url: '/console/api/orders',
      headers: { cookie },
    })
    const consoleIds = staffList.json<{ orders: { id: string }[] }>().orders.map((o) => o.id)
    expect(consoleIds).toEqual(ids.slice(1).reverse())
  })

  test('orders placed and moved within one millisecond still list newest first, timeline in order', async () => {
    const frozen = Date.parse('2026-03-01T12:00:00Z')
    await withTestApp({ now: () => frozen, outbox: { autoStart: false } }, async (t2) => {
      const { token } = await t2.login()
      const ids: string[] = []
      for (let i = 0; i < 6; i++) {
        const res = await t2.inject({
          method: 'POST',
          url: '/orders',
          headers: { ...authHeader(token), 'idempotency-key': `same-ms-${i}` },
          payload: { items: [{ itemId: 'milk-tea', quantity: 1 }] },
        })
        ids.push(res.json<{ id: string }>().id)
      }
      const list = await t2.inject({ method: 'GET', url: '/orders', headers: authHeader(token) })
      expect(list.json<{ orders: { id: string }[] }>().orders.map((o) => o.id)).toEqual(
        [...ids].reverse(),
      )
      const moved = ids[0]!
      for (const status of ['accepted', 'ready', 'completed'] as const) {
        await t2.services.statusChanges.change(moved, status, 'merchant')
      }
      const cancelled = ids[1]!
      await t2.services.statusChanges.change(cancelled, 'accepted', 'merchant')
      await t2.services.statusChanges.change(cancelled, 'cancelled', 'merchant')
      const read = async (id: string): Promise<string[]> => {
        const res = await t2.inject({
          method: 'GET',
          url: `/orders/${id}`,
          headers: authHeader(token),
        })
        return res.json<{ timeline: { status: string }[] }>().timeline.map((e) => e.status)
      }
      expect(await read(moved)).toEqual(['placed', 'accepted', 'ready', 'completed'])
      expect(await read(cancelled)).toEqual(['placed', 'accepted', 'cancelled'])
    })
  })

  test('POST /me/subscriptions: at most 5 templates; GET /me/subscriptions answers {credits}', async () => {
    const { token } = await t.login()
    const results = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => [k, 'reject']))
    const six = await t.inject({
      method: 'POST',
      url: '/me/subscriptions',
      headers: authHeader(token),
      payload: { results },
    })
    expect(six.statusCode).toBe(400)
    const accept = await t.inject({
      method: 'POST',
      url: '/me/subscriptions',
      headers: authHeader(token),
      payload: { results: { ORDER_STATUS_TEMPLATE_ID: 'accept', other: 'accept' } },
    })
    expect(accept.statusCode).toBe(200)
    expect(accept.json()).toEqual({ credits: 1 })
    const read = await t.inject({
      method: 'GET',
      url: '/me/subscriptions',
      headers: authHeader(token),
    })
    expect(read.json()).toEqual({ credits: 1 })
  })

  test('GET /docs/json is the OpenAPI document, without a session', async () => {
    const res = await t.inject({ method: 'GET', url: '/docs/json' })
    expect(res.statusCode).toBe(200)
    expect(res.json<{ openapi: string }>().openapi).toMatch(/^3\./)
  })
})

describe('README error table', () => {
  test('every failure is {error:{code,message}} with an UPPER_SNAKE code', async () => {
    const answers = [
      await t.inject({ method: 'GET', url: '/nowhere' }),
      await t.inject({ method: 'GET', url: '/me' }),
      await t.inject({ method: 'GET', url: '/%' }),
    ]
    for (const res of answers) {
      expect(res.json()).toEqual({
        error: { code: expect.stringMatching(/^[A-Z][A-Z0-9_]*$/), message: expect.any(String) },
      })
    }
    expect(answers.map((r) => [r.statusCode, errorOf(r).code])).toEqual([
      [404, 'NOT_FOUND'],
      [401, 'SESSION_INVALID'],
      [400, 'VALIDATION_FAILED'],
    ])
  })

  test('414 URI_TOO_LONG for a URL over 8192 characters and a path parameter over 100', async () => {
    const base = '/menu?q='
    const atLimit = await t.inject({ method: 'GET', url: base + 'a'.repeat(8192 - base.length) })
    expect(atLimit.statusCode).toBe(200)
    const over = await t.inject({ method: 'GET', url: base + 'a'.repeat(8193 - base.length) })
    expectError(over, 414, 'URI_TOO_LONG')
    const param = await t.inject({ method: 'GET', url: `/avatars/${'a'.repeat(101)}` })
    expectError(param, 414, 'URI_TOO_LONG')
    const shortParam = await t.inject({ method: 'GET', url: `/avatars/${'a'.repeat(100)}` })
    expect(shortParam.statusCode).not.toBe(414)
  })

  test('an unexpected failure is 500 INTERNAL, in the envelope, without its message or stack', async () => {
    await withTestApp({}, async (t2) => {
      const { token } = await t2.login()
      t2.services.orders.list = async () => {
        throw new Error('database said something private')
      }
      const res = await t2.inject({ method: 'GET', url: '/orders', headers: authHeader(token) })
      expectError(res, 500, 'INTERNAL')
      expect(res.body).not.toMatch(/private|at .*\.ts|Error:/)
    })
  })

  test('without credentials a protected route is 401 whatever its parameters; only an unroutable URL is refused first', async () => {
    const get = (url: string) => t.inject({ method: 'GET', url })
    expectError(await get(`/orders/${'a'.repeat(100)}`), 401, 'SESSION_INVALID')
    expectError(await get('/orders/not%20an%20id'), 401, 'SESSION_INVALID')
    expectError(await get(`/orders/${'a'.repeat(101)}`), 414, 'URI_TOO_LONG')
    expectError(await get(`/orders?q=${'a'.repeat(9000)}`), 414, 'URI_TOO_LONG')
    expectError(await get('/orders/%zz'), 400, 'VALIDATION_FAILED')
  })

  test('413 PAYLOAD_TOO_LARGE beyond 64 KB of JSON, not at 64 KB; 415 for another media type', async () => {
    const jsonOfBytes = (bytes: number): string => {
      const frame = JSON.stringify({ code: '' })
      return JSON.stringify({ code: 'a'.repeat(bytes - frame.length) })
    }
    const post = (payload: string, contentType = 'application/json') =>
      t.inject({
        method: 'POST',
        url: '/auth/login',
        headers: { 'content-type': contentType },
        payload,
      })
    // 64 KB exactly is read (and then fails validation: no code is that long).
    expectError(await post(jsonOfBytes(64 * 1024)), 400, 'VALIDATION_FAILED')
    expectError(await post(jsonOfBytes(64 * 1024 + 1)), 413, 'PAYLOAD_TOO_LARGE')
    for (const type of ['application/octet-stream', 'text/plain', 'application/xml']) {
      expectError(await post('code', type), 415, 'UNSUPPORTED_MEDIA_TYPE')
    }
  })

  test('IDEMPOTENCY_KEY_REQUIRED 400, IDEMPOTENCY_KEY_REUSED 409; a retry 200 with the first order', async () => {
    const { token } = await t.login()
    const none = await t.inject({
      method: 'POST',
      url: '/orders',
      headers: authHeader(token),
      payload: { items: [{ itemId: 'milk-tea', quantity: 1 }] },
    })
    expectError(none, 400, 'IDEMPOTENCY_KEY_REQUIRED')
    expectError(await placeOrder(token, ''), 400, 'IDEMPOTENCY_KEY_REQUIRED')
    const first = await placeOrder(token, 'k1')
    expect(first.statusCode).toBe(201)
    const retry = await placeOrder(token, 'k1')
    expect(retry.statusCode).toBe(200)
    expect(retry.json<{ id: string }>().id).toBe(first.json<{ id: string }>().id)
    const other = await placeOrder(token, 'k1', { items: [{ itemId: 'milk-tea', quantity: 2 }] })
    expectError(other, 409, 'IDEMPOTENCY_KEY_REUSED')
  })
})

describe('protocol: WeChat errcodes map as the table says', () => {
  const cases: [number, number, string][] = [
    [40029, 400, 'LOGIN_CODE_INVALID'],
    [41008, 400, 'LOGIN_CODE_INVALID'],
    [40163, 400, 'LOGIN_CODE_USED'],
    [40226, 403, 'WECHAT_RISK_BLOCKED'],
    [45011, 429, 'RATE_LIMITED'],
    ...[40002, 40013, 40125, 40164, 40243, 41002, 41004, 47001, 48001, 87008].map(
      (errcode): [number, number, string] => [errcode, 500, 'WECHAT_CONFIG_ERROR'],
    ),
    [-1, 503, 'WECHAT_UNAVAILABLE'],
    [45009, 503, 'WECHAT_UNAVAILABLE'],
    [99999, 503, 'WECHAT_UNAVAILABLE'],
  ]
  test.each(cases)(
    'login: errcode %i answers %i %s, with none of WeChat’s text',
    async (errcode, status, code) => {
      t.sim.faults.next('jscode2session', { errcode, errmsg: 'wechat-own-errmsg' })
      const res = await loginWithCode(t, t.mintCode().code)
      expectError(res, status, code)
      expect(res.body).not.toMatch(/wechat-own-errmsg|rid/)
      if (status === 429) expect(res.headers['retry-after']).toBe('60')
    },
  )

  test.each([40029, 40163])(
    'getuserphonenumber: errcode %i is 400 PHONE_CODE_INVALID',
    async (errcode) => {
      const { token, openid } = await t.login()
      t.sim.faults.next('getuserphonenumber', { errcode })
      expectError(await bindPhone(t, token, t.sim.mintPhoneCode(openid)), 400, 'PHONE_CODE_INVALID')
    },
  )
})

describe('protocol: a code is exchanged at most once', () => {
  test('an exchanged code is LOGIN_CODE_USED on either path; an unknown code stays LOGIN_CODE_INVALID', async () => {
    const { code } = t.mintCode()
    expect((await loginWithCode(t, code)).statusCode).toBe(200)
    expectError(await loginWithCode(t, code), 400, 'LOGIN_CODE_USED')
    expectError(
      await t.inject({ method: 'GET', url: '/me', headers: { 'x-wx-code': code } }),
      400,
      'LOGIN_CODE_USED',
    )
    for (let i = 0; i < 2; i++) {
      expectError(await loginWithCode(t, 'never-minted-code-1234'), 400, 'LOGIN_CODE_INVALID')
    }
  })

  test('a code whose exchange failed with WECHAT_UNAVAILABLE may be sent again', async () => {
    const { code } = t.mintCode()
    t.sim.faults.next('jscode2session', { errcode: -1 })
    expectError(await loginWithCode(t, code), 503, 'WECHAT_UNAVAILABLE')
    expect((await loginWithCode(t, code)).statusCode).toBe(200)
  })
})

describe('the simulated WeChat answers with the platform’s errcodes and errmsgs', () => {
  async function code2Session(query: Record<string, string>): Promise<Record<string, unknown>> {
    const res = await t.sim.handle({ method: 'GET', path: '/sns/jscode2session', query })
    expect(res.status).toBe(200)
    return JSON.parse(res.text) as Record<string, unknown>
  }
  const creds = (): Record<string, string> => ({
    appid: t.sim.appid,
    secret: t.sim.secret,
    grant_type: 'authorization_code',
  })
  const errmsgOf = (errcode: number): RegExp =>
    new RegExp(`^${WECHAT_ERRMSG[errcode]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, rid: \\S+$`)

  test('success has no errcode; a replay is 40163 code been used; an unknown code 40029 invalid code', async () => {
    const { code, openid } = t.mintCode()
    const ok = await code2Session({ ...creds(), js_code: code })
    expect(ok).not.toHaveProperty('errcode')
    expect(ok).toMatchObject({ openid, session_key: expect.any(String) })
    const replay = await code2Session({ ...creds(), js_code: code })
    expect(replay).toEqual({ errcode: 40163, errmsg: expect.stringMatching(errmsgOf(40163)) })
    expect(WECHAT_ERRMSG[40163]).toBe('code been used')
    const unknown = await code2Session({ ...creds(), js_code: 'never-minted-code-0000' })
    expect(unknown).toEqual({ errcode: 40029, errmsg: expect.stringMatching(errmsgOf(40029)) })
    expect(WECHAT_ERRMSG[40029]).toBe('invalid code')
  })

  test('the platform’s exact errmsgs for -1, 40226, 45011 and the access_token errors', () => {
    expect(WECHAT_ERRMSG).toMatchObject({
      [-1]: 'system error',
      40226: 'code blocked',
      45011: 'api minute-quota reach limit mustslower retry next minute',
      40001:
        'invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r',
      42001: 'access_token expired',
      40014: 'invalid access_token',
      40002: 'invalid grant_type',
      40013: 'invalid appid',
      40125: 'invalid appsecret',
      41002: 'appid missing',
      41004: 'appsecret missing',
      41008: 'missing code',
      45009: 'reach max api daily quota limit',
      87008: 'invalid sig_method',
      87009: 'invalid signature',
    })
  })

  test.each([-1, 45011, 40226])(
    'an injected %i answers that errcode with its errmsg and a rid, HTTP 200',
    async (errcode) => {
      t.sim.faults.next('jscode2session', { errcode })
      const body = await code2Session({ ...creds(), js_code: t.mintCode().code })
      expect(body).toEqual({ errcode, errmsg: expect.stringMatching(errmsgOf(errcode)) })
    },
  )

  test('wrong credentials: 40013 appid, 40125 secret, 41002/41004 missing, 41008 no code', async () => {
    const { code } = t.mintCode()
    const cases: [Record<string, string>, number][] = [
      [{ ...creds(), js_code: code, appid: 'wx0000000000000000' }, 40013],
      [{ ...creds(), js_code: code, secret: 'wrong' }, 40125],
      [{ secret: t.sim.secret, grant_type: 'authorization_code', js_code: code }, 41002],
      [{ appid: t.sim.appid, grant_type: 'authorization_code', js_code: code }, 41004],
      [creds(), 41008],
    ]
    for (const [query, errcode] of cases) {
      expect(await code2Session(query)).toMatchObject({ errcode })
    }
    // None of them used the code.
    expect(await code2Session({ ...creds(), js_code: code })).not.toHaveProperty('errcode')
  })

  test('a code past its 5 minutes is 40029; each exchange of a new code gives a new session_key', async () => {
    const first = t.mintCode('o-readme-expiry')
    const a = await code2Session({ ...creds(), js_code: first.code })
    const second = t.mintCode('o-readme-expiry')
    const b = await code2Session({ ...creds(), js_code: second.code })
    expect(b.session_key).not.toBe(a.session_key)
    const late = t.mintCode('o-readme-expiry')
    t.sim.clock.advance(5 * 60_000)
    expect(await code2Session({ ...creds(), js_code: late.code })).toMatchObject({
      errcode: 40029,
    })
  })

  test('stable_token is idempotent; force_refresh supersedes the old token, which then gets 40001', async () => {
    const stable = async (force?: boolean): Promise<string> => {
      const res = await t.sim.handle({
        method: 'POST',
        path: '/cgi-bin/stable_token',
        query: {},
        body: JSON.stringify({
          grant_type: 'client_credential',
          appid: t.sim.appid,
          secret: t.sim.secret,
          ...(force === undefined ? {} : { force_refresh: force }),
        }),
      })
      return (JSON.parse(res.text) as { access_token: string }).access_token
    }
    const phoneWith = async (token: string): Promise<Record<string, unknown>> => {
      const res = await t.sim.handle({
        method: 'POST',
        path: '/wxa/business/getuserphonenumber',
        query: { access_token: token },
        body: JSON.stringify({ code: t.sim.mintPhoneCode('o-readme-token') }),
      })
      return JSON.parse(res.text) as Record<string, unknown>
    }
    const old = await stable()
    expect(await stable()).toBe(old)
    expect(await phoneWith(old)).toMatchObject({ errcode: 0 })
    t.sim.clock.advance(31_000)
    const fresh = await stable(true)
    expect(fresh).not.toBe(old)
    expect(await phoneWith(old)).toEqual({
      errcode: 40001,
      errmsg: expect.stringMatching(errmsgOf(40001)),
    })
    expect(await phoneWith(fresh)).toMatchObject({ errcode: 0 })
  })
})

describe('README: the /__sim control routes the server serves in simulated mode', () => {
  test('login-code {code, openid}, random openid when omitted; the code logs that user in', async () => {
    const given = await t.inject({
      method: 'POST',
      url: '/__sim/login-code',
      payload: { openid: 'o-readme-alice' },
    })
    expect(given.json()).toEqual({ code: expect.any(String), openid: 'o-readme-alice' })
    const random = await t.inject({ method: 'POST', url: '/__sim/login-code', payload: {} })
    expect(random.json<{ openid: string }>().openid).toMatch(/^o/)
    const orders = await t.inject({
      method: 'GET',
      url: '/orders',
      headers: { 'x-wx-code': given.json<{ code: string }>().code },
    })
    expect(orders.statusCode).toBe(200)
    expect(typeof orders.headers['x-session-token']).toBe('string')
  })

  test('phone-code {code} binds through POST /me/phone', async () => {
    const { token, openid } = await t.login()
    const minted = await t.inject({
      method: 'POST',
      url: '/__sim/phone-code',
      payload: { openid, phoneNumber: '13912345678' },
    })
    expect(minted.json()).toEqual({ code: expect.any(String) })
    const res = await bindPhone(t, token, minted.json<{ code: string }>().code)
    expect(res.json<{ phone: string }>().phone).toBe('139****5678')
  })

  test('profile-payload is 409 SIM_NO_SESSION before any login code; users/:openid 404 SIM_NO_USER', async () => {
    const none = await t.inject({
      method: 'POST',
      url: '/__sim/profile-payload',
      payload: { openid: 'o-readme-nobody' },
    })
    expectError(none, 409, 'SIM_NO_SESSION')
    const user = await t.inject({ method: 'GET', url: '/__sim/users/o-readme-nobody' })
    expectError(user, 404, 'SIM_NO_USER')
    const { openid } = t.mintCode('o-readme-known')
    const known = await t.inject({ method: 'GET', url: `/__sim/users/${openid}` })
    expect(known.json()).toEqual({
      openid,
      unionid: expect.anything(),
      sessionKey: expect.any(String),
    })
  })

  test('faults: {pending} counts them, the next call fails once by default, DELETE clears', async () => {
    const add = await t.inject({
      method: 'POST',
      url: '/__sim/faults',
      payload: { api: 'jscode2session', errcode: 40226 },
    })
    expect(add.json()).toEqual({ pending: 1 })
    expectError(await loginWithCode(t, t.mintCode().code), 403, 'WECHAT_RISK_BLOCKED')
    expect((await loginWithCode(t, t.mintCode().code)).statusCode).toBe(200)
    await t.inject({
      method: 'POST',
      url: '/__sim/faults',
      payload: { api: '*', errcode: -1, times: 3 },
    })
    const cleared = await t.inject({ method: 'DELETE', url: '/__sim/faults' })
    expect(cleared.statusCode).toBe(200)
    expect((await loginWithCode(t, t.mintCode().code)).statusCode).toBe(200)
  })

  test('clock {advanceMs} answers {now} and moves the simulated time', async () => {
    const before = t.sim.clock.now()
    const res = await t.inject({
      method: 'POST',
      url: '/__sim/clock',
      payload: { advanceMs: 1000 },
    })
    expect(res.json<{ now: number }>().now).toBeGreaterThanOrEqual(before + 1000)
    expect(t.sim.clock.now()).toBeGreaterThanOrEqual(before + 1000)
  })

  test('subscribe-accept is 204; messages lists what was delivered to that openid', async () => {
    const accept = await t.inject({
      method: 'POST',
      url: '/__sim/subscribe-accept',
      payload: { openid: 'o-readme-msg', templateId: 'ORDER_STATUS_TEMPLATE_ID' },
    })
    expect(accept.statusCode).toBe(204)
    const list = await t.inject({ method: 'GET', url: '/__sim/messages?openid=o-readme-msg' })
    expect(list.statusCode).toBe(200)
    expect(list.json()).toEqual({ messages: [] })
  })
})

describe('README: the merchant console’s session', () => {
  const signIn = (password: string, remoteAddress = '127.0.0.1') =>
    t.inject({
      method: 'POST',
      url: '/console/api/session',
      payload: { password },
      remoteAddress,
    })

  test('the cookie is console_session, HttpOnly, SameSite=Strict, Path=/console, valid 12 hours', async () => {
    const res = await signIn('console-dev-password')
    expect(res.statusCode).toBe(204)
    const set = String(res.headers['set-cookie'])
    expect(set).toMatch(/^console_session=/)
    expect(set).toMatch(/; Max-Age=43200(;|$)/)
    expect(set).not.toMatch(/Secure/)
  })

  test('the session is valid 12 hours, and Secure when the request came over https', async () => {
    const t0 = Date.parse('2026-03-01T00:00:00Z')
    const secret = t.config.sessionSecret
    const value = issueStaffCookie(secret, 'pw', t0)
    expect(staffCookieValid(value, secret, 'pw', t0 + 12 * 3600_000 - 1)).toBe(true)
    expect(staffCookieValid(value, secret, 'pw', t0 + 12 * 3600_000)).toBe(false)
    await withTestApp({ config: { trustProxy: ['127.0.0.1'] } }, async (behindTls) => {
      const res = await behindTls.inject({
        method: 'POST',
        url: '/console/api/session',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { password: 'console-dev-password' },
      })
      expect(res.statusCode).toBe(204)
      expect(String(res.headers['set-cookie'])).toMatch(/; Secure(;|$)/)
    })
  })

  test('changing CONSOLE_PASSWORD ends every staff session', async () => {
    const res = await signIn('console-dev-password')
    const cookie = String(res.headers['set-cookie']).split(';')[0]!
    await withTestApp({ config: { consolePassword: 'a-new-staff-password' } }, async (renewed) => {
      const check = await renewed.inject({
        method: 'GET',
        url: '/console/api/session',
        headers: { cookie },
      })
      expectError(check, 401, 'CONSOLE_UNAUTHORIZED')
    })
  })

  test('GET /console/api/session is 204 with the cookie, 401 CONSOLE_UNAUTHORIZED without; DELETE signs out', async () => {
    const res = await signIn('console-dev-password')
    const cookie = String(res.headers['set-cookie']).split(';')[0]!
    const check = await t.inject({
      method: 'GET',
      url: '/console/api/session',
      headers: { cookie },
    })
    expect(check.statusCode).toBe(204)
    expectError(
      await t.inject({ method: 'GET', url: '/console/api/session' }),
      401,
      'CONSOLE_UNAUTHORIZED',
    )
    const out = await t.inject({
      method: 'DELETE',
      url: '/console/api/session',
      headers: { cookie },
    })
    expect(out.statusCode).toBe(204)
    expect(String(out.headers['set-cookie'])).toMatch(/^console_session=;.*Max-Age=0/)
  })

  test('ten wrong passwords from one IP answer 401; the eleventh attempt 429 RATE_LIMITED with Retry-After', async () => {
    const ip = '10.77.0.1'
    for (let i = 0; i < 10; i++)
      expectError(await signIn('wrong', ip), 401, 'CONSOLE_PASSWORD_WRONG')
    const limited = await signIn('console-dev-password', ip)
    expectError(limited, 429, 'RATE_LIMITED')
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    expect((await signIn('console-dev-password', '10.77.0.2')).statusCode).toBe(204)
  })

  test('the console API: orders carry next and merchantMayCancel; an unknown order is 404', async () => {
    const res = await signIn('console-dev-password')
    const cookie = String(res.headers['set-cookie']).split(';')[0]!
    const { token } = await t.login()
    const { id } = (await placeOrder(token, 'console-one')).json<{ id: string }>()
    const list = await t.inject({ method: 'GET', url: '/console/api/orders', headers: { cookie } })
    const mine = list
      .json<{ orders: { id: string; next: string | null; merchantMayCancel: boolean }[] }>()
      .orders.find((o) => o.id === id)
    expect(mine).toMatchObject({ next: 'accepted', merchantMayCancel: true })
    const missing = await t.inject({
      method: 'POST',
      url: '/console/api/orders/no-such-order/status',
      headers: { cookie },
      payload: { status: 'accepted' },
    })
    expectError(missing, 404, 'NOT_FOUND')
    const wrong = await t.inject({
      method: 'POST',
      url: `/console/api/orders/${id}/status`,
      headers: { cookie },
      payload: { status: 'completed' },
    })
    expectError(wrong, 409, 'ORDER_STATUS_CONFLICT')
    const form = await t.inject({
      method: 'POST',
      url: `/console/api/orders/${id}/status`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'status=accepted',
    })
    expect(form.statusCode).toBe(415)
    const bytes = await t.inject({
      method: 'POST',
      url: `/console/api/orders/${id}/status`,
      headers: { cookie, 'content-type': 'application/octet-stream' },
      payload: 'accepted',
    })
    expectError(bytes, 415, 'UNSUPPORTED_MEDIA_TYPE')
    const plain = await t.inject({
      method: 'POST',
      url: `/console/api/orders/${id}/status`,
      headers: { cookie, 'content-type': 'text/plain' },
      payload: 'accepted',
    })
    expectError(plain, 415, 'UNSUPPORTED_MEDIA_TYPE')
    for (const [payload, contentType] of [
      ['[]', 'application/json'],
      ['"accepted"', 'application/json'],
      ['{"status":"shipped"}', 'application/json'],
    ]) {
      const other = await t.inject({
        method: 'POST',
        url: `/console/api/orders/${id}/status`,
        headers: { cookie, 'content-type': contentType },
        payload,
      })
      expectError(other, 400, 'VALIDATION_FAILED')
    }
    const unchanged = await t.inject({
      method: 'GET',
      url: `/orders/${id}`,
      headers: authHeader(token),
    })
    expect(unchanged.json()).toMatchObject({ status: 'placed', timeline: [{ status: 'placed' }] })
  })
})

describe('README: what the outbox does with each WeChat answer to a send', () => {
  /** One order-status message queued for a new user who accepted the template. */
  async function queueOneMessage(t2: TestApp): Promise<void> {
    const { token } = await t2.login()
    const credit = await t2.inject({
      method: 'POST',
      url: '/me/subscriptions',
      headers: authHeader(token),
      payload: { results: { ORDER_STATUS_TEMPLATE_ID: 'accept' } },
    })
    expect(credit.json()).toEqual({ credits: 1 })
    const order = await t2.inject({
      method: 'POST',
      url: '/orders',
      headers: { ...authHeader(token), 'idempotency-key': 'outbox' },
      payload: { items: [{ itemId: 'milk-tea', quantity: 1 }] },
    })
    await t2.services.statusChanges.change(order.json<{ id: string }>().id, 'accepted', 'merchant')
  }

  async function theRow(t2: TestApp) {
    const rows = await t2.services.db.kysely
      .selectFrom('message_outbox')
      .select(['state', 'attempts', 'due_at'])
      .execute()
    expect(rows).toHaveLength(1)
    return {
      state: rows[0]!.state,
      attempts: Number(rows[0]!.attempts),
      dueAt: Number(rows[0]!.due_at),
    }
  }

  /** An outbox on a clock of its own whose every send gets `errcode` from WeChat. */
  function failingOutbox(t2: TestApp, errcode: number) {
    const clock = { ms: Date.now() + 1 }
    const outbox = new MessageOutbox(
      t2.services.db,
      async () => {
        throw new WeChatApiError('subscribe_send', errcode, 'refused')
      },
      { now: () => clock.ms },
    )
    return { outbox, clock }
  }

  test.each([-1, 45009, 45011, 40001])(
    'errcode %i: queued again, retried after 1 s',
    async (errcode) => {
      await withTestApp({ outbox: { autoStart: false } }, async (t2) => {
        await queueOneMessage(t2)
        const { outbox, clock } = failingOutbox(t2, errcode)
        await outbox.drainOnce()
        expect(await theRow(t2)).toEqual({ state: 'pending', attempts: 1, dueAt: clock.ms + 1000 })
      })
    },
  )

  test.each([
    [43101, 'dropped'],
    [40003, 'failed'],
    [40037, 'failed'],
    [41030, 'failed'],
    [47003, 'failed'],
  ])('errcode %i: %s at once, not retried', async (errcode, state) => {
    await withTestApp({ outbox: { autoStart: false } }, async (t2) => {
      await queueOneMessage(t2)
      const { outbox } = failingOutbox(t2, errcode)
      await outbox.drainOnce()
      expect(await theRow(t2)).toMatchObject({ state, attempts: 1 })
    })
  })

  test('a retryable failure backs off 1 s, 2 s, 4 s … (at most 5 min) and fails after 10 attempts', async () => {
    await withTestApp({ outbox: { autoStart: false } }, async (t2) => {
      await queueOneMessage(t2)
      const { outbox, clock } = failingOutbox(t2, -1)
      const delays: number[] = []
      for (let attempt = 1; attempt <= 9; attempt++) {
        await outbox.drainOnce()
        const row = await theRow(t2)
        expect(row).toMatchObject({ state: 'pending', attempts: attempt })
        delays.push(row.dueAt - clock.ms)
        clock.ms = row.dueAt
      }
      expect(delays).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256].map((s) => s * 1000))
      await outbox.drainOnce()
      expect(await theRow(t2)).toMatchObject({ state: 'failed', attempts: 10 })
      expect(outbox.backoffMs(10)).toBe(300_000)
      expect(outbox.backoffMs(30)).toBe(300_000)
    })
  })
})

describe('README: npm start needs no configuration', () => {
  test('it creates the SQLite database, prints address, WeChat mode, storage, console password and the DevTools hint, serves, and stops 0 on SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxkit-zero-config-'))
    const server = await startServer({ DATA_DIR: dataDir })
    try {
      const sqlite = path.join(dataDir, 'server.sqlite')
      expect(fs.existsSync(sqlite)).toBe(true)
      await server.waitForLine(/DevTools/)
      const out = server.output()
      expect(out).toContain(`listening on ${server.base}`)
      expect(out).toMatch(/WeChat: +simulated/)
      expect(out).toContain(`SQLite ${sqlite}`)
      expect(out).toContain('console-dev-password')
      // SESSION_SECRET unset: the development default, with a warning.
      expect(out).toMatch(/"level":40,.*SESSION_SECRET is not set/)
      const health = await fetch(`${server.base}/healthz`)
      expect(await health.json()).toEqual({ status: 'ok' })
      expect((await fetch(`${server.base}/docs/json`)).status).toBe(200)
      server.child.kill('SIGTERM')
      expect(await server.exited).toEqual({ code: 0, signal: null })
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL')
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }, 60_000)
})
