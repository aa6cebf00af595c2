// Environment parsing. Every problem is reported at once, with the variable's name, so a
// misconfigured deploy fails at start and not at the first request.
import net from 'node:net'
import path from 'node:path'

export type WeChatConfig =
  | { mode: 'real'; appid: string; secret: string; apiBaseUrl: string | null }
  | {
      mode: 'simulated'
      appid: string
      secret: string
      /** The simulated WeChat served over HTTP (npm run sim) at this origin; null: in process. */
      apiBaseUrl: string | null
    }

export interface RateLimitRule {
  max: number
  windowSec: number
}

/**
 * Which proxies to believe about the client's address (Fastify's `trustProxy`): off, the
 * number of proxy hops in front of the server, or the proxies' own addresses/CIDRs. Never
 * "trust everything", which would make the left-most X-Forwarded-For (chosen by the client)
 * the client's address, and so its rate-limit key.
 */
export type TrustProxy = false | number | string[]

/** Budgets of the calls that reach WeChat (each one spends the app's WeChat quota). */
export interface RateLimitRules {
  /** Logins (POST /auth/login and X-WX-Code) per client IP. */
  login: RateLimitRule
  /** POST /me/phone per user. */
  phone: RateLimitRule
  /** POST /me/wechat-profile per user (default 10 a minute). */
  profile?: RateLimitRule
  /** POST /me/phone and /me/wechat-profile together, per client IP (default 60 a minute). */
  wechatIp?: RateLimitRule
}

export interface Config {
  nodeEnv: 'development' | 'production' | 'test'
  host: string
  port: number
  logLevel: string
  /** postgres://… when set; else SQLite at `sqlitePath`. */
  databaseUrl: string | null
  /** PostgreSQL schema to use (search_path); null means the server's default. */
  pgSchema: string | null
  sqlitePath: string
  dataDir: string
  sessionSecret: string
  sessionSecretIsDefault: boolean
  sessionTtlSec: number
  /**
   * Sliding sessions: a session used in the last third of its lifetime gets a new token on that
   * answer; the replaced token stays valid for `graceSec` so calls already in flight do not fail.
   */
  sessionRotation: { enabled: boolean; graceSec: number }
  /** Public origin used to build avatar URLs; null derives it from the request. */
  publicUrl: string | null
  trustProxy: TrustProxy
  wechat: WeChatConfig
  rateLimits: RateLimitRules
  avatarMaxBytes: number
  /** Time a client has to send a whole request (headers and body) before it is dropped. */
  requestTimeoutMs: number
  /** PostgreSQL statement_timeout and SQLite busy_timeout. */
  dbStatementTimeoutMs: number
  /** Uploaded avatars kept per user; an upload beyond it drops the oldest unused one. */
  avatarQuota?: number
  /** redis://… shares the rate limits between instances; null keeps them in process memory. */
  redisUrl?: string | null
  /** Prefix of every Redis key this server writes (several deployments can share one Redis). */
  redisKeyPrefix?: string
  /** When set, /__sim control routes require `X-Sim-Token: <token>` from every caller. */
  simControlToken?: string | null
  /**
   * The merchant console's staff password (CONSOLE_PASSWORD). Unset: a printed default outside
   * production, and null (the console refuses every sign-in) in production.
   */
  consolePassword?: string | null
  consolePasswordIsDefault?: boolean
  /** The subscription-message template of order-status notifications (ORDER_STATUS_TEMPLATE_ID). */
  orderStatusTemplateId?: string
}

export class ConfigError extends Error {
  readonly problems: string[]
  constructor(problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`)
    this.name = 'ConfigError'
    this.problems = problems
  }
}

const DEV_SESSION_SECRET = 'dev-only-insecure-session-secret-change-me'
/** The console password outside production when CONSOLE_PASSWORD is unset (printed at start). */
export const DEV_CONSOLE_PASSWORD = 'console-dev-password'
/** The demo app's placeholder template id (miniprogram/config.ts); the simulated WeChat knows it. */
export const DEFAULT_ORDER_STATUS_TEMPLATE_ID = 'ORDER_STATUS_TEMPLATE_ID'
export const SIM_APPID = 'wxsimulated0000000'
export const SIM_SECRET = 'simulated-app-secret-0000000000000'

type Env = Record<string, string | undefined>

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const problems: string[] = []
  const str = (name: string): string | undefined => {
    const v = env[name]
    return v === undefined || v.trim() === '' ? undefined : v.trim()
  }
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = str(name)
    if (raw === undefined) return def
    if (!/^\d+$/.test(raw)) {
      problems.push(`${name} must be an integer, got ${JSON.stringify(raw)}`)
      return def
    }
    const n = Number(raw)
    if (n < min || n > max) problems.push(`${name} must be between ${min} and ${max}, got ${n}`)
    return n
  }

  const bool = (name: string, def: boolean): boolean => {
    const raw = str(name)
    if (raw === undefined) return def
    if (raw === 'true' || raw === '1') return true
    if (raw === 'false' || raw === '0') return false
    problems.push(`${name} must be true, false, 1 or 0, got ${JSON.stringify(raw)}`)
    return def
  }

  const rawEnv = str('NODE_ENV') ?? 'development'
  let nodeEnv: Config['nodeEnv'] = 'development'
  if (rawEnv === 'production' || rawEnv === 'test' || rawEnv === 'development') nodeEnv = rawEnv
  else
    problems.push(`NODE_ENV must be development, test or production, got ${JSON.stringify(rawEnv)}`)
  const production = nodeEnv === 'production'

  const port = int('PORT', 3000, 0, 65535)
  const host = str('HOST') ?? '127.0.0.1'
  const dataDir = path.resolve(cwd, str('DATA_DIR') ?? '.data')

  const databaseUrl = str('DATABASE_URL') ?? null
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL')
  }
  const pgSchema = str('DATABASE_SCHEMA') ?? null
  if (pgSchema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(pgSchema)) {
    problems.push('DATABASE_SCHEMA must be a lower-case SQL identifier')
  }
  const sqlitePath = str('SQLITE_PATH') ?? path.join(dataDir, 'server.sqlite')

  let sessionSecret = str('SESSION_SECRET')
  let sessionSecretIsDefault = false
  if (sessionSecret === undefined) {
    if (production) problems.push('SESSION_SECRET is required when NODE_ENV=production')
    sessionSecret = DEV_SESSION_SECRET
    sessionSecretIsDefault = true
  } else if (sessionSecret.length < 32) {
    problems.push('SESSION_SECRET must be at least 32 characters')
  }

  const appid = str('WECHAT_APPID')
  const secret = str('WECHAT_SECRET')
  let wechat: WeChatConfig
  if (appid !== undefined || secret !== undefined) {
    if (appid === undefined) problems.push('WECHAT_APPID is required when WECHAT_SECRET is set')
    if (secret === undefined) problems.push('WECHAT_SECRET is required when WECHAT_APPID is set')
    if (appid !== undefined && !/^wx[0-9a-zA-Z]{6,30}$/.test(appid)) {
      problems.push('WECHAT_APPID does not look like a mini-program appid (wx…)')
    }
    wechat = {
      mode: 'real',
      appid: appid ?? '',
      secret: secret ?? '',
      apiBaseUrl: str('WECHAT_API_BASE_URL') ?? null,
    }
  } else {
    if (production) {
      problems.push(
        'NODE_ENV=production refuses the simulated WeChat: set WECHAT_APPID and WECHAT_SECRET',
      )
    }
    // WECHAT_API_BASE_URL alone points at a simulated WeChat served over HTTP (npm run sim)
    // with the simulated credentials; real WeChat needs WECHAT_APPID and WECHAT_SECRET too.
    const simBaseUrl = str('WECHAT_API_BASE_URL') ?? null
    if (simBaseUrl !== null && !/^https?:\/\/[^/?#]+\/?$/.test(simBaseUrl)) {
      problems.push('WECHAT_API_BASE_URL must be an origin such as http://127.0.0.1:4100')
    }
    wechat = { mode: 'simulated', appid: SIM_APPID, secret: SIM_SECRET, apiBaseUrl: simBaseUrl }
  }

  // PUBLIC_ORIGIN is the documented name; PUBLIC_URL is still read for older deployments.
  const publicOriginVar = str('PUBLIC_ORIGIN') !== undefined ? 'PUBLIC_ORIGIN' : 'PUBLIC_URL'
  const publicUrl = str(publicOriginVar) ?? null
  if (publicUrl !== null && !/^https?:\/\/[^/?#\s]{1,200}$/.test(publicUrl)) {
    problems.push(`${publicOriginVar} must be an origin such as https://api.example.com (no path)`)
  }

  const trustProxy = parseTrustProxy(str('TRUST_PROXY'), problems)

  const redisUrl = str('REDIS_URL') ?? null
  if (redisUrl !== null && !/^rediss?:\/\//.test(redisUrl)) {
    problems.push('REDIS_URL must be a redis:// or rediss:// URL')
  }
  const redisKeyPrefix = str('REDIS_KEY_PREFIX') ?? 'wxkit:'
  if (!/^[\x21-\x7e]{1,64}$/.test(redisKeyPrefix)) {
    problems.push('REDIS_KEY_PREFIX must be 1–64 printable characters without spaces')
  }

  const simControlToken = str('SIM_CONTROL_TOKEN') ?? null
  if (simControlToken !== null && !/^[\x21-\x7e]{16,256}$/.test(simControlToken)) {
    problems.push('SIM_CONTROL_TOKEN must be 16–256 printable characters without spaces')
  }

  // Production without CONSOLE_PASSWORD has no console (every sign-in is refused); elsewhere
  // the development default is used and printed at start-up.
  const givenConsolePassword = str('CONSOLE_PASSWORD')
  const consolePasswordIsDefault = givenConsolePassword === undefined && !production
  const consolePassword: string | null =
    givenConsolePassword ?? (production ? null : DEV_CONSOLE_PASSWORD)
  if (production && givenConsolePassword !== undefined && givenConsolePassword.length < 12) {
    problems.push('CONSOLE_PASSWORD must be at least 12 characters when NODE_ENV=production')
  }
  const orderStatusTemplateId = str('ORDER_STATUS_TEMPLATE_ID') ?? DEFAULT_ORDER_STATUS_TEMPLATE_ID
  if (!/^[\x21-\x7e]{1,128}$/.test(orderStatusTemplateId)) {
    problems.push('ORDER_STATUS_TEMPLATE_ID must be 1–128 printable characters without spaces')
  }

  const config: Config = {
    nodeEnv,
    host,
    port,
    logLevel: str('LOG_LEVEL') ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    databaseUrl,
    pgSchema,
    sqlitePath,
    dataDir,
    sessionSecret,
    sessionSecretIsDefault,
    sessionTtlSec: int('SESSION_TTL_SEC', 7 * 24 * 3600, 60, 90 * 24 * 3600),
    sessionRotation: {
      enabled: bool('SESSION_SLIDING', true),
      graceSec: int('SESSION_ROTATION_GRACE_SEC', 60, 0, 3600),
    },
    publicUrl,
    trustProxy,
    wechat,
    rateLimits: {
      login: {
        max: int('RATE_LIMIT_LOGIN_MAX', 60, 1, 1_000_000),
        windowSec: int('RATE_LIMIT_LOGIN_WINDOW_SEC', 60, 1, 86_400),
      },
      phone: {
        max: int('RATE_LIMIT_PHONE_MAX', 10, 1, 1_000_000),
        windowSec: int('RATE_LIMIT_PHONE_WINDOW_SEC', 60, 1, 86_400),
      },
      profile: {
        max: int('RATE_LIMIT_PROFILE_MAX', 10, 1, 1_000_000),
        windowSec: int('RATE_LIMIT_PROFILE_WINDOW_SEC', 60, 1, 86_400),
      },
      wechatIp: {
        max: int('RATE_LIMIT_WECHAT_IP_MAX', 60, 1, 1_000_000),
        windowSec: int('RATE_LIMIT_WECHAT_IP_WINDOW_SEC', 60, 1, 86_400),
      },
    },
    avatarMaxBytes: int('AVATAR_MAX_BYTES', 2 * 1024 * 1024, 1024, 20 * 1024 * 1024),
    requestTimeoutMs: int('REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
    dbStatementTimeoutMs: int('DATABASE_STATEMENT_TIMEOUT_MS', 5_000, 10, 600_000),
    avatarQuota: int('AVATAR_QUOTA', 5, 1, 1000),
    redisUrl,
    redisKeyPrefix,
    simControlToken,
    consolePassword,
    consolePasswordIsDefault,
    orderStatusTemplateId,
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return config
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal'])

/** One trusted proxy: an IP, an IP/prefix (CIDR), or one of proxy-addr's names. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true
  const [ip, prefix, ...rest] = entry.split('/')
  const family = net.isIP(ip ?? '')
  if (family === 0 || rest.length > 0) return false
  if (prefix === undefined) return true
  if (!/^\d{1,3}$/.test(prefix)) return false
  return Number(prefix) <= (family === 4 ? 32 : 128)
}

/**
 * TRUST_PROXY: unset, `false` or `0` trusts no proxy; a number is how many proxies stand in
 * front of the server (the client is the address the outermost of them saw); otherwise a
 * comma-separated list of the proxies' addresses or CIDRs. `true` is refused: it would trust
 * every X-Forwarded-For entry, so the client would choose its own address.
 */
export function parseTrustProxy(raw: string | undefined, problems: string[]): TrustProxy {
  if (raw === undefined || raw === 'false' || raw === '0') return false
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw)
    if (hops > 10) problems.push(`TRUST_PROXY hop count must be between 0 and 10, got ${hops}`)
    return hops
  }
  if (raw === 'true') {
    problems.push(
      'TRUST_PROXY=true would let clients choose their address through X-Forwarded-For: ' +
        'give the number of proxies in front of the server (e.g. 1) or their addresses/CIDRs',
    )
    return false
  }
  const entries = raw.split(',').map((e) => e.trim())
  const bad = entries.filter((e) => !isProxyAddress(e))
  if (bad.length > 0) {
    problems.push(
      `TRUST_PROXY must be a hop count or a comma-separated list of IP addresses or CIDRs, ` +
        `got ${JSON.stringify(bad.join(',').slice(0, 100))}`,
    )
    return false
  }
  return entries
}

/**
 * Fastify's `trustProxy` for a TrustProxy. A hop count becomes "the first `hops` addresses
 * from the socket inwards are proxies" (proxy-addr's own numeric semantics, as in Express's
 * "behind proxies" guide): the client is the address the outermost trusted proxy saw, which a
 * client cannot choose by prepending X-Forwarded-For entries. It is passed as a function
 * because Fastify 5.12 deliberately treats a bare number as "trust nothing".
 */
export function fastifyTrustProxy(
  tp: TrustProxy,
): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof tp === 'number') {
    const hops = tp
    return hops === 0 ? false : (_address, hop) => hop < hops
  }
  return tp
}

/** A configuration for tests and benchmarks: in-memory SQLite, simulated WeChat, quiet logs. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const base = loadConfig({
    NODE_ENV: 'test',
    SESSION_SECRET: 'test-session-secret-0123456789abcdef',
  })
  return {
    ...base,
    sqlitePath: ':memory:',
    databaseUrl: null,
    logLevel: 'info',
    rateLimits: {
      login: { max: 1_000_000, windowSec: 60 },
      phone: { max: 1_000_000, windowSec: 60 },
      profile: { max: 1_000_000, windowSec: 60 },
      wechatIp: { max: 1_000_000, windowSec: 60 },
    },
    redisUrl: null,
    ...overrides,
  }
}
