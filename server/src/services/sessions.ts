// The server's own sessions: an opaque token `<sessionId>.<32 random bytes, base64url>`, of
// which only a SHA-256 hash is stored. Lookups are by primary key; verified sessions are kept
// in an in-process cache so verification costs a hash and a Map lookup. Revocation removes the
// entry here at once and, on PostgreSQL, on every other instance through LISTEN/NOTIFY; while an
// instance's LISTEN connection is down it does not trust its cache (every request reads the DB).
// A revocation waits until every listening instance has acknowledged dropping the session (or a
// short timeout), so the next request anywhere is rejected.
import crypto from 'node:crypto'
import { sql } from 'kysely'
import pg from 'pg'
import type { Logger } from 'pino'
import { pgClientConfig, type Db } from '../db'
import { AppError, unauthorized } from '../errors'
import { randomId, sha256Hex } from './secrets'

export const REVOKE_CHANNEL = 'wxkit_session_revoked'
export const ACK_CHANNEL = 'wxkit_session_revoked_ack'
const ACK_TIMEOUT_MS = 2000

export interface VerifiedSession {
  sessionId: string
  userId: string
  expiresAt: number
}

const PURGE_EVERY_MS = 3_600_000
const PURGE_GRACE_MS = 86_400_000

interface CacheEntry {
  userId: string
  /** SHA-256 digest of the token, raw: compared without per-request hex or buffer copies. */
  tokenDigest: Buffer
  expiresAt: number
  revoked: boolean
}

export interface IssuedSession {
  token: string
  sessionId: string
  expiresIn: number
}

export interface SessionServiceOptions {
  ttlSec: number
  now?: () => number
  log: Logger
  cacheMax?: number
}

const TOKEN_RE = /^(s[A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/

export class SessionService {
  private readonly cache = new Map<string, CacheEntry>()
  /** Tokens whose digest matched, to their session id: a hit needs no hashing. */
  private readonly proven = new Map<string, string>()
  private readonly now: () => number
  private readonly cacheMax: number
  private listener: pg.Client | null = null
  private listening = false
  private stopped = false
  private reconnectTimer: NodeJS.Timeout | null = null
  private purgeTimer: NodeJS.Timeout | null = null
  /** Bumped at every revocation seen and listener loss: a DB read that overlapped one is not cached. */
  private epoch = 0
  private readonly ackWaiters = new Map<
    string,
    { acked: Set<string>; need: number; done: () => void }
  >()
  private readonly instanceId = crypto.randomBytes(9).toString('base64url')

  constructor(
    private readonly db: Db,
    private readonly opts: SessionServiceOptions,
  ) {
    this.now = opts.now ?? Date.now
    this.cacheMax = opts.cacheMax ?? 20_000
  }

  /** Whether cached verifications may be trusted (always on SQLite: a single instance). */
  get cacheTrusted(): boolean {
    return this.db.pg === null || this.listening
  }

  async start(): Promise<void> {
    // Expired and revoked sessions are useless after a grace day: keep the table bounded.
    this.purgeTimer = setInterval(() => {
      this.purgeExpired().catch((err: Error) =>
        this.opts.log.warn({ err: { message: err.message } }, 'session purge failed'),
      )
    }, PURGE_EVERY_MS)
    this.purgeTimer.unref()
    if (this.db.pg === null) return
    await this.connectListener()
  }

  /** Deletes sessions expired or revoked more than `graceMs` ago; returns how many. */
  async purgeExpired(graceMs = PURGE_GRACE_MS): Promise<number> {
    const before = this.now() - graceMs
    const r = await this.db.kysely
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)]))
      .executeTakeFirst()
    return Number(r.numDeletedRows)
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.purgeTimer !== null) clearInterval(this.purgeTimer)
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer)
    this.listening = false
    const l = this.listener
    this.listener = null
    if (l !== null) await l.end().catch(() => undefined)
    for (const w of [...this.ackWaiters.values()]) w.done()
  }

  private get schemaTag(): string {
    return this.db.pg?.schema ?? ''
  }

  /** application_name of the LISTEN connections of this database (schema). */
  private get listenerName(): string {
    return `wxkit-sessions:${this.schemaTag}`.slice(0, 63)
  }

  private async connectListener(): Promise<void> {
    const info = this.db.pg!
    const client = new pg.Client({
      ...pgClientConfig(info.connectionString, info.schema),
      application_name: this.listenerName,
    })
    client.on('notification', (msg) => {
      if (msg.payload === undefined) return
      const [schema, sessionId, instance] = msg.payload.split(':')
      if (schema !== this.schemaTag || sessionId === undefined || instance === undefined) return
      if (msg.channel === REVOKE_CHANNEL) {
        this.epoch++
        this.cache.delete(sessionId)
        client
          .query('select pg_notify($1, $2)', [
            ACK_CHANNEL,
            `${schema}:${sessionId}:${this.instanceId}`,
          ])
          .catch(() => undefined)
      } else if (msg.channel === ACK_CHANNEL) {
        const w = this.ackWaiters.get(sessionId)
        if (w !== undefined) {
          w.acked.add(instance)
          if (w.acked.size >= w.need) w.done()
        }
      }
    })
    client.on('error', (err) => {
      this.opts.log.warn({ err: { message: err.message } }, 'session revocation listener failed')
      this.onListenerLost(client)
    })
    client.on('end', () => this.onListenerLost(client))
    try {
      await client.connect()
      await client.query(`LISTEN ${REVOKE_CHANNEL}`)
      await client.query(`LISTEN ${ACK_CHANNEL}`)
    } catch (err) {
      await client.end().catch(() => undefined)
      throw err
    }
    if (this.stopped) {
      await client.end().catch(() => undefined)
      return
    }
    this.listener = client
    this.listening = true
  }

  private onListenerLost(client: pg.Client): void {
    if (this.listener !== client) return
    this.listener = null
    this.listening = false
    this.epoch++
    this.cache.clear()
    client.end().catch(() => undefined)
    this.scheduleReconnect()
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer !== null) return
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null
      this.connectListener().catch((err: Error) => {
        this.opts.log.warn({ err: { message: err.message } }, 'listener reconnect failed')
        this.scheduleReconnect()
      })
    }, 500)
  }

  async create(userId: string): Promise<IssuedSession> {
    const sessionId = randomId('s', 16)
    const token = `${sessionId}.${crypto.randomBytes(32).toString('base64url')}`
    const t = this.now()
    const expiresAt = t + this.opts.ttlSec * 1000
    const tokenHash = sha256Hex(token)
    await this.db.kysely
      .insertInto('sessions')
      .values({
        id: sessionId,
        user_id: userId,
        token_hash: tokenHash,
        expires_at: expiresAt,
        revoked_at: null,
        created_at: t,
      })
      .execute()
    this.remember(sessionId, {
      userId,
      tokenDigest: Buffer.from(tokenHash, 'hex'),
      expiresAt,
      revoked: false,
    })
    return { token, sessionId, expiresIn: this.opts.ttlSec }
  }

  async verify(token: string): Promise<VerifiedSession> {
    const m = TOKEN_RE.exec(token)
    if (m === null) throw unauthorized('SESSION_INVALID', 'session token is not valid')
    const sessionId = m[1]!
    let entry = this.cacheTrusted ? this.cache.get(sessionId) : undefined
    // A token already proven against this session's digest skips the hash: the Map's lookup
    // is a hash-table probe, not a byte-by-byte comparison an attacker could time.
    if (entry !== undefined && this.proven.get(token) === sessionId)
      return this.check(sessionId, entry)
    if (entry === undefined) {
      const epoch = this.epoch
      const row = await this.db.kysely
        .selectFrom('sessions')
        .select(['user_id', 'token_hash', 'expires_at', 'revoked_at'])
        .where('id', '=', sessionId)
        .executeTakeFirst()
      if (row === undefined) throw unauthorized('SESSION_INVALID', 'session token is not valid')
      entry = {
        userId: row.user_id,
        tokenDigest: Buffer.from(row.token_hash, 'hex'),
        expiresAt: Number(row.expires_at),
        revoked: row.revoked_at !== null,
      }
      // A revocation may have been announced while we read: then the row may be stale.
      if (this.cacheTrusted && this.epoch === epoch) this.remember(sessionId, entry)
    }
    const digest = crypto.createHash('sha256').update(token).digest()
    if (entry.tokenDigest.length !== 32 || !crypto.timingSafeEqual(entry.tokenDigest, digest)) {
      throw unauthorized('SESSION_INVALID', 'session token is not valid')
    }
    if (this.cacheTrusted) {
      if (this.proven.size >= this.cacheMax) this.proven.delete(this.proven.keys().next().value!)
      this.proven.set(token, sessionId)
    }
    return this.check(sessionId, entry)
  }

  private check(sessionId: string, entry: CacheEntry): VerifiedSession {
    if (entry.revoked) throw unauthorized('SESSION_REVOKED', 'session was revoked')
    if (entry.expiresAt <= this.now()) throw unauthorized('SESSION_EXPIRED', 'session expired')
    return { sessionId, userId: entry.userId, expiresAt: entry.expiresAt }
  }

  /** Revokes a session here and on every instance; resolves once the revocation is published. */
  async revoke(sessionId: string): Promise<void> {
    await this.db.kysely
      .updateTable('sessions')
      .set({ revoked_at: this.now() })
      .where('id', '=', sessionId)
      .where('revoked_at', 'is', null)
      .execute()
    this.epoch++
    const cached = this.cache.get(sessionId)
    if (cached !== undefined) cached.revoked = true
    if (this.db.pg === null) return
    // How many instances listen (this one included): wait for as many acknowledgements.
    const { rows } = await sql<{ n: number | string }>`
      select count(*) as n from pg_stat_activity where application_name = ${this.listenerName}
    `.execute(this.db.kysely)
    const need = Number(rows[0]?.n ?? 0)
    const acked = new Promise<void>((resolve) => {
      const timer = setTimeout(() => done(), ACK_TIMEOUT_MS)
      const done = (): void => {
        clearTimeout(timer)
        this.ackWaiters.delete(sessionId)
        resolve()
      }
      this.ackWaiters.set(sessionId, { acked: new Set(), need, done })
    })
    try {
      // Parameterised pg_notify: nothing spliced into SQL.
      await sql`select pg_notify(${REVOKE_CHANNEL}, ${`${this.schemaTag}:${sessionId}:${this.instanceId}`})`.execute(
        this.db.kysely,
      )
    } catch (err) {
      this.ackWaiters.get(sessionId)?.done()
      throw err
    }
    if (need > 0) await acked
    else this.ackWaiters.get(sessionId)?.done()
  }

  private remember(sessionId: string, entry: CacheEntry): void {
    if (this.cache.size >= this.cacheMax) {
      const oldest = this.cache.keys().next()
      if (oldest.done !== true) this.cache.delete(oldest.value)
    }
    this.cache.set(sessionId, entry)
  }
}

export function isSessionError(e: unknown): e is AppError {
  return e instanceof AppError && e.statusCode === 401
}
