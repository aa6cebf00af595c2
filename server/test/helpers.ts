// Shared helpers of the server suites: an app over the simulated WeChat with a fresh database
// (SQLite in memory, or a unique PostgreSQL schema when DATABASE_URL is set), every log line
// and response captured, and a leak check run at the end of each file.
import crypto from 'node:crypto'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import pg from 'pg'
import { buildAppWithServices, type AppDeps } from '../src/app'
import { testConfig, type Config } from '../src/config'
import { createLogger } from '../src/logger'
import type { Services } from '../src/services'
import { AtRestCipher } from '../src/services/secrets'
import { createSimWeChat, type SimWeChat } from '../src/wechat'

export const DATABASE_URL = process.env.DATABASE_URL ?? null
export const onPostgres = DATABASE_URL !== null

/** Everything the suite saw: log lines, response bodies (with their URL), issued tokens. */
export const captured = {
  logs: [] as string[],
  responses: [] as { url: string; body: string }[],
  tokens: new Set<string>(),
  codes: new Set<string>(),
  secrets: new Set<string>(),
  sessionKeys: new Set<string>(),
}

const logStream = {
  write(line: string): void {
    captured.logs.push(line)
  },
}

const schemas: string[] = []
const open = new Set<TestApp>()

async function pgAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: DATABASE_URL! })
  await c.connect()
  try {
    return await fn(c)
  } finally {
    await c.end()
  }
}

/** A fresh PostgreSQL schema for this test file (dropped in `dropSchemas`). */
export async function newSchema(): Promise<string> {
  const name = `t_${process.pid}_${crypto.randomBytes(5).toString('hex')}`
  await pgAdmin((c) => c.query(`create schema ${name}`))
  schemas.push(name)
  return name
}

export async function dropSchemas(): Promise<void> {
  if (!onPostgres) return
  const names = schemas.splice(0)
  if (names.length === 0) return
  await pgAdmin(async (c) => {
    for (const n of names) await c.query(`drop schema if exists ${n} cascade`)
  })
}

export interface TestApp {
  app: FastifyInstance
  services: Services
  sim: SimWeChat
  config: Config
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>
  /** Logs a (new, unless `openid` given) simulated user in through POST /auth/login. */
  login(openid?: string): Promise<{ token: string; openid: string; userId: string }>
  mintCode(openid?: string): { code: string; openid: string }
  close(): Promise<void>
}

export interface TestAppOptions {
  config?: Partial<Config>
  sim?: SimWeChat
  /** PostgreSQL: use this schema (shared between instances); SQLite: this file. */
  schema?: string
  sqlitePath?: string
  now?: () => number
  /** The subscription-message outbox's options (autoStart: false to drive it by hand). */
  outbox?: AppDeps['outbox']
}

export async function createTestApp(o: TestAppOptions = {}): Promise<TestApp> {
  const log = createLogger('debug', logStream)
  const sim = o.sim ?? createSimWeChat({ log: log.child({ component: 'sim-wechat' }) })
  captured.secrets.add(sim.secret)
  const base = testConfig(o.config)
  const config: Config = onPostgres
    ? { ...base, databaseUrl: DATABASE_URL, pgSchema: o.schema ?? (await newSchema()) }
    : { ...base, sqlitePath: o.sqlitePath ?? ':memory:' }
  captured.secrets.add(config.sessionSecret)
  const built = await buildAppWithServices(config, {
    sim,
    logger: log,
    ...(o.now ? { now: o.now } : {}),
    ...(o.outbox ? { outbox: o.outbox } : {}),
  })
  const { app, services } = built
  app.addHook('onSend', async (req, reply, payload) => {
    const t = reply.getHeader('x-session-token')
    if (typeof t === 'string') captured.tokens.add(t)
    const body =
      typeof payload === 'string'
        ? payload
        : Buffer.isBuffer(payload)
          ? payload.toString('latin1')
          : ''
    if (req.url === '/auth/login' && reply.statusCode === 200) {
      try {
        const parsed = JSON.parse(body) as { token?: unknown }
        if (typeof parsed.token === 'string') captured.tokens.add(parsed.token)
      } catch {
        // not JSON
      }
    }
    captured.responses.push({ url: req.url, body })
    return payload
  })
  await app.ready()

  const mintCode = (openid?: string): { code: string; openid: string } => {
    const m = sim.mintLoginCode(openid !== undefined ? { openid } : {})
    captured.codes.add(m.code)
    return m
  }
  const t: TestApp = {
    app,
    services,
    sim,
    config,
    inject: (opts) => app.inject(opts),
    mintCode,
    async login(openid) {
      const m = mintCode(openid)
      const res = await app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { code: m.code },
      })
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`)
      const body = res.json<{ token: string; user: { id: string } }>()
      return { token: body.token, openid: m.openid, userId: body.user.id }
    },
    async close() {
      if (!open.delete(t)) return
      await collectSessionKeys(services, sim, config)
      await app.close()
    },
  }
  open.add(t)
  return t
}

/** Every session_key the server stored (decrypted) and the sim's current ones. */
async function collectSessionKeys(
  services: Services,
  sim: SimWeChat,
  config: Config,
): Promise<void> {
  const cipher = new AtRestCipher(config.sessionSecret)
  const rows = await services.db.kysely
    .selectFrom('wechat_sessions')
    .select('session_key_enc')
    .execute()
  for (const r of rows) captured.sessionKeys.add(cipher.decrypt(r.session_key_enc))
  const users = await services.db.kysely.selectFrom('users').select('openid').execute()
  for (const u of users) {
    const k = sim.getUser(u.openid)?.sessionKey
    if (k) captured.sessionKeys.add(k)
  }
}

export function authHeader(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` }
}

/**
 * Secrets, session keys, login codes and tokens must appear in no log line; secrets and
 * session keys in no response; tokens only in login answers (their `token` field).
 */
export function assertNoLeaks(): void {
  const logText = captured.logs.join('')
  const problems: string[] = []
  const check = (label: string, values: Iterable<string>, text: string): void => {
    for (const v of values) {
      if (v.length >= 8 && text.includes(v)) problems.push(`${label} ${v.slice(0, 4)}…`)
    }
  }
  check('log contains secret', captured.secrets, logText)
  check('log contains session_key', captured.sessionKeys, logText)
  check('log contains token', captured.tokens, logText)
  const tokenSecrets = [...captured.tokens].map((t) => t.split('.')[1] ?? t)
  check('log contains token secret', tokenSecrets, logText)
  check('log contains code', captured.codes, logText)
  for (const r of captured.responses) {
    check(`response ${r.url} contains secret`, captured.secrets, r.body)
    check(`response ${r.url} contains session_key`, captured.sessionKeys, r.body)
    if (r.url !== '/auth/login') check(`response ${r.url} contains token`, tokenSecrets, r.body)
  }
  expect(problems).toEqual([])
  // The checks did look at something.
  expect(captured.logs.length).toBeGreaterThan(0)
}

/** Registers the end-of-file leak check and the schema clean-up. */
export function useLeakCheck(): void {
  afterAll(async () => {
    // Jest may run this hook before the file's own; close what is still open first.
    for (const t of [...open]) await t.close()
    assertNoLeaks()
    await dropSchemas()
  })
}

/** A tiny deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)

/** A multipart/form-data body as wx.uploadFile sends it. */
export function multipartBody(
  parts: { name: string; filename?: string; type?: string; data: Buffer | string }[],
  boundary = `----wxkit${crypto.randomBytes(6).toString('hex')}`,
): { payload: Buffer; headers: Record<string, string> } {
  const chunks: Buffer[] = []
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`
    if (p.filename !== undefined) head += `; filename="${p.filename}"`
    head += '\r\n'
    if (p.type !== undefined) head += `Content-Type: ${p.type}\r\n`
    chunks.push(
      Buffer.from(`${head}\r\n`),
      Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data),
      Buffer.from('\r\n'),
    )
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  }
}
