// Budgets for every call that reaches WeChat (code2Session, phone codes), per client IP and per
// user, so neither one client nor one account can spend the app's WeChat quota and block
// everyone's login. Counting is @fastify/rate-limit's: its in-process LRU store by default, or
// its Redis store (ioredis) when REDIS_URL is set, so that N instances allow the budget once,
// not N times. We call its `createRateLimit` primitive (documented in the plugin's README under
// "Manual Rate Limit") from our own handlers instead of a route hook, because a login through
// `X-WX-Code` must be counted only when a login actually happens, and per-user budgets need the
// authenticated user.
import rateLimit, { normalizeIP } from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { Config, RateLimitRule } from '../config'
import { AppError, rateLimited } from '../errors'

type Check = (req: FastifyRequest) => Promise<void>

const DEFAULT_PROFILE: RateLimitRule = { max: 10, windowSec: 60 }
const DEFAULT_WECHAT_IP: RateLimitRule = { max: 60, windowSec: 60 }
/** Keys the in-memory store keeps (an LRU): enough that churning addresses cannot evict a busy one. */
const LOCAL_KEYS = 100_000

export class RateLimits {
  private readonly redis: Redis | null
  private checks: {
    loginPerIp: Check
    phonePerUser: Check
    profilePerUser: Check
    wechatPerIp: Check
  } | null = null

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
  ) {
    const url = config.redisUrl ?? null
    this.redis =
      url === null
        ? null
        : new Redis(url, {
            lazyConnect: true,
            // A Redis outage must not hang requests: commands fail fast, and the limiter then
            // lets the call through (skipOnError) rather than block every login.
            enableOfflineQueue: false,
            maxRetriesPerRequest: 1,
            connectTimeout: 2000,
            commandTimeout: 1000,
            // At shutdown, a socket that does not close at once is destroyed after this long
            // (ioredis waits 2 s by default, even for a socket that never connected).
            disconnectTimeout: 200,
          })
    this.redis?.on('error', (e: Error) => {
      this.log.warn({ err: { type: e.name, message: e.message } }, 'redis (rate limits) error')
    })
  }

  /** Where the counters live, for start-up logs and tests. */
  get store(): 'redis' | 'memory' {
    return this.redis === null ? 'memory' : 'redis'
  }

  /** Registers @fastify/rate-limit on `app` (no global limit) and builds the checks. */
  async install(app: FastifyInstance): Promise<void> {
    if (this.redis !== null) {
      const redis = this.redis
      // Redis down at start-up is no reason to refuse logins: ioredis keeps reconnecting in the
      // background, and until it is back the budgets are not enforced (skipOnError below).
      await redis.connect().catch((e: unknown) => {
        this.log.warn(
          { err: { message: e instanceof Error ? e.message : String(e) } },
          'redis (rate limits) unreachable at start-up; limits apply once it is back',
        )
      })
      app.addHook('onClose', async () => {
        // quit() lets pending commands finish; disconnect() also stops any reconnection timer.
        if (redis.status === 'ready') await redis.quit().catch(() => undefined)
        redis.disconnect()
      })
    }
    await app.register(rateLimit, {
      global: false,
      skipOnError: true,
      cache: LOCAL_KEYS,
      ...(this.redis !== null
        ? { redis: this.redis, nameSpace: `${this.config.redisKeyPrefix ?? 'wxkit:'}rl:` }
        : {}),
    })
    const rules = this.config.rateLimits
    const byIp = (req: FastifyRequest): string => normalizeIP(req.ip)
    const byUser = (req: FastifyRequest): string => {
      if (req.auth === null) throw new AppError(401, 'SESSION_INVALID', 'authentication required')
      return req.auth.userId
    }
    this.checks = {
      loginPerIp: this.check(app, 'login-ip', rules.login, byIp),
      phonePerUser: this.check(app, 'phone-user', rules.phone, byUser),
      profilePerUser: this.check(app, 'profile-user', rules.profile ?? DEFAULT_PROFILE, byUser),
      wechatPerIp: this.check(app, 'wechat-ip', rules.wechatIp ?? DEFAULT_WECHAT_IP, byIp),
    }
  }

  /** A login (POST /auth/login or X-WX-Code) from this client IP. */
  login(req: FastifyRequest): Promise<void> {
    return this.installed().loginPerIp(req)
  }

  /** POST /me/phone: per client IP, then per user. */
  async phone(req: FastifyRequest): Promise<void> {
    const c = this.installed()
    await c.wechatPerIp(req)
    await c.phonePerUser(req)
  }

  /** POST /me/wechat-profile: per client IP, then per user. */
  async profile(req: FastifyRequest): Promise<void> {
    const c = this.installed()
    await c.wechatPerIp(req)
    await c.profilePerUser(req)
  }

  private installed(): NonNullable<RateLimits['checks']> {
    if (this.checks === null) throw new Error('RateLimits.install(app) was not called')
    return this.checks
  }

  private check(
    app: FastifyInstance,
    name: string,
    rule: RateLimitRule,
    key: (req: FastifyRequest) => string,
  ): Check {
    const limit = app.createRateLimit({
      max: rule.max,
      timeWindow: rule.windowSec * 1000,
      // The budget's name is part of the key: budgets never share a counter.
      keyGenerator: (req) => `${name}:${key(req)}`,
    })
    return async (req) => {
      const r = await limit(req)
      if (!r.isAllowed && r.isExceeded) {
        this.log.info({ budget: name }, 'rate limit reached')
        throw rateLimited(Math.max(1, r.ttlInSeconds))
      }
    }
  }
}
