// Every route that reaches WeChat is limited per user and per client IP (issue 12, point 7);
// TRUST_PROXY trusts a hop count or named proxies, so a client cannot choose its rate-limit key
// by writing X-Forwarded-For (point 8); with REDIS_URL two instances share one budget (point 9).
import { spawn, spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import net from 'node:net'
import type { InjectOptions } from 'fastify'
import { Redis } from 'ioredis'
import { ConfigError, loadConfig, type Config } from '../src/config'
import { authHeader, createTestApp, useLeakCheck, type TestApp } from './helpers'
import { bindPhone, freshProfileBody, loginWithCode, sendWeChatProfile } from './support/requests'
import { sharedStorage, useSharedStorageCleanup } from './support/storage'
import { withTestApp } from './support/test-app'

useLeakCheck()
useSharedStorageCleanup()

const REDIS_URL = process.env.REDIS_URL ?? null
const tight = { max: 2, windowSec: 60 }
const roomy = { max: 1000, windowSec: 60 }

function rules(over: Partial<Config['rateLimits']>): Config['rateLimits'] {
  return { login: roomy, phone: roomy, profile: roomy, wechatIp: roomy, ...over }
}

/** What getUserProfile answers in these tests. */
const profile = { nickName: 'N', avatarUrl: 'https://a.example/1' }

function expectLimited(res: {
  statusCode: number
  json(): unknown
  headers: Record<string, unknown>
}) {
  expect(res.statusCode).toBe(429)
  expect(res.json()).toEqual({ error: { code: 'RATE_LIMITED', message: expect.any(String) } })
  expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1)
}

describe('POST /me/wechat-profile is limited', () => {
  test('per user: beyond the budget it answers 429 and WeChat is not called', async () => {
    await withTestApp({ config: { rateLimits: rules({ profile: tight }) } }, async (t) => {
      const a = await t.login()
      const b = await t.login()
      for (let i = 0; i < 2; i++) {
        const ok = await sendWeChatProfile(t, a.token, freshProfileBody(t, a.openid, profile))
        expect(ok.statusCode).toBe(200)
      }
      const exchanges = t.sim.stats.calls.jscode2session
      const over = await sendWeChatProfile(t, a.token, freshProfileBody(t, a.openid, profile))
      expectLimited(over)
      expect(t.sim.stats.calls.jscode2session).toBe(exchanges)
      // Another user from the same address still has a budget.
      const other = await sendWeChatProfile(t, b.token, freshProfileBody(t, b.openid, profile))
      expect(other.statusCode).toBe(200)
    })
  })

  test('per IP: many users behind one address share its budget', async () => {
    await withTestApp(
      {
        config: { rateLimits: rules({ wechatIp: { max: 3, windowSec: 60 } }) },
      },
      async (t) => {
        const users = await Promise.all([t.login(), t.login(), t.login(), t.login()])
        const send = (u: (typeof users)[number], remoteAddress: string) =>
          t.inject({
            method: 'POST',
            url: '/me/wechat-profile',
            headers: authHeader(u.token),
            payload: freshProfileBody(t, u.openid, profile),
            remoteAddress,
          } as InjectOptions)
        for (const u of users.slice(0, 3))
          expect((await send(u, '198.51.100.7')).statusCode).toBe(200)
        expectLimited(await send(users[3]!, '198.51.100.7'))
        expect((await send(users[3]!, '198.51.100.8')).statusCode).toBe(200)
      },
    )
  })
})

describe('POST /me/phone is limited', () => {
  test('per IP as well as per user', async () => {
    await withTestApp(
      {
        config: { rateLimits: rules({ phone: tight, wechatIp: { max: 3, windowSec: 60 } }) },
      },
      async (t) => {
        const a = await t.login()
        const b = await t.login()
        const bind = (u: { token: string; openid: string }) =>
          bindPhone(t, u.token, t.sim.mintPhoneCode(u.openid))
        expect((await bind(a)).statusCode).toBe(200)
        expect((await bind(a)).statusCode).toBe(200)
        expectLimited(await bind(a)) // a's own budget (2), third call from this IP
        expect((await bind(b)).statusCode).toBe(429) // the IP's budget (3) is spent as well
      },
    )
  })
})

describe('logins are limited per IP, through POST /auth/login and X-WX-Code alike', () => {
  test('the two ways share one budget', async () => {
    await withTestApp(
      {
        config: { rateLimits: rules({ login: { max: 3, windowSec: 60 } }) },
      },
      async (t) => {
        await t.login()
        await t.login()
        const viaHeader = await t.inject({
          method: 'GET',
          url: '/orders',
          headers: { 'x-wx-code': t.mintCode().code },
        })
        expect(viaHeader.statusCode).toBe(200)
        const exchanges = t.sim.stats.calls.jscode2session
        expectLimited(await loginWithCode(t, t.mintCode().code))
        expectLimited(
          await t.inject({
            method: 'GET',
            url: '/orders',
            headers: { 'x-wx-code': t.mintCode().code },
          }),
        )
        expect(t.sim.stats.calls.jscode2session).toBe(exchanges)
        // A bearer call is no login and is not counted.
        const { token } = await createTokenOnOtherAddress(t)
        const bearer = await t.inject({ method: 'GET', url: '/orders', headers: authHeader(token) })
        expect(bearer.statusCode).toBe(200)
      },
    )
  })
})

async function createTokenOnOtherAddress(t: TestApp): Promise<{ token: string }> {
  const res = await t.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { code: t.mintCode().code },
    remoteAddress: '192.0.2.200',
  } as InjectOptions)
  expect(res.statusCode).toBe(200)
  return { token: res.json<{ token: string }>().token }
}

describe('TRUST_PROXY', () => {
  const login = (t: TestApp, remoteAddress: string, xff?: string) =>
    t.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { code: t.mintCode().code },
      remoteAddress,
      ...(xff !== undefined ? { headers: { 'x-forwarded-for': xff } } : {}),
    } as InjectOptions)

  test('with one trusted hop, a client rotating the left-most X-Forwarded-For keeps one key', async () => {
    await withTestApp(
      {
        config: { trustProxy: 1, rateLimits: rules({ login: { max: 3, windowSec: 60 } }) },
      },
      async (t) => {
        // The proxy (10.0.0.5) appends the address it saw (203.0.113.9) after what the client sent.
        for (let i = 0; i < 3; i++) {
          expect((await login(t, '10.0.0.5', `1.1.1.${i}, 203.0.113.9`)).statusCode).toBe(200)
        }
        expectLimited(await login(t, '10.0.0.5', '1.1.1.99, 203.0.113.9'))
        // A different real client behind the same proxy has its own budget.
        expect((await login(t, '10.0.0.5', '1.1.1.99, 203.0.113.10')).statusCode).toBe(200)
      },
    )
  })

  test('with named proxies, X-Forwarded-For from anyone else is ignored', async () => {
    await withTestApp(
      {
        config: {
          trustProxy: ['10.0.0.0/8'],
          rateLimits: rules({ login: { max: 2, windowSec: 60 } }),
        },
      },
      async (t) => {
        expect((await login(t, '203.0.113.50', '5.5.5.1')).statusCode).toBe(200)
        expect((await login(t, '203.0.113.50', '5.5.5.2')).statusCode).toBe(200)
        expectLimited(await login(t, '203.0.113.50', '5.5.5.3'))
        // Through the named proxy, the forwarded address is the client.
        expect((await login(t, '10.1.2.3', '5.5.5.3')).statusCode).toBe(200)
      },
    )
  })

  test('parsing: hop counts, addresses and CIDRs; `true` and garbage are refused', () => {
    const parse = (v: string): Config['trustProxy'] => loadConfig({ TRUST_PROXY: v }).trustProxy
    expect(loadConfig({}).trustProxy).toBe(false)
    expect(parse('false')).toBe(false)
    expect(parse('0')).toBe(false)
    expect(parse('1')).toBe(1)
    expect(parse('2')).toBe(2)
    expect(parse('10.0.0.1, 192.168.0.0/16,::1,loopback')).toEqual([
      '10.0.0.1',
      '192.168.0.0/16',
      '::1',
      'loopback',
    ])
    for (const bad of ['true', '10.0.0.0/33', 'proxy.example.com', '1.2.3', '11']) {
      expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(ConfigError)
      try {
        loadConfig({ TRUST_PROXY: bad })
      } catch (e) {
        expect((e as ConfigError).problems.join()).toMatch(/TRUST_PROXY/)
      }
    }
  })
})

/** A free loopback port (nothing listens on it once this resolves). */
async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0

describe('Redis unreachable', () => {
  test('the server starts and lets calls through while Redis is down', async () => {
    await withTestApp(
      {
        config: {
          redisUrl: `redis://127.0.0.1:${await freePort()}`,
          rateLimits: rules({ login: { max: 1, windowSec: 60 } }),
        },
      },
      async (t) => {
        expect(t.services.limits.store).toBe('redis')
        await t.login()
        await t.login()
      },
    )
  })

  ;(hasRedisServer ? test : test.skip)(
    'limits apply again once a Redis comes up (a private redis-server on a free port)',
    async () => {
      const port = await freePort()
      const t = await createTestApp({
        config: {
          redisUrl: `redis://127.0.0.1:${port}`,
          rateLimits: rules({ login: { max: 1, windowSec: 60 } }),
        },
      })
      const redis = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: 'ignore' },
      )
      try {
        // ioredis reconnects on its own (backoff up to 2 s); poll, bounded, until a budget binds.
        const statuses: number[] = []
        const deadline = Date.now() + 10_000
        while (!statuses.includes(429) && Date.now() < deadline) {
          const res = await loginWithCode(t, t.mintCode().code)
          statuses.push(res.statusCode)
          await new Promise((r) => setTimeout(r, 100))
        }
        expect(statuses).toContain(429)
        expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([])
      } finally {
        await t.close()
        redis.kill()
      }
    },
    20_000,
  )
})

const withRedis = REDIS_URL !== null ? describe : describe.skip
if (REDIS_URL === null) {
  console.warn('rate-limits.test: REDIS_URL is unset, so the shared-Redis tests are skipped')
}

withRedis('two instances sharing Redis', () => {
  const prefix = `wxkit-test:${process.pid}:${crypto.randomBytes(4).toString('hex')}:`
  afterAll(async () => {
    const redis = new Redis(REDIS_URL!)
    try {
      const keys = await redis.keys(`${prefix}*`)
      if (keys.length > 0) await redis.del(...keys)
    } finally {
      redis.disconnect()
    }
  })

  test('allow the login budget once, not once per instance', async () => {
    const config = {
      redisUrl: REDIS_URL,
      redisKeyPrefix: prefix,
      rateLimits: rules({ login: { max: 4, windowSec: 60 } }),
    }
    const a = await createTestApp({ config })
    const b = await createTestApp({ config, sim: a.sim })
    try {
      expect(a.services.limits.store).toBe('redis')
      const statuses: number[] = []
      for (let i = 0; i < 5; i++) {
        for (const t of [a, b]) {
          const res = await loginWithCode(t, t.mintCode().code)
          statuses.push(res.statusCode)
        }
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(4)
      expect(statuses.filter((s) => s === 429)).toHaveLength(6)
      expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200])
      // The counters live under <REDIS_KEY_PREFIX>rl:, and nowhere else.
      const redis = new Redis(REDIS_URL!)
      try {
        const keys = await redis.keys(`${prefix}*`)
        expect(keys.length).toBeGreaterThan(0)
        for (const key of keys) expect(key.startsWith(`${prefix}rl:`)).toBe(true)
      } finally {
        redis.disconnect()
      }
    } finally {
      await a.close()
      await b.close()
    }
  })

  test('share the per-user budget of a WeChat route too', async () => {
    const storage = await sharedStorage()
    const config = {
      redisUrl: REDIS_URL,
      redisKeyPrefix: prefix,
      rateLimits: rules({ phone: tight }),
    }
    const a = await createTestApp({ config, ...storage })
    const b = await createTestApp({ config, sim: a.sim, ...storage })
    try {
      // One user and one session, used on both instances (they share the database).
      const user = await a.login()
      const bind = (t: TestApp) => bindPhone(t, user.token, t.sim.mintPhoneCode(user.openid))
      expect((await bind(a)).statusCode).toBe(200)
      expect((await bind(b)).statusCode).toBe(200)
      expectLimited(await bind(a))
      expectLimited(await bind(b))
    } finally {
      await a.close()
      await b.close()
    }
  })
})
