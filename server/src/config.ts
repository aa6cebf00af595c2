// Environment parsing. Every problem is reported at once, with the variable's name, so a
// misconfigured deploy fails at start and not at the first request.
import path from 'node:path'

export type WeChatConfig =
  | { mode: 'real'; appid: string; secret: string; apiBaseUrl: string | null }
  | { mode: 'simulated'; appid: string; secret: string }

export interface RateLimitRule {
  max: number
  windowSec: number
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
  trustProxy: boolean
  wechat: WeChatConfig
  rateLimits: { login: RateLimitRule; phone: RateLimitRule }
  avatarMaxBytes: number
  /** Time a client has to send a whole request (headers and body) before it is dropped. */
  requestTimeoutMs: number
  /** PostgreSQL statement_timeout and SQLite busy_timeout. */
  dbStatementTimeoutMs: number
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
    wechat = { mode: 'simulated', appid: SIM_APPID, secret: SIM_SECRET }
  }

  const publicUrl = str('PUBLIC_URL') ?? null
  if (publicUrl !== null && !/^https?:\/\/[^/]+$/.test(publicUrl)) {
    problems.push('PUBLIC_URL must be an origin such as https://api.example.com (no path)')
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
    trustProxy: str('TRUST_PROXY') === '1' || str('TRUST_PROXY') === 'true',
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
    },
    avatarMaxBytes: int('AVATAR_MAX_BYTES', 2 * 1024 * 1024, 1024, 20 * 1024 * 1024),
    requestTimeoutMs: int('REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
    dbStatementTimeoutMs: int('DATABASE_STATEMENT_TIMEOUT_MS', 5_000, 10, 600_000),
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return config
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
    },
    ...overrides,
  }
}
